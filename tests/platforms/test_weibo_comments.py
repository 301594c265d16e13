"""微博 comments: the account's received comments (comments/to_me) and its reply to one
(comments/reply), on the published examples and against the fake over real HTTP: shapes, paging,
threads, errors, and a reply that is sent once."""

from datetime import timedelta

import httpx
import pytest

from govmedia.platforms.base import (
    AccountRef,
    ContentRejected,
    Credentials,
    OutcomeUnknown,
    TokenExpired,
)
from govmedia.platforms.fakes.weibo import WeiboApp
from govmedia.platforms.times import parse_weibo_time
from govmedia.platforms.weibo import WeiboClient
from tests.platforms.conftest import SHORT_TIMEOUT, SLOW, START, account_ref, client_options, serve
from tests.platforms.published import example, serve_examples, shape_differences

PUBLISHED = AccountRef(
    "11488058246", Credentials({"access_token": "ACCESS_TOKEN", "uid": "1404376560"})
)


@pytest.fixture
def weibo(clock):
    server = serve(WeiboApp, clock)
    server.state.add_account("dt_fabu_wb", "定陶发布")
    post = server.state.add_post("dt_fabu_wb", published_at=START, text="冬季供暖服务热线公布")
    server.post = post
    yield server
    server.stop()


def client_for(server, clock, sleeps, **options):
    return WeiboClient(server.base_url, **client_options(clock, sleeps), **options)


def read_comments(client, account):
    comments, cursor, pages = [], None, 0
    while True:
        page = client.list_comments(account, cursor)
        comments += page.comments
        pages += 1
        if page.next_cursor is None:
            return comments, pages
        assert pages < 100
        cursor = page.next_cursor


def test_the_published_to_me_example_parses(clock, sleeps):
    server, _ = serve_examples("weibo/comments_to_me")
    client = WeiboClient(server.base_url, **client_options(clock, sleeps))
    page = client.list_comments(PUBLISHED)
    [comment] = page.comments
    assert comment.comment_id == "12438492184"
    assert comment.post_id == "11488058246"
    assert comment.created_at == parse_weibo_time("Wed Jun 01 00:50:25 +0800 2011")
    assert (comment.text, comment.author_name) == ("love your work.......", "zaku")
    assert comment.reply_to_id == "" and page.next_cursor is None
    client.close()
    server.stop()


def test_the_published_reply_example_parses(clock, sleeps):
    server, app = serve_examples("weibo/comments_reply")
    client = WeiboClient(server.base_url, **client_options(clock, sleeps))
    result = client.reply_comment(
        PUBLISHED, comment_id="12438492184", post_id="11488058246", text="谢谢", user_ip="10.1.1.1"
    )
    assert result.reply_id == "12438492185"
    assert app.asked == [("POST", "/2/comments/reply.json")]
    client.close()
    server.stop()


def _shaped_like(name, answer):
    loaded = example(name)
    assert answer.status_code == loaded.get("status", 200), name
    allowed = frozenset(loaded.get("_fake_differs", {}))
    assert shape_differences(loaded["body"], answer.json(), allowed) == []


def test_the_fake_answers_in_the_published_shape(weibo):
    first = weibo.state.add_comment(weibo.post.post_id, "供暖不热找谁？", author_name="网友甲")
    token = weibo.state.accounts["dt_fabu_wb"].credentials["access_token"]
    listed = httpx.get(weibo.base_url + "/2/comments/to_me.json", params={"access_token": token})
    _shaped_like("weibo/comments_to_me", listed)
    replied = httpx.post(
        weibo.base_url + "/2/comments/reply.json",
        data={
            "access_token": token,
            "cid": first.comment_id,
            "id": weibo.post.post_id,
            "comment": "请拨打供暖热线",
            "rip": "10.1.1.1",
        },
    )
    loaded = example("weibo/comments_reply")
    # The reply's user and status are the full objects (the example is trimmed to the keys read).
    missing = [d for d in shape_differences(loaded["body"], replied.json()) if "缺少" in d]
    assert missing == []


def test_comments_page_down_and_keep_threads(weibo, clock, sleeps):
    post = weibo.post
    made = [
        weibo.state.add_comment(
            post.post_id, f"第{n}条留言", created_at=START + timedelta(minutes=n)
        )
        for n in range(7)
    ]
    follow_up = weibo.state.add_comment(
        post.post_id, "还是不热", reply_to=made[0].comment_id, created_at=START + timedelta(hours=1)
    )
    own = weibo.state.add_comment(
        post.post_id, "已转供热公司", reply_to=made[1].comment_id, by_account=True
    )
    client = client_for(weibo, clock, sleeps, page_size=3)
    comments, pages = read_comments(client, account_ref(weibo, "dt_fabu_wb"))
    ids = [c.comment_id for c in comments]
    assert own.comment_id not in ids  # to_me: the account's own replies are not "received"
    assert sorted(ids) == sorted([c.comment_id for c in made] + [follow_up.comment_id])
    assert pages == 3
    [again] = [c for c in comments if c.comment_id == follow_up.comment_id]
    assert again.reply_to_id == made[0].comment_id and again.post_id == post.post_id
    client.close()


def test_errors_map_to_typed_errors(weibo, clock, sleeps):
    client = client_for(weibo, clock, sleeps)
    weibo.misbehave("expired_token", path="/2/comments/to_me.json")
    with pytest.raises(TokenExpired):
        client.list_comments(account_ref(weibo, "dt_fabu_wb"))
    weibo.misbehave("http_500", times=1)
    weibo.state.add_comment(weibo.post.post_id, "你好")
    assert len(client.list_comments(account_ref(weibo, "dt_fabu_wb")).comments) == 1
    assert len(sleeps) == 1  # retried once after the 500
    client.close()


def test_a_reply_is_stored_and_a_repeat_refused(weibo, clock, sleeps):
    comment = weibo.state.add_comment(weibo.post.post_id, "几点开门？")
    client = client_for(weibo, clock, sleeps)
    account = account_ref(weibo, "dt_fabu_wb")
    sent = client.reply_comment(
        account,
        comment_id=comment.comment_id,
        post_id=weibo.post.post_id,
        text="工作日8:30开门",
        user_ip="10.1.1.1",
    )
    stored = weibo.state.comment(sent.reply_id)
    assert stored.by_account and stored.reply_to == comment.comment_id
    with pytest.raises(ContentRejected) as refused:
        client.reply_comment(
            account,
            comment_id=comment.comment_id,
            post_id=weibo.post.post_id,
            text="工作日8:30开门",
            user_ip="10.1.1.1",
        )
    assert refused.value.code == 20019
    client.close()


def test_a_reply_whose_answer_is_lost_is_not_sent_again(weibo, clock, sleeps):
    comment = weibo.state.add_comment(weibo.post.post_id, "几点开门？")
    client = client_for(weibo, clock, sleeps, timeout=SHORT_TIMEOUT)
    weibo.misbehave("slow", delay=SLOW, path="/2/comments/reply.json")
    with pytest.raises(OutcomeUnknown):
        client.reply_comment(
            account_ref(weibo, "dt_fabu_wb"),
            comment_id=comment.comment_id,
            post_id=weibo.post.post_id,
            text="8:30",
            user_ip="10.1.1.1",
        )
    assert weibo.request_count("/2/comments/reply.json") == 1
    client.close()
