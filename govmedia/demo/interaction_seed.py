"""Demo 留言互动: the comments netizens left under 天中街道发布 on the fake Weibo (the very ones in
the fakes' seed, same comment ids, so the first pull of `make run` finds them known), stored as
a pull stores them and taken through every state by the real services — 待分办 (with a
follow-up in its thread), 办理中, 待审核, 审核通过待发送 (send it to the fake Weibo from its
page), 已答复, 已办结, 无需答复 — plus a 12345 transfer and a letter entered by hand, one of
them overdue. 天中街道 reviews its 答复 (a flow for the content class 答复). Idempotent: nothing
is added once demo messages exist."""

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

from .publishing_seed import ADMIN, EDITOR, REVIEWER, WEIBO, _decide

REPLIES = {
    "4990000000002001": "您好，供暖问题请拨打天中街道供热服务热线0530-2218000（8:30–18:00），"
    "我们已通知供热公司上门查看。",
    "4990000000002003": "您好，街道已联系城管部门核查万福路夜间施工情况，将依法处理并向您反馈。",
    "4990000000002004": "感谢您的建议，街道将在便民服务站设立老年人助办窗口。",
    "4990000000002005": "感谢您的肯定，我们将继续做好服务。",
}


def _comments(now) -> list[Comment]:
    seed = json.loads(DEMO_SEED.read_text(encoding="utf-8"))
    account = next(a for a in seed["weibo"]["accounts"] if a["handle"] == WEIBO)
    post = account["posts"][0]
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
        for item in sorted(post["comment_items"], key=lambda c: -c["hours_ago"])
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


def seed_interaction() -> dict[str, int]:
    if Message.objects.filter(is_demo=True).exists():
        return {"messages": 0}
    account = MediaAccount.objects.filter(handle=WEIBO, is_demo=True).first()
    editor = User.objects.filter(username=EDITOR).first()
    reviewer = User.objects.filter(username=REVIEWER).first()
    admin = User.objects.filter(username=ADMIN).first()
    if not all((account, editor, reviewer, admin)):
        return {"messages": 0}
    now = timezone.now()
    _reply_flow(account.host_org, admin, reviewer)
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
    return {"messages": Message.objects.filter(is_demo=True).count()}
