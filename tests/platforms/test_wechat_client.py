"""微信公众号 client against the fake 微信公众平台."""

from datetime import timedelta

import pytest

from govmedia.platforms.base import (
    AccountRef,
    BadCredentials,
    Credentials,
    NotFound,
    PlatformUnavailable,
    RateLimited,
)
from govmedia.platforms.fakes.wechat import WeChatApp
from govmedia.platforms.wechat import WeChatClient
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

BATCHGET = "/cgi-bin/freepublish/batchget"
TOKEN = "/cgi-bin/token"


@pytest.fixture
def server(clock):
    server = serve(WeChatApp, clock)
    server.state.add_account(
        "dt_tianzhong", "天中发布", verified_reason="菏泽市定陶区天中街道办事处"
    )
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


def test_pages_through_every_published_article_to_the_end(server, client, account):
    seeded = seed_posts(server, "dt_tianzhong", 45)
    posts, pages = read_all(client, account)
    assert pages == 3  # 20 + 20 + 5: batchget gives at most 20
    assert [p.post_id for p in posts] == [s.post_id for s in seeded]
    first = posts[0]
    assert first.published_at == START and first.published_at.utcoffset() == timedelta(hours=8)
    assert first.title == "定陶区政务动态第0期"
    assert first.is_html and first.text == "<p>第0期：便民服务与政策解读。</p>"
    assert first.url.startswith("http://mp.weixin.qq.com/s?")


def test_an_empty_account_is_one_empty_page(client, account):
    page = client.list_posts(account)
    assert page.posts == [] and page.next_cursor is None


def test_the_token_is_reused_until_7200_seconds_pass_then_fetched_again(
    server, client, account, clock
):
    seed_posts(server, "dt_tianzhong", 3)
    client.list_posts(account)
    client.list_posts(account)
    assert server.request_count(TOKEN) == 1
    clock.advance(7200)  # the token's expires_in has run out on both sides
    page = client.list_posts(account)
    assert len(page.posts) == 3
    assert server.request_count(TOKEN) == 2
    assert server.app.tokens_issued == 2


def test_the_token_is_refreshed_early_before_it_expires(server, client, account, clock):
    client.list_posts(account)
    clock.advance(7200 - 200)  # inside the refresh margin: fetch anew rather than risk 42001
    client.list_posts(account)
    assert server.request_count(TOKEN) == 2


def test_a_42001_answer_refreshes_the_token_and_retries_once(server, client, account):
    seed_posts(server, "dt_tianzhong", 2)
    client.list_posts(account)
    server.misbehave("expired_token", path=BATCHGET)
    page = client.list_posts(account)
    assert len(page.posts) == 2
    assert server.request_count(TOKEN) == 2
    assert server.request_count(BATCHGET) == 3


def test_a_token_refused_again_after_refreshing_is_not_retried_forever(server, client, account):
    from govmedia.platforms.base import TokenExpired

    client.list_posts(account)
    server.misbehave("expired_token", times=5, path=BATCHGET)
    with pytest.raises(TokenExpired):
        client.list_posts(account)
    assert server.request_count(BATCHGET) == 3  # the first call, then one retry only
    assert server.request_count(TOKEN) == 2


def test_wrong_app_secret_is_bad_credentials(server, client):
    creds = dict(server.state.accounts["dt_tianzhong"].credentials, app_secret="0" * 32)
    with pytest.raises(BadCredentials) as raised:
        client.list_posts(AccountRef("dt_tianzhong", Credentials(creds)))
    assert raised.value.code == 40125 and "AppSecret" in raised.value.message


def test_unknown_app_id_is_bad_credentials(client):
    account = AccountRef("x", Credentials({"app_id": "wx0000000000000000", "app_secret": "s"}))
    with pytest.raises(BadCredentials) as raised:
        client.get_profile(account)
    assert raised.value.code == 40013


def test_missing_credentials_are_bad_credentials(client):
    with pytest.raises(BadCredentials):
        client.list_posts(AccountRef("dt_tianzhong"))


def test_daily_quota_is_rate_limited_until_midnight(server, client, account):
    client.list_posts(account)
    server.misbehave("rate_limit", path=BATCHGET)
    with pytest.raises(RateLimited) as raised:
        client.list_posts(account)
    # START is 10:03:12 China time: the quota comes back at midnight.
    assert raised.value.retry_after == pytest.approx(13 * 3600 + 56 * 60 + 48)
    assert server.request_count(BATCHGET) == 2  # not retried


def test_500s_are_retried_with_backoff_then_succeed(server, client, account, sleeps):
    seed_posts(server, "dt_tianzhong", 1)
    client.list_posts(account)
    server.misbehave("http_500", times=2, path=BATCHGET)
    assert len(client.list_posts(account).posts) == 1
    assert server.request_count(BATCHGET) == 4
    assert sleeps == [pytest.approx(0.15), pytest.approx(0.3)]  # 0.2·2ⁿ with half jitter


