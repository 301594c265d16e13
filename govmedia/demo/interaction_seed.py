"""Demo 留言互动: the comments netizens left under 天中街道发布 on the fake Weibo (the very ones in
the fakes' seed, same comment ids, so the first pull of `make run` finds them known), stored as
a pull stores them and taken through every state by the real services — 待分办 (with a
follow-up in its thread), 办理中, 待审核, 审核通过待发送 (send it to the fake Weibo from its
page), 已答复, 已办结, 无需答复 — plus a 12345 transfer and a letter entered by hand, one of
them overdue. 天中街道 reviews its 答复 (a flow for the content class 答复).

Also, as a pull of the fakes stores them (the same ids, so a pull adds none): the comments on
天中发布's newest article on the fake WeChat — one approved and ready to send through WeChat's
comment reply, one 办理中, one 待分办 — and on 定陶公安's newest video on the fake Douyin, one
with a netizen's reply under it in its thread (待分办: the demo has no user of 区公安分局).
Idempotent per account: nothing is added to an account that has demo messages."""

import json
from datetime import timedelta

from django.utils import timezone

from govmedia.interaction import services
from govmedia.interaction.models import Message
from govmedia.platforms.base import Comment
from govmedia.platforms.fakes import DEMO_SEED
from govmedia.publishing import services as publishing
from govmedia.publishing.models import ContentClass, ReviewFlow
from govmedia.registry.models import MediaAccount
from govmedia.users.models import User

from .publishing_seed import ADMIN, EDITOR, REVIEWER, WECHAT, WEIBO, _decide

DOUYIN = "dt_gongan_dy"
WECHAT_REPLY = (
    "您好，退役军人优待证可携带身份证、退役证件到天中街道退役军人服务站申领，"
    "工作日 8:30–17:30 办理（示例）。"
)

REPLIES = {
    "4990000000002001": "您好，供暖问题请拨打天中街道供热服务热线0530-2218000（8:30–18:00），"
    "我们已通知供热公司上门查看。",
    "4990000000002003": "您好，街道已联系城管部门核查万福路夜间施工情况，将依法处理并向您反馈。",
    "4990000000002004": "感谢您的建议，街道将在便民服务站设立老年人助办窗口。",
    "4990000000002005": "感谢您的肯定，我们将继续做好服务。",
}


def _seeded_post(platform: str, handle: str) -> dict:
    seed = json.loads(DEMO_SEED.read_text(encoding="utf-8"))
    account = next(a for a in seed[platform]["accounts"] if a["handle"] == handle)
    return next(p for p in account["posts"] if p.get("comment_items"))


def _oldest_first(post: dict) -> list[dict]:
    return sorted(post["comment_items"], key=lambda c: -c["hours_ago"])


def _comments(now) -> list[Comment]:
    post = _seeded_post("weibo", WEIBO)
    return [
        Comment(
            comment_id=item["id"],
            post_id=post["id"],
            created_at=now - timedelta(hours=item["hours_ago"]),
            text=item["text"],
            author_name=item.get("author", "网友"),
            reply_to_id=item.get("reply_to", ""),
            post_text=post.get("text", ""),
        )
        for item in _oldest_first(post)
    ]


def _wechat_comments(now) -> list[Comment]:
    """As WeChat's comment/list gives them: ids "<msg_data_id>:<index>:<user_comment_id>" (the
    mid of the article's link; user_comment_id in the order written), no nickname. The post id
    is the fake's article_id, known only to a pull: the message keeps the link's mid instead."""
    post = _seeded_post("wechat", WECHAT)
    mid = post["url"].split("mid=")[1].split("&")[0]
    return [
        Comment(
            comment_id=f"{mid}:0:{number}",
            post_id="",
            created_at=now - timedelta(hours=item["hours_ago"]),
            text=item["text"],
            post_text=post["title"][:60],
        )
        for number, item in enumerate(_oldest_first(post), start=1)
    ]


def _douyin_comments(now) -> list[Comment]:
    post = _seeded_post("douyin", DOUYIN)
    return [
        Comment(
            comment_id=item["id"],
            post_id=post["id"],
            created_at=now - timedelta(hours=item["hours_ago"]),
            text=item["text"],
            reply_to_id=item.get("reply_to", ""),
            post_text=post["title"][:60],
        )
        for item in _oldest_first(post)
    ]


def _reply_flow(org, admin, reviewer) -> None:
    if ReviewFlow.objects.filter(org=org, content_class=ContentClass.REPLY, is_active=True):
        return
    publishing.review_flow_create(
        actor=admin,
        org_id=org.pk,
        name="天中街道答复审核（示例）",
        content_class=ContentClass.REPLY,
        steps=[
            {
                "stage": "first",
                "mode": "any",
                "limit_value": 4,
                "limit_unit": "hours",
                "reviewer_user_ids": [reviewer.pk],
                "reviewer_org_id": None,
                "reviewer_role": "",
            }
        ],
    )


