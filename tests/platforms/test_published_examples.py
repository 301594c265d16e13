"""Contract tests on the platforms' own published answers (tests/platforms/published/): each is
served as it is over real HTTP and the client must parse it, or map it to its typed error; and
each fake answers the same request in exactly the published shape (shape_differences).

Sources and what could not be confirmed: docs/platforms/*.md ("Published examples")."""

from datetime import datetime

import httpx
import pytest

from govmedia.platforms.base import (
    AccountRef,
    BadCredentials,
    ContentRejected,
    Credentials,
    NotFound,
    ParameterError,
    PlatformUnavailable,
    Publication,
    PublishTicket,
    TokenExpired,
)
from govmedia.platforms.douyin import DouyinClient
from govmedia.platforms.fakes.douyin import DouyinApp
from govmedia.platforms.fakes.kuaishou import KuaishouApp
from govmedia.platforms.fakes.wechat import WeChatApp
from govmedia.platforms.fakes.weibo import WeiboApp
from govmedia.platforms.kuaishou import KuaishouClient
from govmedia.platforms.times import CHINA, from_unix_seconds, parse_weibo_time
from govmedia.platforms.wechat import WeChatClient
from govmedia.platforms.weibo import WeiboClient
from tests.platforms.conftest import START, account_ref, client_options, serve
from tests.platforms.published import (
    every_example,
    example,
    serve_examples,
    shape_differences,
)

WECHAT = AccountRef("gh_published", Credentials({"app_id": "APPID", "app_secret": "APPSECRET"}))
WEIBO = AccountRef(
    "11488058246", Credentials({"access_token": "ACCESS_TOKEN", "uid": "1404376560"})
)
DOUYIN = AccountRef("dy", Credentials({"access_token": "act.1d1021d2", "open_id": "ba253642"}))
KUAISHOU = AccountRef("ks", Credentials({"access_token": "ACCESS_TOKEN", "app_id": "ks123"}))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x22" * 200


@pytest.fixture
def published():
    """start(*names) serves those examples and answers (base_url, app); all stop afterwards."""
    servers = []

    def start(*names):
        server, app = serve_examples(*names)
        servers.append(server)
        return server.base_url, app

    yield start
    for server in servers:
        server.stop()


def make(client_class, base_url, clock, sleeps, **options):
    return client_class(base_url, **client_options(clock, sleeps), **options)


# -- every example is valid and cites its source -----------------------------------------------


@pytest.mark.parametrize("name", every_example())
def test_each_example_names_its_source_and_request(name):
    loaded = example(name)
    assert loaded["_source"], name
    assert loaded["request"]["method"] in ("GET", "POST") and loaded["request"]["path"]
    assert isinstance(loaded["body"], dict)


# -- WeChat: the client on the published answers -----------------------------------------------


def test_wechat_batchget_example_parses_with_the_items_update_time(published, clock, sleeps):
    url, _ = published("wechat/token", "wechat/freepublish_batchget")
    client = make(WeChatClient, url, clock, sleeps)
    page = client.list_posts(WECHAT)
    [post] = page.posts
    assert post.post_id == "ARTICLE_ID" and post.title == "TITLE"
    # The only documented time: the item's update_time (there is no content.create_time).
    assert post.published_at == from_unix_seconds(1638163200)
    assert post.text == "CONTENT" and post.is_html and post.url == "URL"
    assert page.next_cursor is None  # 1 of total_count 1
    client.close()


def test_wechat_empty_batchget_from_the_community_parses(published, clock, sleeps):
    url, _ = published("wechat/token", "wechat/freepublish_batchget_empty")
    client = make(WeChatClient, url, clock, sleeps)
    page = client.list_posts(WECHAT)
    assert page.posts == [] and page.next_cursor is None
    client.close()


@pytest.mark.parametrize(
    "name", ["wechat/freepublish_getarticle", "wechat/freepublish_getarticle_2021"]
)
def test_wechat_getarticle_examples_both_parse(published, clock, sleeps, name):
    url, app = published("wechat/token", name)
    client = make(WeChatClient, url, clock, sleeps)
    # Published "now": no datacube figures are asked for an article of today.
    post = client.get_post(WECHAT, "ARTICLE_ID", published_at=START)
    assert post.title == "TITLE" and post.published_at == START and post.reads is None
    assert ("POST", "/datacube/getarticletotal") not in app.asked
    client.close()


