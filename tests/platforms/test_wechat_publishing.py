"""Publishing to a 微信公众号 against the fake 微信公众平台: cover, body images, draft, submit,
the asynchronous publication, the documented limits and error codes, and no retried submit."""

import time

import httpx
import pytest

from govmedia.platforms.base import (
    ContentRejected,
    NotFound,
    OutcomeUnknown,
    Publication,
    PublishTicket,
)
from govmedia.platforms.fakes.wechat import WeChatApp
from govmedia.platforms.wechat import WeChatClient
from tests.platforms.conftest import SHORT_TIMEOUT, SLOW, account_ref, client_options, serve

ADD_MATERIAL = "/cgi-bin/material/add_material"
UPLOADIMG = "/cgi-bin/media/uploadimg"
DRAFT_ADD = "/cgi-bin/draft/add"
SUBMIT = "/cgi-bin/freepublish/submit"
STATE = "/cgi-bin/freepublish/get"
BATCHGET = "/cgi-bin/freepublish/batchget"

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x11" * 2000
PNG = b"\x89PNG\r\n\x1a\n" + b"\x22" * 2000
GIF = b"GIF89a" + b"\x33" * 200
BODY = '<p>冬季供暖服务热线公布。</p><p><img src="images/map.png" alt="网点分布"></p>'


@pytest.fixture
def server(clock):
    server = serve(WeChatApp, clock)
    server.state.add_account("dt_tianzhong", "天中发布")
    yield server
    server.stop()


@pytest.fixture
def client(server, clock, sleeps):
    client = WeChatClient(server.base_url, **client_options(clock, sleeps))
    yield client
    client.close()


@pytest.fixture
def account(server):
    return account_ref(server, "dt_tianzhong")


def article(**changes) -> Publication:
    values = {
        "title": "天中街道冬季供暖服务热线公布",
        "html": BODY,
        "author": "天中街道办事处",
        "digest": "供暖服务热线与便民网点",
        "cover": JPEG,
        "images": {"images/map.png": PNG},
        "source_url": "http://www.dingtao.gov.cn/art/2026/11/24/art_1.html",
    }
    values.update(changes)
    return Publication(**values)


def test_the_whole_flow_publishes_an_article_the_next_pull_sees(
    http, server, client, account, clock
):
    ticket = client.publish(account, article())
    for path in (ADD_MATERIAL, UPLOADIMG, DRAFT_ADD, SUBMIT):
        assert server.request_count(path) == 1, path

    pending = client.publish_status(account, ticket)
    assert pending.state == "publishing" and pending.code == 1
    assert client.list_posts(account).posts == []  # not out yet

    clock.advance(server.app.publish_delay)
    done = client.publish_status(account, ticket)
    assert done.state == "published" and done.post_id and done.url.startswith("http://mp.")

    [post] = client.list_posts(account).posts
    assert post.post_id == done.post_id and post.url == done.url
    assert post.title == "天中街道冬季供暖服务热线公布" and post.is_html
    # The body's image now points at the URL uploadimg gave; the local name is gone.
    assert "images/map.png" not in post.text
    assert '<img src="http://mmbiz.qpic.cn/mmbiz_png/' in post.text
    assert client.get_post(account, done.post_id).title == post.title

    # batchget carries the drafted author, digest, source link and cover like any article.
    raw = batchget(http, server, account)
    news = raw["item"][0]["content"]["news_item"][0]
    assert news["author"] == "天中街道办事处" and news["digest"] == "供暖服务热线与便民网点"
    assert news["content_source_url"].endswith("art_1.html")
    assert news["thumb_media_id"] in server.app.publishing.materials


def test_an_image_already_served_by_wechat_is_kept_and_not_uploaded(server, client, account):
    served = "http://mmbiz.qpic.cn/mmbiz_jpg/abc/0"
    client.publish(account, article(html=f'<p>正文</p><img src="{served}">', images={}))
    assert server.request_count(UPLOADIMG) == 0
    [draft] = [job.article for job in server.app.publishing.jobs.values()]
    assert served in draft["content"]


def test_a_body_image_not_supplied_is_refused_before_anything_is_sent(server, client, account):
    with pytest.raises(ContentRejected) as raised:
        client.publish(
            account, article(html=BODY + '<img src="https://example.com/x.jpg">', images={})
        )
    assert raised.value.field == "images" and "images/map.png" in raised.value.message
    assert "example.com/x.jpg" in raised.value.message
    assert server.request_count() == 0


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"title": "定" * 33}, 45003, "title"),
        ({"title": ""}, 40227, "title"),
        ({"author": "天" * 17}, 45110, "author"),
        ({"digest": "摘" * 129}, 45004, "digest"),
        ({"html": "<p>" + "文" * 20_000 + "</p>", "images": {}}, 45002, "html"),
        ({"source_url": "http://www.dingtao.gov.cn/" + "a" * 1024}, 45005, "source_url"),
        ({"cover": None}, 40007, "cover"),  # draft/add without thumb_media_id
    ],
)
def test_each_documented_limit_is_refused_with_its_code(
    server, client, account, changes, code, field
):
    with pytest.raises(ContentRejected) as raised:
        client.publish(account, article(**changes))
    assert raised.value.code == code and raised.value.field == field
    assert f"微信错误码 {code}" in raised.value.message
    assert server.request_count(SUBMIT) == 0