def test_500s_past_the_last_try_are_platform_unavailable(server, client, account):
    client.list_posts(account)
    server.misbehave("http_500", times=3, path=BATCHGET)
    with pytest.raises(PlatformUnavailable) as raised:
        client.list_posts(account)
    assert "HTTP 500" in raised.value.message
    assert server.request_count(BATCHGET) == 4


def test_system_busy_is_retried(server, client, account):
    client.list_posts(account)
    server.misbehave("busy", path=BATCHGET)
    client.list_posts(account)
    assert server.request_count(BATCHGET) == 3


def test_a_slow_answer_times_out_and_is_retried(server, clock, sleeps, account):
    client = WeChatClient(server.base_url, timeout=SHORT_TIMEOUT, **client_options(clock, sleeps))
    seed_posts(server, "dt_tianzhong", 1)
    client.list_posts(account)
    server.misbehave("slow", delay=SLOW, path=BATCHGET)
    assert len(client.list_posts(account).posts) == 1
    server.misbehave("slow", times=3, delay=SLOW, path=BATCHGET)
    with pytest.raises(PlatformUnavailable) as raised:
        client.list_posts(account)
    assert "超时" in raised.value.message
    client.close()


def test_truncated_json_is_retried_then_platform_unavailable(server, client, account):
    seed_posts(server, "dt_tianzhong", 2)
    client.list_posts(account)
    server.misbehave("truncated_json", path=BATCHGET)
    assert len(client.list_posts(account).posts) == 2
    server.misbehave("truncated_json", times=None, path=BATCHGET)
    with pytest.raises(PlatformUnavailable) as raised:
        client.list_posts(account)
    assert "不完整" in raised.value.message


def test_get_post_reads_the_article_and_its_reading_figures(server, client, account, clock):
    [post] = seed_posts(server, "dt_tianzhong", 1)
    server.state.update_post(post.post_id, reads=5000, shares=120)
    clock.advance(8 * 86400)  # a week later WeChat has counted all seven days
    got = client.get_post(account, post.post_id)
    assert got.title == post.title and got.published_at == START
    assert got.reads == 5000 and got.shares == 120
    # No list was read by this client: it found the time by looking through batchget.
    assert server.request_count(BATCHGET) == 1


def test_get_post_uses_a_known_publication_time(server, client, account, clock):
    [post] = seed_posts(server, "dt_tianzhong", 1)
    clock.advance(2 * 86400)
    got = client.get_post(account, post.post_id, published_at=START)
    assert got.published_at == START and got.reads is not None
    assert server.request_count(BATCHGET) == 0


def test_an_article_published_today_has_no_figures_yet(server, client, account):
    [post] = seed_posts(server, "dt_tianzhong", 1)
    assert client.get_post(account, post.post_id, published_at=START).reads is None


def test_a_deleted_or_unknown_article_is_not_found(server, client, account):
    [post] = seed_posts(server, "dt_tianzhong", 1)
    server.state.delete_post(post.post_id)
    with pytest.raises(NotFound):
        client.get_post(account, post.post_id)
    with pytest.raises(NotFound) as raised:
        client.get_post(account, "Ar-no-such-article")
    assert raised.value.code == 53600
    assert client.list_posts(account).posts == []


def test_profile_proves_the_credentials_but_cannot_tell_verification(client, account):
    profile = client.get_profile(account)
    assert profile.handle == "dt_tianzhong"
    assert profile.verification_known is False


def test_search_is_empty_unless_the_sandbox_is_asked(server, clock, sleeps, client):
    server.state.add_account("dt_tianzhong_fake", "天中發布", verified=False)
    assert client.search_accounts("天中") == []
    sandbox = WeChatClient(server.base_url, sandbox_search=True, **client_options(clock, sleeps))
    found = {p.handle: p for p in sandbox.search_accounts("天中")}
    assert set(found) == {"dt_tianzhong", "dt_tianzhong_fake"}
    assert found["dt_tianzhong_fake"].verified is False
    sandbox.close()


def test_a_foreign_cursor_is_refused_plainly(client, account):
    from govmedia.platforms.base import PlatformError

    with pytest.raises(PlatformError) as raised:
        client.list_posts(account, "max_id:12")
    assert raised.value.code == "bad_cursor"


def test_threads_pulling_one_account_share_one_token(server, client, account):
    from concurrent.futures import ThreadPoolExecutor

    seed_posts(server, "dt_tianzhong", 3)
    with ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(lambda _: client.list_posts(account), range(16)))
    assert all(len(page.posts) == 3 for page in pages)
    assert server.app.tokens_issued == 1  # a second fetch would cut the first token's life