@pytest.mark.parametrize(
    ("name", "state", "code"),
    [
        ("wechat/freepublish_get_published", "published", 0),
        ("wechat/freepublish_get_publishing", "publishing", 1),
        ("wechat/freepublish_get_original_failed", "failed", 2),
        ("wechat/freepublish_get_failed_community", "failed", 3),
    ],
)
def test_wechat_publish_state_examples(published, clock, sleeps, name, state, code):
    url, _ = published("wechat/token", name)
    client = make(WeChatClient, url, clock, sleeps)
    result = client.publish_status(WECHAT, PublishTicket("100000001"))
    assert (result.state, result.code) == (state, code)
    if state == "published":
        assert (result.post_id, result.url) == ("ARTICLE_ID", "ARTICLE_URL")
    if name.endswith("original_failed"):
        assert "第 1、2 篇" in result.message
    client.close()


def test_wechat_publishing_examples_draft_and_submit(published, clock, sleeps):
    url, _ = published(
        "wechat/token",
        "wechat/add_material",
        "wechat/uploadimg",
        "wechat/draft_add",
        "wechat/freepublish_submit",
    )
    client = make(WeChatClient, url, clock, sleeps)
    assert client.upload_cover(WECHAT, PNG, "cover.png") == "MEDIA_ID"
    assert client.upload_body_image(WECHAT, PNG, "a.png") == "http://mmbiz.qpic.cn/XXXXX"
    ticket = client.publish(
        WECHAT,
        Publication(title="标题", html='<p>正文</p><img src="a.png">', images={"a.png": PNG}),
    )
    assert ticket == PublishTicket("100000001")
    client.close()


# -- Weibo -------------------------------------------------------------------------------------


def test_weibo_official_timeline_example_without_idstr_or_attitudes_parses(
    published, clock, sleeps
):
    url, _ = published("weibo/statuses_user_timeline")
    client = make(WeiboClient, url, clock, sleeps)
    page = client.list_posts(WEIBO)
    [post] = page.posts
    assert post.post_id == "11488058246"  # from `id`: the example has no idstr
    assert post.published_at == parse_weibo_time("Tue May 31 17:46:55 +0800 2011")
    assert post.likes is None  # no attitudes_count: unknown, not a failed pull
    assert (post.shares, post.comments) == (8, 9)
    assert post.text == "求关注。"
    client.close()


# -- Douyin and Kuaishou -----------------------------------------------------------------------


def test_douyin_video_list_parses(published, clock, sleeps):
    url, _ = published("douyin/video_list")
    client = make(DouyinClient, url, clock, sleeps)
    page = client.list_posts(DOUYIN)
    [post] = page.posts
    assert post.published_at == datetime.fromtimestamp(1571075129, CHINA)
    assert (post.reads, post.likes, post.comments, post.shares) == (300, 200, 100, 10)
    assert page.next_cursor is None
    client.close()


def test_kuaishou_photo_list_parses(published, clock, sleeps):
    url, _ = published("kuaishou/photo_list")
    client = make(KuaishouClient, url, clock, sleeps)
    [post] = client.list_posts(KUAISHOU).posts
    assert (post.post_id, post.reads) == ("3xgbvb7p8iaisau", 1000)
    client.close()


# -- every published error maps to its typed error ---------------------------------------------

ERRORS = [
    # (examples served, client, call, typed error, code, what the message tells to check)
    (
        ("wechat/token", "wechat/freepublish_getarticle_invalid"),
        WeChatClient,
        lambda c: c.get_post(WECHAT, "ARTICLE_ID", published_at=START),
        NotFound,
        53600,
        "",
    ),
    (
        ("wechat/token", "wechat/invalid_args"),
        WeChatClient,
        lambda c: c.list_posts(WECHAT),
        ParameterError,
        40097,
        "offset",
    ),
    (
        ("wechat/token_invalid_appid",),
        WeChatClient,
        lambda c: c.get_profile(WECHAT),
        BadCredentials,
        40013,
        "",
    ),
    (
        ("weibo/error_code_string",),
        WeiboClient,
        lambda c: c.list_posts(WEIBO),
        PlatformUnavailable,
        20502,
        "",
    ),
    (("weibo/expired_token",), WeiboClient, lambda c: c.list_posts(WEIBO), TokenExpired, 21327, ""),
    (
        ("weibo/target_weibo_missing",),
        WeiboClient,
        lambda c: c.get_post(WEIBO, "11488058246"),
        NotFound,
        20101,
        "",
    ),
    (
        ("weibo/share_domain_refused",),
        WeiboClient,
        lambda c: c.publish(WEIBO, Publication(title="标题", text="正文", user_ip="10.1.2.3")),
        ContentRejected,
        10017,
        "",
    ),
    (
        ("douyin/parameter_error",),
        DouyinClient,
        lambda c: c.list_posts(DOUYIN),
        ParameterError,
        2100005,
        "open_id",
    ),
    (
        ("kuaishou/parameter_error",),
        KuaishouClient,
        lambda c: c.list_posts(KUAISHOU),
        ParameterError,
        100200100,
        "app_id",
    ),
]


