"""Every error code the publishing docs name, mapped to its typed error.

The fakes produce the common refusals (test_wechat_publishing, test_weibo_publishing); the rarer
answers (account banned, rate limits, accepted-but-late) are given here by an httpx
MockTransport answering in the platform's documented error shape.
"""

import httpx
import pytest

from govmedia.platforms.base import (
    AccountRef,
    BadCredentials,
    ContentRejected,
    Credentials,
    NotFound,
    PlatformUnavailable,
    Publication,
    PublishTicket,
    RateLimited,
)
from govmedia.platforms.wechat import WeChatClient
from govmedia.platforms.weibo import WeiboClient
from tests.platforms.conftest import client_options

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WECHAT = AccountRef("dt_tianzhong", Credentials({"app_id": "wx1", "app_secret": "s"}))
WEIBO = AccountRef("dt_fabu_wb", Credentials({"access_token": "2.00x", "uid": "1000000000042"}))


def wechat_answering(path: str, answer: dict, clock, sleeps) -> WeChatClient:
    """A WeChat client whose every call succeeds except `path`, which answers `answer`."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/cgi-bin/token":
            return httpx.Response(200, json={"access_token": "T", "expires_in": 7200})
        if request.url.path == path:
            return httpx.Response(200, json=answer)
        return httpx.Response(
            200,
            json={
                "/cgi-bin/material/add_material": {
                    "media_id": "M",
                    "url": "http://mmbiz.qpic.cn/c",
                },
                "/cgi-bin/media/uploadimg": {"url": "http://mmbiz.qpic.cn/i", "errcode": 0},
                "/cgi-bin/draft/add": {"media_id": "D"},
                "/cgi-bin/freepublish/submit": {"errcode": 0, "errmsg": "ok", "publish_id": 7},
            }[request.url.path],
        )

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return WeChatClient("https://api.weixin.qq.com", http=http, **client_options(clock, sleeps))


PUBLICATION = Publication(title="标题", html="<p>正文</p>", cover=JPEG)


@pytest.mark.parametrize(
    ("path", "code", "raised", "field"),
    [
        ("/cgi-bin/material/add_material", 40005, ContentRejected, "cover"),
        ("/cgi-bin/material/add_material", 40009, ContentRejected, "cover"),
        ("/cgi-bin/material/add_material", 41005, ContentRejected, "cover"),
        ("/cgi-bin/material/add_material", 45001, ContentRejected, "cover"),
        ("/cgi-bin/draft/add", 40007, ContentRejected, "cover"),
        ("/cgi-bin/draft/add", 44003, ContentRejected, "html"),
        ("/cgi-bin/draft/add", 45166, ContentRejected, "html"),
        ("/cgi-bin/freepublish/submit", 53503, ContentRejected, None),
        ("/cgi-bin/freepublish/submit", 53504, ContentRejected, None),
        ("/cgi-bin/freepublish/submit", 53505, ContentRejected, None),
        ("/cgi-bin/freepublish/submit", 48021, ContentRejected, None),
        ("/cgi-bin/freepublish/submit", 40007, ContentRejected, None),
        ("/cgi-bin/freepublish/submit", 53500, BadCredentials, None),
        ("/cgi-bin/freepublish/submit", 48001, BadCredentials, None),
        ("/cgi-bin/freepublish/submit", 53501, RateLimited, None),
        ("/cgi-bin/freepublish/submit", 45009, RateLimited, None),
    ],
)
def test_wechat_publishing_codes(clock, sleeps, path, code, raised, field):
    client = wechat_answering(path, {"errcode": code, "errmsg": "x rid: 1"}, clock, sleeps)
    with pytest.raises(raised) as error:
        client.publish(WECHAT, PUBLICATION)
    assert error.value.code == code
    if raised is ContentRejected:
        assert error.value.field == field
    if code == 53501:
        assert error.value.retry_after == 60


def test_wechat_busy_on_submit_is_not_repeated(clock, sleeps):
    client = wechat_answering("/cgi-bin/freepublish/submit", {"errcode": -1}, clock, sleeps)
    with pytest.raises(PlatformUnavailable):
        client.publish(WECHAT, PUBLICATION)
    assert sleeps == []  # no back-off: nothing was asked twice


@pytest.mark.parametrize(
    ("answer", "state", "post_id"),
    [
        ({"publish_id": "7", "publish_status": 5, "article_id": "Ar1", "fail_idx": []}, "failed", "Ar1"),
        ({"publish_id": 7, "publish_status": 6, "fail_idx": []}, "failed", ""),
        ({"publish_id": "7", "publish_status": 0, "article_id": "Ar2", "fail_idx": []}, "published", "Ar2"),
    ],
)  # fmt: skip
def test_wechat_states_after_publication(clock, sleeps, answer, state, post_id):
    client = wechat_answering("/cgi-bin/freepublish/get", answer, clock, sleeps)
    result = client.publish_status(WECHAT, PublishTicket("7"))
    assert (
        result.state == state
        and result.post_id == post_id
        and result.code == answer["publish_status"]
    )


def test_wechat_numeric_publish_id_is_kept_as_text(clock, sleeps):
    client = wechat_answering("/none", {}, clock, sleeps)
    assert client.publish(WECHAT, PUBLICATION) == PublishTicket("7")


def weibo_answering(status: int, answer: dict, clock, sleeps) -> WeiboClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=answer)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return WeiboClient("https://api.weibo.com", http=http, **client_options(clock, sleeps))


WEIBO_POST = Publication(
    title="", text="定陶发布 http://www.dingtao.gov.cn/a.html", user_ip="1.2.3.4"
)


@pytest.mark.parametrize(
    ("code", "raised", "field"),
    [
        (10017, ContentRejected, "source_url"),
        (20005, ContentRejected, "cover"),
        (20006, ContentRejected, "cover"),
        (20008, ContentRejected, "text"),
        (20012, ContentRejected, "text"),
        (20017, ContentRejected, "text"),
        (20018, ContentRejected, "text"),
        (20019, ContentRejected, "text"),
        (20020, ContentRejected, "text"),
        (20021, ContentRejected, "text"),
        (20031, ContentRejected, None),
        (20111, ContentRejected, "text"),
        (20016, RateLimited, None),
        (10023, RateLimited, None),
        (10014, BadCredentials, None),
        (21332, BadCredentials, None),
    ],
)
def test_weibo_share_codes(clock, sleeps, code, raised, field):
    answer = {"error": "x", "error_code": str(code), "request": "/2/statuses/share.json"}
    client = weibo_answering(400, answer, clock, sleeps)
    with pytest.raises(raised) as error:
        client.publish(WEIBO, WEIBO_POST)
    assert error.value.code == code
    if raised is ContentRejected:
        assert error.value.field == field


def test_weibo_accepted_but_late_is_publishing(clock, sleeps):
    answer = {"error": "Update success, while server slow now", "error_code": 20032}
    result = weibo_answering(400, answer, clock, sleeps).publish(WEIBO, WEIBO_POST)
    assert result.state == "publishing" and result.code == 20032


def test_weibo_show_of_a_missing_status_is_failed(clock, sleeps):
    answer = {"error": "target weibo does not exist!", "error_code": 20101}
    result = weibo_answering(400, answer, clock, sleeps).publish_status(WEIBO, PublishTicket("12"))
    assert result.state == "failed" and result.code == 20101


def test_a_not_found_publish_ticket_on_weibo(clock, sleeps):
    with pytest.raises(NotFound):
        weibo_answering(200, {}, clock, sleeps).publish_status(WEIBO, PublishTicket("x"))
