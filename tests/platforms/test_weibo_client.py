"""微博 client against the fake 微博 API."""

from datetime import timedelta

import pytest

from govmedia.platforms.base import (
    AccountRef,
    BadCredentials,
    Credentials,
    NotFound,
    PlatformUnavailable,
    RateLimited,
    TokenExpired,
)
from govmedia.platforms.fakes.weibo import WeiboApp
from govmedia.platforms.times import CHINA, format_weibo_time, parse_weibo_time
from govmedia.platforms.weibo import WeiboClient
from tests.platforms.conftest import (
    SHORT_TIMEOUT,
    SLOW,
    START,
    account_ref,
    client_options,
    read_all,
    seed_posts,
    serve,
)

TIMELINE = "/2/statuses/user_timeline.json"


@pytest.fixture
def server(clock):
    server = serve(WeiboApp, clock)
    server.state.add_account(
        "dt_fabu_wb", "定陶发布", verified_reason="菏泽市定陶区人民政府办公室", followers=52000
    )
    yield server
    server.stop()


@pytest.fixture
def client(server, clock, sleeps):
    client = WeiboClient(server.base_url, page_size=20, **client_options(clock, sleeps))
    yield client
    client.close()


@pytest.fixture
def account(server):
    return account_ref(server, "dt_fabu_wb")


def test_created_at_keeps_its_plus_0800_offset():
    moment = parse_weibo_time("Tue Nov 24 10:03:12 +0800 2026")
    assert moment == START
    assert moment.utcoffset() == timedelta(hours=8)
    assert parse_weibo_time("Tue Nov 24 02:03:12 +0000 2026") == START
    assert format_weibo_time(START.astimezone(CHINA)) == "Tue Nov 24 10:03:12 +0800 2026"


def test_pages_down_the_timeline_with_max_id_to_the_end(server, client, account):
    seeded = seed_posts(server, "dt_fabu_wb", 45)
    posts, pages = read_all(client, account)
    assert pages == 3
    assert [p.post_id for p in posts] == [s.post_id for s in seeded]
    first = posts[0]
    assert first.published_at == START
    assert (first.likes, first.shares, first.comments) == (10, 5, 2)
    assert first.url == f"https://m.weibo.cn/status/{first.post_id}"


def test_posts_added_out_of_order_still_page_newest_first(server, client, account):
    old = server.state.add_post("dt_fabu_wb", published_at=START - timedelta(days=3), text="旧")
    new = server.state.add_post("dt_fabu_wb", published_at=START, text="新")
    posts, _ = read_all(client, account)
    assert [p.post_id for p in posts] == [new.post_id, old.post_id]


def test_an_expired_token_is_token_expired_and_not_retried(server, client, account):
    server.misbehave("expired_token")
    with pytest.raises(TokenExpired) as raised:
        client.list_posts(account)
    assert raised.value.code == 21327
    assert server.request_count() == 1


def test_an_invalid_token_is_bad_credentials(server, client):
    creds = dict(server.state.accounts["dt_fabu_wb"].credentials, access_token="2.00nope")
    with pytest.raises(BadCredentials) as raised:
        client.list_posts(AccountRef("dt_fabu_wb", Credentials(creds)))
    assert raised.value.code == 21332


def test_user_rate_limit_waits_for_the_next_hour(server, client, account):
    server.misbehave("rate_limit")
    with pytest.raises(RateLimited) as raised:
        client.list_posts(account)
    assert raised.value.code == 10023
    assert raised.value.retry_after == pytest.approx(3600 - (3 * 60 + 12))  # START is hh:03:12


def test_500s_are_retried_then_platform_unavailable(server, client, account, sleeps):
    seed_posts(server, "dt_fabu_wb", 1)
    server.misbehave("http_500", times=2)
    assert len(client.list_posts(account).posts) == 1
    assert len(sleeps) == 2
    server.misbehave("http_500", times=3)
    with pytest.raises(PlatformUnavailable):
        client.list_posts(account)
    assert server.request_count(TIMELINE) == 6


def test_system_error_is_retried(server, client, account):
    server.misbehave("busy")
    client.list_posts(account)
    assert server.request_count(TIMELINE) == 2


def test_a_slow_answer_times_out_and_is_retried(server, clock, sleeps, account):
    client = WeiboClient(server.base_url, timeout=SHORT_TIMEOUT, **client_options(clock, sleeps))
    server.misbehave("slow", delay=SLOW)
    client.list_posts(account)
    server.misbehave("slow", times=3, delay=SLOW)
    with pytest.raises(PlatformUnavailable):
        client.list_posts(account)
    client.close()


def test_truncated_json_is_retried_then_platform_unavailable(server, client, account):
    seed_posts(server, "dt_fabu_wb", 3)
    server.misbehave("truncated_json")
    assert len(client.list_posts(account).posts) == 3
    server.misbehave("truncated_json", times=3)
    with pytest.raises(PlatformUnavailable):
        client.list_posts(account)


def test_one_status_with_its_counts_and_a_deleted_one(server, client, account):
    [post] = seed_posts(server, "dt_fabu_wb", 1)
    got = client.get_post(account, post.post_id)
    assert got.text == post.text and got.likes == 10 and got.published_at == START
    server.state.delete_post(post.post_id)
    with pytest.raises(NotFound) as raised:
        client.get_post(account, post.post_id)
    assert raised.value.code == 20101
    with pytest.raises(NotFound):
        client.get_post(account, "not-a-weibo-id")


def test_profile_with_verification(client, account):
    profile = client.get_profile(account)
    assert profile.display_name == "定陶发布"
    assert profile.verified and profile.verified_reason == "菏泽市定陶区人民政府办公室"
    assert profile.verification_known


def test_an_unknown_user_is_not_found(server, client):
    creds = dict(server.state.accounts["dt_fabu_wb"].credentials, uid="1000000000001")
    with pytest.raises(NotFound) as raised:
        client.get_profile(AccountRef("nobody", Credentials(creds)))
    assert raised.value.code == 20003


def test_user_search_finds_the_unverified_lookalike(server, clock, sleeps, account):
    server.state.add_account("dingtao_fabu_2", "定陶发布官方", verified=False)
    client = WeiboClient(
        server.base_url, search_credentials=account.credentials, **client_options(clock, sleeps)
    )
    found = {p.display_name: p for p in client.search_accounts("定陶发布")}
    assert set(found) == {"定陶发布", "定陶发布官方"}
    assert found["定陶发布"].verified and not found["定陶发布官方"].verified
    assert (
        WeiboClient(server.base_url, **client_options(clock, sleeps)).search_accounts("定陶") == []
    )
    client.close()