@pytest.mark.parametrize(
    ("names", "client_class", "call", "typed", "code", "check"),
    ERRORS,
    ids=[names[-1] for names, *_ in ERRORS],
)
def test_each_published_error_maps_to_its_typed_error(
    published, clock, sleeps, names, client_class, call, typed, code, check
):
    url, app = published(*names)
    client = make(client_class, url, clock, sleeps)
    with pytest.raises(typed) as raised:
        call(client)
    assert raised.value.code == code
    if typed is ParameterError:
        # Not "platform down": asked once, never retried, and the message says what to check.
        assert not isinstance(raised.value, PlatformUnavailable)
        example_path = example(names[-1])["request"]["path"]
        assert sum(1 for _, path in app.asked if path == example_path) == 1 and sleeps == []
        assert check in raised.value.message and "请核对" in raised.value.message
        assert "重试不会改变结果" in raised.value.message
    if typed is ContentRejected:
        assert raised.value.field == "source_url"
    client.close()


# -- the fakes answer in exactly the published shapes ------------------------------------------


def assert_shaped_like(name: str, answer: httpx.Response) -> None:
    loaded = example(name)
    assert answer.status_code == loaded.get("status", 200), name
    allowed = frozenset(loaded.get("_fake_differs", {}))
    differences = shape_differences(loaded["body"], answer.json(), allowed)
    assert differences == [], f"{name}: {differences}"


@pytest.fixture
def wechat_fake(clock):
    server = serve(WeChatApp, clock)
    server.state.add_account("dt_tianzhong", "天中发布")
    server.state.add_post("dt_tianzhong", published_at=START, title="标题", text="<p>正文</p>")
    yield server
    server.stop()


def _wechat_token(server) -> str:
    creds = server.state.accounts["dt_tianzhong"].credentials
    answer = httpx.get(
        server.base_url + "/cgi-bin/token",
        params={
            "grant_type": "client_credential",
            "appid": creds["app_id"],
            "secret": creds["app_secret"],
        },
    )
    assert_shaped_like("wechat/token", answer)
    return answer.json()["access_token"]


def test_the_fake_wechat_answers_in_the_published_shapes(wechat_fake, clock):
    base = wechat_fake.base_url
    token = _wechat_token(wechat_fake)

    def post(path, **kwargs):
        return httpx.post(base + path, params={"access_token": token}, **kwargs)

    wrong = httpx.get(
        base + "/cgi-bin/token",
        params={"grant_type": "client_credential", "appid": "wx_nobody", "secret": "x"},
    )
    assert_shaped_like("wechat/token_invalid_appid", wrong)
    listed = post("/cgi-bin/freepublish/batchget", json={"offset": 0, "count": 20})
    assert_shaped_like("wechat/freepublish_batchget", listed)
    article_id = listed.json()["item"][0]["article_id"]
    got = post("/cgi-bin/freepublish/getarticle", json={"article_id": article_id})
    assert_shaped_like("wechat/freepublish_getarticle", got)
    missing = post("/cgi-bin/freepublish/getarticle", json={"article_id": "nope"})
    assert_shaped_like("wechat/freepublish_getarticle_invalid", missing)
    refused = post("/cgi-bin/freepublish/batchget", json={"offset": 0, "count": 0})
    assert_shaped_like("wechat/invalid_args", refused)

    cover = httpx.post(
        base + "/cgi-bin/material/add_material",
        params={"access_token": token, "type": "image"},
        files={"media": ("c.png", PNG, "image/png")},
    )
    assert_shaped_like("wechat/add_material", cover)
    image = post("/cgi-bin/media/uploadimg", files={"media": ("a.png", PNG, "image/png")})
    assert_shaped_like("wechat/uploadimg", image)
    article = {
        "title": "标题",
        "content": "<p>正文</p>",
        "thumb_media_id": cover.json()["media_id"],
    }
    draft = post("/cgi-bin/draft/add", json={"articles": [article]})
    assert_shaped_like("wechat/draft_add", draft)
    submitted = post("/cgi-bin/freepublish/submit", json={"media_id": draft.json()["media_id"]})
    assert_shaped_like("wechat/freepublish_submit", submitted)
    publish_id = submitted.json()["publish_id"]
    going = post("/cgi-bin/freepublish/get", json={"publish_id": publish_id})
    assert_shaped_like("wechat/freepublish_get_publishing", going)
    clock.advance(wechat_fake.app.publish_delay)
    done = post("/cgi-bin/freepublish/get", json={"publish_id": publish_id})
    assert_shaped_like("wechat/freepublish_get_published", done)

    wechat_fake.app.fail_next_publish(2)
    draft = post("/cgi-bin/draft/add", json={"articles": [article]})
    submitted = post("/cgi-bin/freepublish/submit", json={"media_id": draft.json()["media_id"]})
    clock.advance(wechat_fake.app.publish_delay)
    failed = post("/cgi-bin/freepublish/get", json={"publish_id": submitted.json()["publish_id"]})
    assert_shaped_like("wechat/freepublish_get_original_failed", failed)