def test_the_limits_themselves_are_accepted(server, client, account):
    client.publish(
        account,
        article(title="定" * 32, author="天" * 16, digest="摘" * 128, html="<p>" + "文" * 19_990),
    )
    assert server.request_count(SUBMIT) == 1


@pytest.mark.parametrize(
    ("image", "code"),
    [
        (PNG + b"\x00" * (1024 * 1024), 40009),  # uploadimg: "大小必须在1MB以下"
        (GIF, 40005),  # uploadimg takes jpg/png only
        (b"%PDF-1.7 not an image", 40005),
    ],
)
def test_a_body_image_wechat_refuses(server, client, account, image, code):
    with pytest.raises(ContentRejected) as raised:
        client.publish(account, article(images={"images/map.png": image}))
    assert raised.value.code == code and raised.value.field == "images"
    assert server.request_count(DRAFT_ADD) == 0


def test_a_cover_that_is_not_an_image_is_refused(server, client, account):
    with pytest.raises(ContentRejected) as raised:
        client.upload_cover(account, b"plain text", "cover.txt")
    assert raised.value.code == 40005 and raised.value.field == "cover"
    assert client.upload_cover(account, GIF, "cover.gif")  # add_material takes gif too


def test_an_expired_token_mid_flow_is_refreshed_and_the_call_repeated(server, client, account):
    server.misbehave("expired_token", path=DRAFT_ADD)
    server.misbehave("expired_token", path=SUBMIT)
    ticket = client.publish(account, article())
    assert server.app.tokens_issued == 3  # the first, and one after each refusal
    assert server.request_count(DRAFT_ADD) == 2 and server.request_count(SUBMIT) == 2
    assert len(server.app.publishing.jobs) == 1  # the refused submit published nothing
    assert ticket.ticket in server.app.publishing.jobs


@pytest.mark.parametrize(
    ("status", "words"), [(2, "原创声明未通过"), (3, "常规失败"), (4, "审核不通过")]
)
def test_a_failed_publication_is_failed_with_a_message(
    server, client, account, clock, status, words
):
    server.app.fail_next_publish(status)
    ticket = client.publish(account, article())
    assert client.publish_status(account, ticket).state == "publishing"
    clock.advance(server.app.publish_delay)
    result = client.publish_status(account, ticket)
    assert result.state == "failed" and result.code == status
    assert words in result.message and "第 1 篇" in result.message
    assert client.list_posts(account).posts == []


def test_an_unknown_publish_id_is_not_found(client, account):
    with pytest.raises(NotFound) as raised:
        client.publish_status(account, PublishTicket("100000001"))
    assert raised.value.code == 53502


def test_a_submit_that_times_out_is_not_repeated(server, clock, sleeps, account):
    client = WeChatClient(server.base_url, timeout=SHORT_TIMEOUT, **client_options(clock, sleeps))
    server.misbehave("slow", delay=SLOW, path=SUBMIT)
    with pytest.raises(OutcomeUnknown) as raised:
        client.publish(account, article())
    assert "切勿直接重新发布" in raised.value.message
    assert server.request_count(SUBMIT) == 1
    # WeChat took it all the same: the publication exists once the slow answer is done.
    deadline = time.monotonic() + 5
    while not server.app.publishing.jobs and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(server.app.publishing.jobs) == 1
    client.close()


def test_a_submit_answered_with_a_500_is_not_repeated_but_reads_are(server, client, account):
    server.misbehave("http_500", path=SUBMIT)
    with pytest.raises(OutcomeUnknown):
        client.publish(account, article())
    assert server.request_count(SUBMIT) == 1

    ticket = client.publish(account, article(title="第二篇"))
    server.misbehave("http_500", path=STATE)
    assert client.publish_status(account, ticket).state == "publishing"
    assert server.request_count(STATE) == 2


def test_uploads_are_retried_like_reads(server, client, account):
    server.misbehave("http_500", path=UPLOADIMG)
    client.publish(account, article())
    assert server.request_count(UPLOADIMG) == 2 and server.request_count(SUBMIT) == 1


# -- the fake's answers in the documented shapes ----------------------------------------------


