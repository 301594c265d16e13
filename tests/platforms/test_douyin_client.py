"""抖音 client against the fake 抖音开放平台."""

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
from govmedia.platforms.douyin import DouyinClient
from govmedia.platforms.fakes.douyin import DouyinApp
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

VIDEO_LIST = "/api/douyin/v1/video/video_list/"


@pytest.fixture
def server(clock):
    server = serve(DouyinApp, clock)
    server.state.add_account("dt_gongan_dy", "定陶公安")
    yield server
    server.stop()


@pytest.fixture
def client(server, clock, sleeps):
    client = DouyinClient(server.base_url, **client_options(clock, sleeps))
    yield client
    client.close()


@pytest.fixture
def account(server):
    return account_ref(server, "dt_gongan_dy")


def test_follows_the_cursor_while_has_more(server, client, account):
    seeded = seed_posts(server, "dt_gongan_dy", 45)
    posts, pages = read_all(client, account)
    assert pages == 3  # count is at most 20
    assert [p.post_id for p in posts] == [s.post_id for s in seeded]
    first = posts[0]
    assert first.published_at == START
    assert (first.reads, first.likes, first.shares, first.comments) == (1000, 10, 5, 2)
    assert first.post_id.startswith("@")


def test_a_video_in_review_is_not_yet_published(server, client, account):
    server.state.add_post("dt_gongan_dy", published_at=START, title="审核中", pending=True)
    assert client.list_posts(account).posts == []


def test_an_expired_token_is_token_expired(server, client, account):
    server.misbehave("expired_token")
    with pytest.raises(TokenExpired) as raised:
        client.list_posts(account)
    assert raised.value.code == 2190008
    assert server.request_count() == 1


def test_an_invalid_token_is_bad_credentials(server, client):
    creds = dict(server.state.accounts["dt_gongan_dy"].credentials, access_token="act.nope")
    with pytest.raises(BadCredentials) as raised:
        client.list_posts(AccountRef("dt_gongan_dy", Credentials(creds)))
    assert raised.value.code == 2190002


def test_rate_limited(server, client, account):
    server.misbehave("rate_limit")
    with pytest.raises(RateLimited) as raised:
        client.list_posts(account)
    assert raised.value.retry_after == 60.0
    assert server.request_count() == 1


def test_500s_and_busy_answers_are_retried_then_platform_unavailable(server, client, account):
    seed_posts(server, "dt_gongan_dy", 2)
    server.misbehave("http_500")
    server.misbehave("busy")
    assert len(client.list_posts(account).posts) == 2
    assert server.request_count(VIDEO_LIST) == 3
    server.misbehave("http_500", times=3)
    with pytest.raises(PlatformUnavailable):
        client.list_posts(account)


def test_a_slow_answer_times_out_and_is_retried(server, clock, sleeps, account):
    client = DouyinClient(server.base_url, timeout=SHORT_TIMEOUT, **client_options(clock, sleeps))
    server.misbehave("slow", delay=SLOW)
    client.list_posts(account)
    server.misbehave("slow", times=3, delay=SLOW)
    with pytest.raises(PlatformUnavailable):
        client.list_posts(account)
    client.close()


def test_truncated_json_is_retried_then_platform_unavailable(server, client, account):
    server.misbehave("truncated_json")
    client.list_posts(account)
    server.misbehave("truncated_json", times=None)
    with pytest.raises(PlatformUnavailable):
        client.list_posts(account)


def test_video_data_and_a_deleted_video(server, client, account):
    [post] = seed_posts(server, "dt_gongan_dy", 1)
    server.state.update_post(post.post_id, reads=88000)
    got = client.get_post(account, post.post_id)
    assert got.reads == 88000 and got.title == post.title
    server.state.delete_post(post.post_id)
    with pytest.raises(NotFound):
        client.get_post(account, post.post_id)


def test_profile_gives_the_nickname_only(client, account):
    profile = client.get_profile(account)
    assert profile.display_name == "定陶公安"
    assert profile.handle == "dt_gongan_dy"
    assert profile.verification_known is False


def test_search_is_empty_unless_the_sandbox_is_asked(server, clock, sleeps, client):
    assert client.search_accounts("定陶") == []
    sandbox = DouyinClient(server.base_url, sandbox_search=True, **client_options(clock, sleeps))
    assert [p.display_name for p in sandbox.search_accounts("公安")] == ["定陶公安"]
    sandbox.close()