def test_the_fake_batchget_item_has_no_content_times(wechat_fake):
    token = _wechat_token(wechat_fake)
    answer = httpx.post(
        wechat_fake.base_url + "/cgi-bin/freepublish/batchget",
        params={"access_token": token},
        json={"offset": 0, "count": 1},
    ).json()
    [item] = answer["item"]
    assert set(item) == {"article_id", "content", "update_time"}
    assert set(item["content"]) == {"news_item"}


def test_the_fake_weibo_answers_in_the_published_shapes(clock):
    server = serve(WeiboApp, clock)
    server.state.add_account("dt_fabu_wb", "定陶发布")
    server.state.add_post("dt_fabu_wb", published_at=START, text="冬季供暖服务热线公布")
    token = server.state.accounts["dt_fabu_wb"].credentials["access_token"]
    base = server.base_url
    timeline = httpx.get(base + "/2/statuses/user_timeline.json", params={"access_token": token})
    assert_shaped_like("weibo/statuses_user_timeline", timeline)
    missing = httpx.get(base + "/2/statuses/show.json", params={"access_token": token, "id": "1"})
    assert_shaped_like("weibo/target_weibo_missing", missing)
    refused = httpx.post(
        base + "/2/statuses/share.json",
        data={"access_token": token, "status": "没有链接", "rip": "10.1.2.3"},
    )
    assert_shaped_like("weibo/share_domain_refused", refused)
    server.misbehave("expired_token")
    expired = httpx.get(base + "/2/statuses/user_timeline.json", params={"access_token": token})
    # The published OAuth example is HTTP 403; the fake's 401 differs only in the status line.
    loaded = example("weibo/expired_token")
    assert shape_differences(loaded["body"], expired.json()) == []
    server.stop()


def test_the_fake_douyin_answers_in_the_published_shapes(clock):
    server = serve(DouyinApp, clock)
    server.state.add_account("dt_gongan_dy", "定陶公安")
    server.state.add_post("dt_gongan_dy", published_at=START, title="防范电信网络诈骗", reads=300)
    creds = server.state.accounts["dt_gongan_dy"].credentials
    base = server.base_url + "/api/douyin/v1/video/video_list/"
    headers = {"access-token": creds["access_token"]}
    listed = httpx.get(base, params={"open_id": creds["open_id"]}, headers=headers)
    assert_shaped_like("douyin/video_list", listed)
    assert "logid" in listed.json()["extra"]
    refused = httpx.get(base, params={"open_id": "someone-else"}, headers=headers)
    assert_shaped_like("douyin/parameter_error", refused)
    assert "log_id" in refused.json()["extra"]
    server.stop()


def test_the_fake_kuaishou_answers_in_the_shapes_of_the_public_clients(clock):
    server = serve(KuaishouApp, clock)
    server.state.add_account("dt_ks", "定陶公安")
    server.state.add_post("dt_ks", published_at=START, title="道路交通安全宣传进校园")
    ref = account_ref(server, "dt_ks")
    params = {
        "app_id": ref.credentials.get("app_id"),
        "access_token": ref.credentials.get("access_token"),
    }
    listed = httpx.get(server.base_url + "/openapi/photo/list", params=params)
    assert_shaped_like("kuaishou/photo_list", listed)
    refused = httpx.get(server.base_url + "/openapi/photo/list", params={**params, "count": "0"})
    assert_shaped_like("kuaishou/parameter_error", refused)
    server.stop()


def test_the_shape_comparison_finds_extra_missing_and_retyped_keys():
    published = {"item": [{"article_id": "A", "content": {"news_item": []}, "update_time": 1}]}
    roomier = {"item": [{"article_id": "A", "content": {"news_item": [], "create_time": 1}}]}
    assert sorted(shape_differences(published, roomier)) == [
        "item[].content.create_time: 多出（公开示例没有）",
        "item[].update_time: 缺少（公开示例有）",
    ]
    retyped = {"item": [{"article_id": 1, "content": {"news_item": []}, "update_time": 1}]}
    assert shape_differences(published, retyped) == [
        "item[].article_id: 类型 integer，公开示例为 string"
    ]
    allowed = frozenset({"item[].content.create_time", "item[].update_time"})
    assert shape_differences(published, roomier, allowed) == []