@pytest.fixture
def http():
    with httpx.Client() as http:  # one client: a new one per call would cost ~0.1 s each
        yield http


def token_for(http, server, account) -> str:
    creds = account.credentials
    answer = http.get(
        server.base_url + "/cgi-bin/token",
        params={
            "grant_type": "client_credential",
            "appid": creds.get("app_id"),
            "secret": creds.get("app_secret"),
        },
    )
    return answer.json()["access_token"]


def call(http, server, token, path, *, json=None, files=None, params=None) -> dict:
    answer = http.post(
        server.base_url + path,
        params={"access_token": token, **(params or {})},
        json=json,
        files=files,
    )
    assert answer.status_code == 200  # WeChat answers errors with HTTP 200 too
    return answer.json()


def batchget(http, server, account) -> dict:
    token = token_for(http, server, account)
    return call(http, server, token, BATCHGET, json={"offset": 0, "count": 20, "no_content": 0})


def test_each_publishing_answer_has_exactly_the_documented_keys(http, server, account, clock):
    token = token_for(http, server, account)
    material = call(
        http,
        server,
        token,
        ADD_MATERIAL,
        params={"type": "image"},
        files={"media": ("c.jpg", JPEG)},
    )
    assert set(material) == {"media_id", "url"}
    image = call(http, server, token, UPLOADIMG, files={"media": ("a.png", PNG)})
    assert set(image) == {"url", "errcode", "errmsg"} and image["errcode"] == 0
    assert image["url"].startswith("http://mmbiz.qpic.cn/")
    article_body = {
        "title": "标题",
        "author": "作者",
        "digest": "摘要",
        "content": f'<p>正文</p><img src="{image["url"]}">',
        "content_source_url": "",
        "thumb_media_id": material["media_id"],
        "need_open_comment": 0,
        "only_fans_can_comment": 0,
    }
    draft = call(http, server, token, DRAFT_ADD, json={"articles": [article_body]})
    assert set(draft) == {"media_id"}
    submitted = call(http, server, token, SUBMIT, json={"media_id": draft["media_id"]})
    assert set(submitted) == {"errcode", "errmsg", "publish_id", "msg_data_id"}
    assert submitted["errcode"] == 0 and submitted["errmsg"] == "ok"
    publish_id = submitted["publish_id"]

    going = call(http, server, token, STATE, json={"publish_id": publish_id})
    assert going == {"publish_id": publish_id, "publish_status": 1, "fail_idx": []}
    clock.advance(server.app.publish_delay)
    done = call(http, server, token, STATE, json={"publish_id": publish_id})
    assert set(done) == {"publish_id", "publish_status", "article_id", "article_detail", "fail_idx"}
    assert done["publish_status"] == 0 and done["fail_idx"] == []
    assert set(done["article_detail"]) == {"count", "item"}
    assert [set(item) for item in done["article_detail"]["item"]] == [{"idx", "article_url"}]

    # The draft left the 草稿箱 when it was published: a second submit is refused.
    again = call(http, server, token, SUBMIT, json={"media_id": draft["media_id"]})
    assert set(again) == {"errcode", "errmsg"} and again["errcode"] == 40007

    server.app.fail_next_publish(4)
    draft = call(http, server, token, DRAFT_ADD, json={"articles": [article_body]})
    submitted = call(http, server, token, SUBMIT, json={"media_id": draft["media_id"]})
    clock.advance(server.app.publish_delay)
    failed = call(http, server, token, STATE, json={"publish_id": submitted["publish_id"]})
    assert failed == {"publish_id": submitted["publish_id"], "publish_status": 4, "fail_idx": [1]}


def test_the_fake_drops_scripts_and_outside_images_as_wechat_does(http, server, account):
    token = token_for(http, server, account)
    material = call(
        http,
        server,
        token,
        ADD_MATERIAL,
        params={"type": "image"},
        files={"media": ("c.jpg", JPEG)},
    )
    content = '<p>正文</p><script>alert(1)</script><img src="https://example.com/x.jpg">'
    body = {"title": "标题", "content": content, "thumb_media_id": material["media_id"]}
    draft = call(http, server, token, DRAFT_ADD, json={"articles": [body]})
    [(_, [kept])] = [server.app.publishing.drafts[draft["media_id"]]]
    assert kept["content"] == "<p>正文</p>"


def test_only_img_src_is_rewritten_and_entities_are_read(server, client, account):
    html = '<p><img data-src="lazy.png" src="a&amp;b.png" alt="图"></p>'
    client.publish(account, article(html=html, images={"a&b.png": PNG}))
    assert server.request_count(UPLOADIMG) == 1
    [job] = server.app.publishing.jobs.values()
    assert 'data-src="lazy.png" src="http://mmbiz.qpic.cn/' in job.article["content"]