def _fresh(message):
    return Message.objects.get(pk=message.pk)


def _demo_account(handle: str) -> MediaAccount | None:
    account = MediaAccount.objects.filter(handle=handle, is_demo=True).first()
    if account is None or Message.objects.filter(account=account).exists():
        return None  # not in the registry, or seeded already
    return account


def seed_interaction() -> dict[str, int]:
    editor = User.objects.filter(username=EDITOR).first()
    reviewer = User.objects.filter(username=REVIEWER).first()
    admin = User.objects.filter(username=ADMIN).first()
    if not all((editor, reviewer, admin)):
        return {"messages": 0}
    before = Message.objects.filter(is_demo=True).count()
    now = timezone.now()
    weibo = _demo_account(WEIBO)
    if weibo is not None:
        _reply_flow(weibo.host_org, admin, reviewer)
        _seed_weibo(weibo, now, editor=editor, reviewer=reviewer, admin=admin)
    wechat = _demo_account(WECHAT)
    if wechat is not None:
        _reply_flow(wechat.host_org, admin, reviewer)
        _seed_wechat(wechat, now, editor=editor, reviewer=reviewer, admin=admin)
    douyin = _demo_account(DOUYIN)
    if douyin is not None:
        # 区公安分局 has no demo user: its messages wait for 分办, one with its follow-up.
        services.messages_ingest(account=douyin, comments=_douyin_comments(now))
    return {"messages": Message.objects.filter(is_demo=True).count() - before}


def _seed_wechat(account, now, *, editor, reviewer, admin) -> None:
    created = services.messages_ingest(account=account, comments=_wechat_comments(now))
    by_number = {m.platform_comment_id.rsplit(":", 1)[1]: m for m in created}
    for number, message_class in (("1", "consult"), ("2", "suggestion")):
        message = _fresh(by_number[number])
        services.message_assign(
            actor=admin,
            message_id=message.pk,
            version=message.version,
            message_class=message_class,
            handler_id=editor.pk,
        )
    # 1: approved, to be sent through WeChat's comment reply from its page; 2: 办理中; 3: 待分办.
    drafted = services.reply_draft(actor=editor, message_id=by_number["1"].pk, text=WECHAT_REPLY)
    submitted = services.reply_submit(actor=editor, reply_id=drafted.pk, version=drafted.version)
    _decide(reviewer, submitted.article)


def _seed_weibo(account, now, *, editor, reviewer, admin) -> None:
    created = services.messages_ingest(account=account, comments=_comments(now))
    by_id = {m.platform_comment_id: m for m in created}

    def assign(comment_id, message_class="consult", reason=""):
        message = _fresh(by_id[comment_id])
        return services.message_assign(
            actor=admin,
            message_id=message.pk,
            version=message.version,
            message_class=message_class,
            handler_id=editor.pk,
            no_reply_reason=reason,
        )

    def reply(comment_id, *, approve: bool):
        message = _fresh(by_id[comment_id])
        drafted = services.reply_draft(
            actor=editor, message_id=message.pk, text=REPLIES[comment_id]
        )
        submitted = services.reply_submit(
            actor=editor, reply_id=drafted.pk, version=drafted.version
        )
        if approve:
            _decide(reviewer, submitted.article)
        return submitted

    assign("4990000000002002")  # 办理中
    assign("4990000000002001", "help")
    reply("4990000000002001", approve=False)  # 待审核
    assign("4990000000002003", "complaint")
    reply("4990000000002003", approve=True)  # 审核通过，待发送到微博
    for comment_id, message_class in (
        ("4990000000002004", "suggestion"),
        ("4990000000002005", "praise"),
    ):
        assign(comment_id, message_class)
        approved = reply(comment_id, approve=True)
        services.reply_record_elsewhere(
            actor=editor,
            reply_id=approved.pk,
            version=approved.version,
            how="已在微博客户端手动答复（示例）",
        )
    praised = _fresh(by_id["4990000000002005"])
    services.message_close(actor=editor, message_id=praised.pk, version=praised.version)
    assign("4990000000002006", "no_reply", reason="广告信息（示例）")
    # 待分办: 4990000000002007 (a follow-up in 2001's thread) and 2008.
    services.message_create(
        actor=editor,
        source="hotline",
        org_id=account.host_org_id,
        reference="12345-20261128-0371",
        author_name="刘女士",
        received_at=now - timedelta(days=8),
        text="反映天中街道某小区楼道灯长期不亮，夜间出行不便（12345 热线转办，示例）。",
        is_demo=True,
    )
    services.message_create(
        actor=editor,
        source="letter",
        org_id=account.host_org_id,
        author_name="赵先生",
        received_at=now - timedelta(days=1),
        text="来信询问老旧小区改造的时间安排和申请方式（示例）。",
        is_demo=True,
    )
