"""WeChat comments on published articles and Douyin video comments, against the fake servers:
pulled into messages once however the pulls overlap, every page read, threads kept (Douyin's
replies under a comment), errors recorded, and a reply sent once through each platform's reply
API, never before its review is approved."""

from datetime import timedelta

import pytest

from govmedia.core.errors import Conflict
from govmedia.interaction import services
from govmedia.interaction.models import CommentPull, Message, MessageState, ReplyState
from govmedia.monitoring.clients import client_for
from govmedia.monitoring.credentials import account_ref
from govmedia.platforms.base import ContentRejected
from tests.interaction.helpers import NOW, assign, draft, fresh, pull
from tests.publishing.helpers import active_step, decide

WECHAT_LIST = "/cgi-bin/comment/list"
WECHAT_REPLY = "/cgi-bin/comment/reply/add"
DOUYIN_LIST = "/item/comment/list/"
DOUYIN_REPLIES = "/item/comment/reply/list/"
DOUYIN_REPLY = "/item/comment/reply/"


def _results(desk, account, now=NOW + timedelta(hours=1)):
    return [r for r in pull(now) if r.account_id == account.pk]


def _article(desk, title="天中街道冬季供暖服务指南"):
    return desk.fakes.wechat.state.add_post(
        desk.wechat.handle, published_at=NOW - timedelta(hours=2), title=title, text="正文"
    )


def _video(desk, title="天中街道便民服务中心办事指南"):
    return desk.fakes.douyin.state.add_post(
        desk.douyin.handle, published_at=NOW - timedelta(hours=2), title=title
    )


def _say(server, post, text, *, minutes=5, reply_to=None, author="网友甲"):
    return server.state.add_comment(
        post.post_id,
        text,
        author_name=author,
        created_at=NOW + timedelta(minutes=minutes),
        reply_to=reply_to.comment_id if reply_to else "",
    )


def _messages(account):
    return Message.objects.filter(account=account)


# --- WeChat --------------------------------------------------------------------------------


def test_a_wechat_comment_appears_once_after_overlapping_pulls(desk):
    article = _article(desk)
    _say(desk.fakes.wechat, article, "请问供暖热线是多少？", minutes=1)
    _say(desk.fakes.wechat, article, "暖气不热找谁？", minutes=2)
    _results(desk, desk.wechat)
    _say(desk.fakes.wechat, article, "几点开始供暖？", minutes=3)
    _results(desk, desk.wechat, NOW + timedelta(hours=2))
    _results(desk, desk.wechat, NOW + timedelta(hours=3))
    messages = _messages(desk.wechat).order_by("received_at")
    assert [m.text for m in messages] == [
        "请问供暖热线是多少？",
        "暖气不热找谁？",
        "几点开始供暖？",
    ]
    first = messages[0]
    # msg_data_id (the link's mid), index and WeChat's per-article user_comment_id.
    assert first.platform_comment_id == f"{article.serial}:0:1"
    assert first.platform_post_id == article.post_id
    assert first.post_excerpt == article.title and first.org == desk.tian
    assert first.state == MessageState.NEW


def test_every_page_of_an_articles_comments_is_read(desk):
    article = _article(desk)
    for n in range(60):  # comment/list takes at most 49 a page
        _say(desk.fakes.wechat, article, f"第{n}条留言：办事大厅几点开门？", minutes=n)
    [result] = _results(desk, desk.wechat)
    assert result.new == 60 and result.error == ""
    assert desk.fakes.wechat.request_count(WECHAT_LIST) == 2
    assert _messages(desk.wechat).count() == 60


def test_an_expired_token_is_fetched_anew_and_a_failure_is_recorded(desk):
    article = _article(desk)
    _say(desk.fakes.wechat, article, "请问几点开门？")
    desk.fakes.wechat.misbehave("expired_token", path=WECHAT_LIST)
    [result] = _results(desk, desk.wechat)
    assert result.new == 1 and result.error == ""  # 42001: a new token, the call repeated
    _say(desk.fakes.wechat, article, "周六上班吗？", minutes=9)
    desk.fakes.wechat.misbehave("rate_limit", path=WECHAT_LIST)
    [failed] = _results(desk, desk.wechat, NOW + timedelta(hours=2))
    assert "上限" in failed.error
    row = CommentPull.objects.get(account=desk.wechat)
    assert row.failures == 1 and row.claimed_until is None
    [again] = _results(desk, desk.wechat, row.next_pull_at)
    assert again.new == 1 and _messages(desk.wechat).count() == 2


def test_an_article_wechat_does_not_know_is_skipped(desk):
    desk.fakes.wechat.state.add_post(  # a link whose mid/idx WeChat does not know: 88001
        desk.wechat.handle,
        published_at=NOW - timedelta(hours=1),
        title="转载的文章",
        url="http://mp.weixin.qq.com/s?__biz=fake&mid=999999&idx=2",
    )
    kept = _article(desk, "冬季供暖指南")
    _say(desk.fakes.wechat, kept, "供暖几点开始？")
    [result] = _results(desk, desk.wechat)
    assert result.error == "" and [m.text for m in _messages(desk.wechat)] == ["供暖几点开始？"]
    assert desk.fakes.wechat.request_count(WECHAT_LIST) == 2


