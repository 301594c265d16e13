"""快手 client against the fake 快手开放平台."""

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
from govmedia.platforms.fakes.kuaishou import KuaishouApp
from govmedia.platforms.kuaishou import KuaishouClient
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

PHOTO_LIST = "/openapi/photo/list"


@pytest.fixture
def server(clock):
    server = serve(KuaishouApp, clock)
    server.state.add_account("dt_gongan_ks", "定陶公安")
    yield server
    server.stop()


@pytest.fixture
def client(server, clock, sleeps):
    client = KuaishouClient(server.base_url, page_size=20, **client_options(clock, sleeps))
    yield client
    client.close()


@pytest.fixture
def account(server):
    return account_ref(server, "dt_gongan_ks")


def test_pages_by_the_oldest_photo_id_to_the_end(server, client, account):
    seeded = seed_posts(server, "dt_gongan_ks", 45)
    posts, pages = read_all(client, account)
    assert pages == 3
    assert [p.post_id for p in posts] == [s.post_id for s in seeded]
    assert posts[0].published_at == START  # from milliseconds
    assert (posts[0].reads, posts[0].likes, posts[0].comments) == (1000, 10, 2)


def test_photos_at_the_same_millisecond_are_neither_lost_nor_repeated(server, client, account):
    for index in range(40):
        server.state.add_post("dt_gongan_ks", published_at=START, title=f"同一时刻{index}")
    posts, pages = read_all(client, account)
    assert pages == 3  # 20, 20, then an empty page proves the end
    assert len({p.post_id for p in posts}) == 40


def test_a_pending_photo_is_not_yet_published(server, client, account):
    server.state.add_post("dt_gongan_ks", published_at=START - timedelta(hours=1), pending=True)
    assert client.list_posts(account).posts == []


def test_an_expired_token_is_token_expired(server, client, account):
    server.misbehave("expired_token")
    with pytest.raises(TokenExpired) as raised:
        client.list_posts(account)
    assert raised.value.code == 100200108
    assert server.request_count() == 1


def test_a_rejected_token_or_a_wrong_app_id_is_bad_credentials(server, client):
    creds = server.state.accounts["dt_gongan_ks"].credentials
    with pytest.raises(BadCredentials) as raised:
        client.list_posts(AccountRef("x", Credentials({**creds, "access_token": "nope"})))
    assert raised.value.code == 100200102
    with pytest.raises(BadCredentials) as raised:
        client.list_posts(AccountRef("x", Credentials({**creds, "app_id": "ks1"})))
    assert raised.value.code == 100200101


def test_the_app_id_may_come_from_the_client(server, clock, sleeps):
    token = server.state.accounts["dt_gongan_ks"].credentials["access_token"]
    client = KuaishouClient(
        server.base_url, app_id="ks700000000000000001", **client_options(clock, sleeps)
    )
    assert client.get_profile(AccountRef("dt_gongan_ks", Credentials({"access_token": token})))
    client.close()


def test_rate_limited(server, client, account):
    server.misbehave("rate_limit")
    with pytest.raises(RateLimited):
        client.list_posts(account)
    assert server.request_count() == 1


def test_500s_and_internal_errors_are_retried_then_platform_unavailable(server, client, account):
    server.misbehave("busy")
    server.misbehave("http_500")
    client.list_posts(account)
    assert server.request_count(PHOTO_LIST) == 3
    server.misbehave("http_500", times=3)
    with pytest.raises(PlatformUnavailable):
        client.list_posts(account)


def test_a_slow_answer_times_out_and_is_retried(server, clock, sleeps, account):
    client = KuaishouClient(server.base_url, timeout=SHORT_TIMEOUT, **client_options(clock, sleeps))
    server.misbehave("slow", delay=SLOW)
    client.list_posts(account)
    server.misbehave("slow", times=3, delay=SLOW)
    with pytest.raises(PlatformUnavailable):
        client.list_posts(account)
    client.close()


def test_truncated_json_is_retried_then_platform_unavailable(server, client, account):
    server.misbehave("truncated_json")
    client.list_posts(account)
    server.misbehave("truncated_json", times=3)
    with pytest.raises(PlatformUnavailable):
        client.list_posts(account)


def test_one_photo_and_a_deleted_one(server, client, account):
    [post] = seed_posts(server, "dt_gongan_ks", 1)
    got = client.get_post(account, post.post_id)
    assert got.post_id == post.post_id and got.reads == 1000
    server.state.delete_post(post.post_id)
    with pytest.raises(NotFound) as raised:
        client.get_post(account, post.post_id)
    assert raised.value.code == 120001


def test_profile_gives_the_name_only(client, account):
    profile = client.get_profile(account)
    assert profile.display_name == "定陶公安" and profile.verification_known is False


def test_search_is_empty_unless_the_sandbox_is_asked(server, clock, sleeps, client):
    assert client.search_accounts("定陶") == []
    sandbox = KuaishouClient(server.base_url, sandbox_search=True, **client_options(clock, sleeps))
    assert [p.handle for p in sandbox.search_accounts("定陶")] == ["dt_gongan_ks"]
    sandbox.close()
