"""Publishing to 微博 (statuses/share) against the fake 微博 API: the status goes out at once
and shows in the timeline; the 140-字 limit, the 安全域名 link, repeats and pictures are
refused with Weibo's codes; a share that may have gone out is never repeated."""

import time

import httpx
import pytest

from govmedia.platforms.base import (
    ContentRejected,
    OutcomeUnknown,
    Publication,
    PublishTicket,
    TokenExpired,
)
from govmedia.platforms.fakes.weibo import WeiboApp
from govmedia.platforms.weibo import WeiboClient
from govmedia.platforms.weibo.client import status_length
from tests.platforms.conftest import SHORT_TIMEOUT, SLOW, account_ref, client_options, serve

SHARE = "/2/statuses/share.json"
TIMELINE = "/2/statuses/user_timeline.json"
LINK = "http://www.dingtao.gov.cn/art/2026/11/24/art_1.html"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x22" * 2000


@pytest.fixture
def server(clock):
    server = serve(WeiboApp, clock)
    server.state.add_account("dt_fabu_wb", "定陶发布")
    yield server
    server.stop()


@pytest.fixture
def client(server, clock, sleeps):
    client = WeiboClient(server.base_url, **client_options(clock, sleeps))
    yield client
    client.close()


@pytest.fixture
def account(server):
    return account_ref(server, "dt_fabu_wb")


def status(text="【供暖】定陶区冬季供暖服务热线公布，详见", **changes) -> Publication:
    values = {"title": "", "text": text, "source_url": LINK, "user_ip": "211.156.0.1"}
    values.update(changes)
    return Publication(**values)


def test_a_shared_status_is_published_and_in_the_timeline(server, client, account):
    result = client.publish(account, status())
    uid = account.credentials.get("uid")
    assert result.state == "published" and result.post_id.isdigit()
    assert result.url == f"https://weibo.com/{uid}/{result.post_id}"
    assert server.request_count(SHARE) == 1

    [post] = client.list_posts(account).posts
    assert post.post_id == result.post_id
    assert post.text == f"【供暖】定陶区冬季供暖服务热线公布，详见 {LINK}"  # the link appended
    assert client.publish_status(account, PublishTicket(result.post_id)).state == "published"
    server.state.delete_post(result.post_id)
    gone = client.publish_status(account, PublishTicket(result.post_id))
    assert gone.state == "failed" and gone.code == 20101


def test_a_picture_goes_as_multipart_and_shows_in_the_timeline(http, server, client, account):
    result = client.publish(account, status(cover=PNG, cover_name="map.png"))
    raw = timeline(http, server, account)["statuses"][0]
    assert raw["idstr"] == result.post_id
    assert raw["original_pic"].startswith("http://ww2.sinaimg.cn/large/")


def test_140_characters_pass_and_141_are_refused_with_20012(server, client, account):
    fits = "定" * (140 - status_length(" " + LINK))
    assert client.publish(account, status(fits)).state == "published"
    with pytest.raises(ContentRejected) as raised:
        client.publish(account, status(fits + "陶"))
    assert raised.value.code == 20012 and raised.value.field == "text"
    assert "140" in raised.value.message


def test_a_status_without_a_link_of_the_safe_domain_is_refused(server, client, account):
    with pytest.raises(ContentRejected) as raised:
        client.publish(account, status(source_url="https://example.com/news/1.html"))
    assert raised.value.code == 10017 and raised.value.field == "source_url"
    with pytest.raises(ContentRejected):
        client.publish(account, status(source_url=""))
    assert client.list_posts(account).posts == []

    server.app.safe_domains = ("example.com",)  # the fake's safe domain is configurable
    assert client.publish(account, status(source_url="https://example.com/news/1.html")).post_id


def test_repeated_content_is_refused_with_20019(client, account):
    client.publish(account, status())
    with pytest.raises(ContentRejected) as raised:
        client.publish(account, status())
    assert raised.value.code == 20019 and raised.value.field == "text"
    assert len(client.list_posts(account).posts) == 1


