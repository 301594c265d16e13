"""The production command: scripts/serve.sh (gunicorn 2 × 4 threads and the qcluster, DEBUG=0)
against this test's database, checked over HTTP as a browser behind nginx would use it."""

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.db import connection

from govmedia.audit.models import AuditEvent
from govmedia.settings import max_database_connections
from tests.conftest import PASSWORD, make_user

from .conftest import Browser

pytestmark = pytest.mark.django_db(transaction=True)


def backend_pids() -> set[int]:
    """The other connections to this test database (not the test's own)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


def pg_connections(before: frozenset[int] = frozenset()) -> int:
    """Connections opened since `before` was read: the server's, not those an earlier test of
    this worker left to the garbage collector (a finished thread's connection)."""
    return len(backend_pids() - before)


def wait_for_no_connections(before: frozenset[int]) -> int:
    """The server's connections once PostgreSQL has seen them close: a backend leaves
    pg_stat_activity a moment after its client process exited (polled, at most 30 s)."""
    for _ in range(300):
        if (count := pg_connections(before)) == 0:
            return 0
        time.sleep(0.1)
    return count


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="production runs on PostgreSQL")
def test_the_production_command_serves_the_platform_on_postgresql(world, production_server):
    server = production_server()
    browser = Browser(server.base)
    try:
        # Signing in: the login page, its CSRF token, the session cookie (Secure, HttpOnly).
        response = browser.login("tian_editor", PASSWORD)
        assert response.status_code == 302, response.text[:2000]
        assert "sessionid" in browser.cookies
        page = browser.get("/")
        assert page.status_code == 200 and "tian_editor" in page.text
        # Hardened headers on an authenticated page: HSTS, CSP without inline script, no-store.
        assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "script-src 'self';" in page.headers["Content-Security-Policy"]
        assert "no-store" in page.headers["Cache-Control"]
        assert not re.search(r"\d", page.headers.get("Server", ""))  # no version
        assert "<script>" not in page.text and "onclick=" not in page.text
        # The audit log has the client's address from behind the proxy (TRUSTED_PROXY_COUNT=1).
        login = AuditEvent.objects.filter(action="user.login").latest("seq")
        assert login.ip == "203.0.113.7"

        # A static file by its hashed name, compressed and cached for good.
        css = re.search(r'href="(/static/govmedia/css/app\.[0-9a-f]{12}\.css)"', page.text)[1]
        static = browser.get(css, headers={"Accept-Encoding": "gzip"})
        assert static.status_code == 200 and static.headers["Content-Encoding"] == "gzip"
        assert "immutable" in static.headers["Cache-Control"]
        assert ".sidenav" in static.text

        # The Chinese 404 page in the layout, never Django's technical one.
        missing = browser.get("/no-such-page/")
        assert missing.status_code == 404
        assert "页面不存在" in missing.text and "返回首页" in missing.text
        assert "URLconf" not in missing.text and "Page not found" not in missing.text
        another = browser.get(f"/orgs/{world.chen.pk}/")  # not this user's: NotFound's message
        assert another.status_code == 404 and "对象不存在或您无权访问" in another.text

        # The API's JSON 404, for an unknown path and for an object out of scope.
        for path in ("/api/v1/no-such-thing", f"/api/v1/orgs/{world.chen.pk}"):
            answer = browser.get(path)
            assert answer.status_code == 404, path
            assert answer.headers["Content-Type"].startswith("application/json")
            body = answer.json()
            assert body["code"] == "not_found" and re.search(r"[\u4e00-\u9fff]", body["message"])
            assert set(body) >= {"code", "message", "field"}
    finally:
        browser.close()
    server.stop()
    # Logs on stdout, one JSON line per request.
    lines = [json.loads(line) for line in server.output().splitlines() if line.startswith('{"')]
    assert any(line["path"] == "/no-such-page/" and line["status"] == 404 for line in lines)
    assert all(
        {"request_id", "ip", "method", "path", "status", "ms"} <= set(line) for line in lines
    )


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="production runs on PostgreSQL")
def test_fifty_concurrent_requests_stay_within_the_documented_connections(world, production_server):
    before = frozenset(backend_pids())
    server = production_server()
    limit = max_database_connections(web_workers=2, web_threads=4, q_workers=1)
    assert limit == 2 * 4 + 1 + 3 == 12  # as the README and deploy/govmedia.env say

    signed_in = Browser(server.base)
    assert signed_in.login("tian_unit_admin", PASSWORD).status_code == 302
    pages = ["/", "/registry/", "/orgs/", "/healthz", "/api/v1/orgs"]

    def fetch(i: int) -> int:
        browser = Browser(server.base)
        browser.cookies = dict(signed_in.cookies)
        try:
            return browser.get(pages[i % len(pages)]).status_code
        finally:
            browser.close()

    for _ in range(2):  # twice: the connections of the first round are reused, not added to
        with ThreadPoolExecutor(50) as pool:
            statuses = list(pool.map(fetch, range(50)))
        assert statuses == [200] * 50
        assert pg_connections(before) <= limit
    server.stop()
    assert wait_for_no_connections(before) == 0  # and all closed with the server


def test_sqlite_given_as_database_url_takes_20_concurrent_logins_and_writes(
    world, production_server
):
    if connection.vendor != "sqlite":
        pytest.skip("this is the SQLite installation (DATABASE_URL=sqlite:///…)")
    users = [make_user(f"clerk{i}", world.tian, "editor") for i in range(20)]
    server = production_server()
    assert server.env["DATABASE_URL"].startswith("sqlite:///")

    def login_and_write(user) -> list[int]:
        browser = Browser(server.base)
        try:
            login = browser.login(user.username, PASSWORD)
            token = browser.post_form(
                "/me/", {"name": f"{user.username} 的接口", "expires_days": ""}
            )
            return [login.status_code, token.status_code]
        finally:
            browser.close()

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(login_and_write, users))
    assert results == [[302, 200]] * 20, server.output()[-3000:]
    assert "database is locked" not in server.output()
    assert AuditEvent.objects.filter(action="user.login").count() == 20
    assert AuditEvent.objects.filter(action="token.create").count() == 20
    httpx.get(f"{server.base}/healthz").raise_for_status()