# -- comments (留言互动): WeChat's comment/list and comment/reply/add, Douyin's item/comment -----


def test_wechat_comment_examples_parse_and_a_second_reply_is_refused(published, clock, sleeps):
    from govmedia.platforms.comment_walk import WalkPost

    url, _ = published("wechat/token", "wechat/comment_list", "wechat/comment_reply_add")
    client = make(WeChatClient, url, clock, sleeps)
    article = WalkPost("2650000101:0", "ARTICLE_ID", "标题")
    [comment], following = client._comment_page(WECHAT, article, 0)
    assert comment.comment_id == "2650000101:0:1" and comment.post_id == "ARTICLE_ID"
    assert comment.created_at == from_unix_seconds(1614149062)
    assert comment.author_id == "oLVPpjqs9BhvzwPj5A-vTYAX3GLc" and following is None
    sent = client.reply_comment(
        WECHAT, comment_id=comment.comment_id, post_id="ARTICLE_ID", text="您好", user_ip=""
    )
    assert sent.reply_id == ""  # WeChat gives the reply no id
    client.close()
    url, app = published("wechat/token", "wechat/comment_already_reply")
    client = make(WeChatClient, url, clock, sleeps)
    with pytest.raises(ContentRejected) as refused:
        client.reply_comment(
            WECHAT, comment_id="2650000101:0:1", post_id="ARTICLE_ID", text="再答", user_ip=""
        )
    assert refused.value.code == 88005 and refused.value.field == "text"
    assert sum(1 for _, path in app.asked if path == "/cgi-bin/comment/reply/add") == 1
    client.close()


def test_douyin_comment_list_example_parses(published, clock, sleeps):
    url, _ = published("douyin/video_list", "douyin/comment_list")
    client = make(DouyinClient, url, clock, sleeps)
    page = client.list_comments(DOUYIN)
    [comment] = page.comments
    assert comment.comment_id.startswith("@9VwW0qOBUN9mJyD3") and len(comment.comment_id) > 64
    assert comment.post_id.startswith("@8hxdhauTCMpp") and comment.reply_to_id == ""
    assert comment.created_at == from_unix_seconds(1607399832)
    assert comment.text == "回复内容" and page.next_cursor is None
    client.close()


def test_the_fake_comments_answer_in_the_published_shapes(wechat_fake, clock):
    base = wechat_fake.base_url
    token = _wechat_token(wechat_fake)
    [article] = wechat_fake.state.timeline("dt_tianzhong")
    asked = wechat_fake.state.add_comment(article.post_id, "请问供暖热线是多少？")
    wechat_fake.state.add_comment(
        article.post_id, "您好，热线为0530-2218000。", reply_to=asked.comment_id, by_account=True
    )
    wechat_fake.state.add_comment(article.post_id, "暖气不热找谁？")

    def post(path, body):
        return httpx.post(base + path, params={"access_token": token}, json=body)

    where = {"msg_data_id": article.serial, "index": 0}
    listed = post("/cgi-bin/comment/list", {**where, "begin": 0, "count": 10, "type": 0})
    assert_shaped_like("wechat/comment_list", listed)
    assert [c["user_comment_id"] for c in listed.json()["comment"]] == [1, 2]
    replied = post("/cgi-bin/comment/reply/add", {**where, "user_comment_id": 2, "content": "您好"})
    assert_shaped_like("wechat/comment_reply_add", replied)
    again = post("/cgi-bin/comment/reply/add", {**where, "user_comment_id": 2, "content": "再答"})
    assert_shaped_like("wechat/comment_already_reply", again)

    server = serve(DouyinApp, clock)
    server.state.add_account("dt_gongan_dy", "定陶公安")
    video = server.state.add_post("dt_gongan_dy", published_at=START, title="防范电信网络诈骗")
    server.state.add_comment(video.post_id, "请问户口迁移在哪里办？")
    creds = server.state.accounts["dt_gongan_dy"].credentials
    comments = httpx.get(
        server.base_url + "/item/comment/list/",
        params={"open_id": creds["open_id"], "item_id": video.post_id, "count": 10},
        headers={"access-token": creds["access_token"]},
    )
    assert_shaped_like("douyin/comment_list", comments)
    server.stop()