def test_a_wechat_reply_is_sent_once_after_a_double_submit(desk):
    article = _article(desk)
    said = _say(desk.fakes.wechat, article, "请问供暖热线是多少？")
    _results(desk, desk.wechat)
    message = assign(desk, _messages(desk.wechat).get())
    reply = draft(desk, message)
    version = fresh(reply).version
    sent = services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=version)
    with pytest.raises(Conflict):
        services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=version)
    assert sent.state == ReplyState.SENT
    assert desk.fakes.wechat.request_count(WECHAT_REPLY) == 1
    ours = [c for c in desk.fakes.wechat.state.comments_of(desk.wechat.handle) if c.by_account]
    assert len(ours) == 1 and ours[0].reply_to == said.comment_id and ours[0].text == reply.text
    assert fresh(message).state == MessageState.ANSWERED
    # The account's reply is the comment's `reply` object, never a message of its own.
    _results(desk, desk.wechat, NOW + timedelta(hours=2))
    assert _messages(desk.wechat).count() == 1


def test_wechat_refuses_a_second_reply_to_one_comment(desk):
    article = _article(desk)
    _say(desk.fakes.wechat, article, "请问供暖热线是多少？")
    client, ref = client_for("wechat-mp"), account_ref(desk.wechat)
    [comment] = client.list_comments(ref).comments
    client.reply_comment(
        ref, comment_id=comment.comment_id, post_id=comment.post_id, text="您好", user_ip=""
    )
    with pytest.raises(ContentRejected, match="只能回复一次") as refused:
        client.reply_comment(
            ref, comment_id=comment.comment_id, post_id=comment.post_id, text="补充", user_ip=""
        )
    assert refused.value.code == 88005


def test_a_wechat_reply_needing_review_waits_for_approval(desk, reply_flow):
    article = _article(desk)
    _say(desk.fakes.wechat, article, "请问供暖热线是多少？")
    _results(desk, desk.wechat)
    message = assign(desk, _messages(desk.wechat).get())
    reply = draft(desk, message)
    with pytest.raises(Conflict, match="审核通过"):
        services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    reply = services.reply_submit(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    with pytest.raises(Conflict, match="审核中"):
        services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    assert desk.fakes.wechat.request_count(WECHAT_REPLY) == 0
    decide(desk.tian_reviewer, active_step(reply.article))
    sent = services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    assert sent.state == ReplyState.SENT and desk.fakes.wechat.request_count(WECHAT_REPLY) == 1


# --- Douyin --------------------------------------------------------------------------------


def test_a_douyin_comment_appears_once_and_a_reply_under_it_joins_its_thread(desk):
    video = _video(desk)
    first = _say(desk.fakes.douyin, video, "请问社保卡在哪里补办？", minutes=1)
    _results(desk, desk.douyin)
    follow = _say(desk.fakes.douyin, video, "周末能办吗？", minutes=20, reply_to=first)
    _results(desk, desk.douyin, NOW + timedelta(hours=2))
    _results(desk, desk.douyin, NOW + timedelta(hours=3))
    assert _messages(desk.douyin).count() == 2
    root = Message.objects.get(platform_comment_id=first.comment_id)
    later = Message.objects.get(platform_comment_id=follow.comment_id)
    assert later.parent == root and later.thread_root == root
    assert root.platform_post_id == video.post_id and root.post_excerpt == video.title


def test_every_page_of_comments_and_of_replies_is_read(desk):
    video = _video(desk)
    tops = [
        _say(desk.fakes.douyin, video, f"第{n}条：办事大厅几点开门？", minutes=n) for n in range(55)
    ]
    for n in range(25):  # item/comment/reply/list takes at most 20 a page
        _say(desk.fakes.douyin, video, f"追问{n}", minutes=60 + n, reply_to=tops[0])
    [result] = _results(desk, desk.douyin)
    assert result.new == 80 and result.error == ""
    assert desk.fakes.douyin.request_count(DOUYIN_LIST) == 2
    assert desk.fakes.douyin.request_count(DOUYIN_REPLIES) == 2
    root = Message.objects.get(platform_comment_id=tops[0].comment_id)
    assert Message.objects.filter(thread_root=root).count() == 25


def test_an_expired_douyin_token_is_recorded_and_pulled_later(desk):
    video = _video(desk)
    _say(desk.fakes.douyin, video, "请问社保卡在哪里补办？")
    desk.fakes.douyin.misbehave("expired_token", path=DOUYIN_LIST)
    [failed] = _results(desk, desk.douyin)
    assert "授权已过期" in failed.error and _messages(desk.douyin).count() == 0
    row = CommentPull.objects.get(account=desk.douyin)
    [again] = _results(desk, desk.douyin, row.next_pull_at)
    assert again.new == 1


def test_a_douyin_reply_is_sent_once_and_never_comes_back_as_a_message(desk):
    video = _video(desk)
    said = _say(desk.fakes.douyin, video, "请问社保卡在哪里补办？")
    _results(desk, desk.douyin)
    message = assign(desk, _messages(desk.douyin).get())
    reply = draft(desk, message, text="您好，可到区政务服务中心社保窗口补办。")
    version = fresh(reply).version
    sent = services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=version)
    with pytest.raises(Conflict):
        services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=version)
    assert sent.state == ReplyState.SENT and sent.platform_reply_id
    assert desk.fakes.douyin.request_count(DOUYIN_REPLY) == 1
    ours = desk.fakes.douyin.state.comment(sent.platform_reply_id)
    assert ours.by_account and ours.reply_to == said.comment_id
    # Douyin lists the account's reply under the comment like anyone's: known by its id.
    _results(desk, desk.douyin, NOW + timedelta(hours=2))
    assert _messages(desk.douyin).count() == 1