def test_a_picture_weibo_does_not_take_is_refused(client, account):
    with pytest.raises(ContentRejected) as raised:
        client.publish(account, status(cover=b"%PDF-1.7", cover_name="a.pdf"))
    assert raised.value.code == 20005 and raised.value.field == "cover"


def test_the_publishing_users_ip_is_required(server, client, account):
    with pytest.raises(ContentRejected) as raised:
        client.publish(account, status(user_ip=""))
    assert raised.value.field == "user_ip"
    assert server.request_count(SHARE) == 0


def test_an_expired_token_is_token_expired(server, client, account):
    server.misbehave("expired_token", path=SHARE)
    with pytest.raises(TokenExpired):
        client.publish(account, status())
    assert server.request_count(SHARE) == 1


def test_a_share_that_times_out_is_not_repeated(server, clock, sleeps, account):
    client = WeiboClient(server.base_url, timeout=SHORT_TIMEOUT, **client_options(clock, sleeps))
    server.misbehave("slow", delay=SLOW, path=SHARE)
    with pytest.raises(OutcomeUnknown):
        client.publish(account, status())
    assert server.request_count(SHARE) == 1
    # It went out all the same: the next pull of the timeline tells.
    deadline = time.monotonic() + 5
    while not server.state.timeline("dt_fabu_wb") and time.monotonic() < deadline:
        time.sleep(0.05)
    client.transport.timeout = httpx.Timeout(10.0)
    assert len(client.list_posts(account).posts) == 1
    client.close()


def test_a_share_answered_with_a_500_is_not_repeated(server, client, account):
    server.misbehave("http_500", path=SHARE)
    with pytest.raises(OutcomeUnknown):
        client.publish(account, status())
    assert server.request_count(SHARE) == 1


# -- the fake's answers in the documented shapes ----------------------------------------------


@pytest.fixture
def http():
    with httpx.Client() as http:
        yield http


def timeline(http, server, account) -> dict:
    token = account.credentials.get("access_token")
    return http.get(server.base_url + TIMELINE, params={"access_token": token}).json()


def share(http, server, account, text, *, files=None, rip="211.156.0.1") -> httpx.Response:
    data = {"access_token": account.credentials.get("access_token"), "status": text}
    if rip:
        data["rip"] = rip
    return http.post(server.base_url + SHARE, data=data, files=files)


# The keys shown by the documented example of statuses/share (its excerpt ends at "user").
DOCUMENTED_SHARE_KEYS = {
    "created_at", "id", "mid", "idstr", "text", "source", "favorited", "truncated",
    "in_reply_to_status_id", "in_reply_to_user_id", "in_reply_to_screen_name",
    "thumbnail_pic", "bmiddle_pic", "original_pic", "geo", "user",
}  # fmt: skip


def test_the_share_answer_is_the_status_the_timeline_shows(http, server, account):
    answer = share(http, server, account, f"定陶区政务公开 {LINK}", files={"pic": ("a.png", PNG)})
    assert answer.status_code == 200
    shared = answer.json()
    assert set(shared) >= DOCUMENTED_SHARE_KEYS
    [listed] = timeline(http, server, account)["statuses"]
    assert shared == listed  # same keys, same values: "same shape as in user_timeline"

    plain = share(http, server, account, f"定陶区政务公开第二期 {LINK}").json()
    assert set(plain) == set(shared) - {"thumbnail_pic", "bmiddle_pic", "original_pic"}


@pytest.mark.parametrize(
    ("text", "kwargs", "code"),
    [
        ("定" * 141 + LINK, {}, 20012),
        ("没有链接", {}, 10017),
        ("   ", {}, 20008),
        (f"缺少 rip {LINK}", {"rip": ""}, 10016),
    ],
)
def test_errors_are_in_weibos_error_shape(http, server, account, text, kwargs, code):
    answer = share(http, server, account, text, **kwargs)
    assert answer.status_code == 400
    assert answer.json() == {"error": answer.json()["error"], "error_code": code, "request": SHARE}
