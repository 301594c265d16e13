"""The link checker against the fake service host: each kind of failure classified right.
No wall clock: the timeout comes from a server that never answers and a small timeout."""

import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from govmedia.servicelinks import checker
from govmedia.servicelinks.checker import Target, check_links
from tests.servicelinks.conftest import PATIENT


def _check(host, path, *, tls=False, **options):
    [result] = check_links(
        [Target(1, host.url(path, tls=tls))], timeout=options.pop("timeout", PATIENT), **options
    )
    return result


def test_a_working_page_is_ok(host):
    result = _check(host, "/ok/社保待遇资格认证")
    assert result.outcome == checker.OK and result.status == 200 and result.ok


def test_404_is_not_found(host):
    result = _check(host, "/missing/x")
    assert result.outcome == checker.NOT_FOUND and result.status == 404 and not result.ok


def test_a_redirect_to_a_page_saying_not_found_is_a_soft_404(host):
    result = _check(host, "/moved/x")
    assert result.outcome == checker.SOFT_NOT_FOUND and result.status == 200
    assert result.final_url.endswith("/notice/404.html") and "跳转" in result.detail


def test_a_server_that_never_answers_is_a_timeout(host):
    result = _check(host, "/hang/x", timeout=0.2)
    assert result.outcome == checker.TIMEOUT and result.status is None


def test_a_self_signed_certificate_is_a_tls_error(host):
    result = _check(host, "/ok/x", tls=True)
    assert result.outcome == checker.TLS_ERROR


def test_the_same_https_page_is_ok_when_its_certificate_is_trusted(host):
    trusted = ssl.create_default_context(cadata=host.ca_pem.decode())
    assert _check(host, "/ok/x", tls=True, verify=trusted).outcome == checker.OK


def test_server_errors_loops_refusals_and_non_urls(host):
    assert _check(host, "/error/x").outcome == checker.HTTP_ERROR
    assert _check(host, "/loop/x").outcome == checker.TOO_MANY_REDIRECTS
    [refused] = check_links([Target(1, "http://127.0.0.1:9/")], timeout=PATIENT)
    assert refused.outcome == checker.CONNECT_ERROR
    [path] = check_links([Target(2, "pages/index/index?id=1")])
    assert path.outcome == checker.UNCHECKABLE and path.ok


def test_many_links_keep_their_order_under_bounded_concurrency(host):
    paths = ["/ok/a", "/missing/b", "/moved/c", "/ok/d"] * 10
    results = check_links(
        [Target(i, host.url(p)) for i, p in enumerate(paths)], concurrency=3, timeout=2
    )
    assert [r.id for r in results] == list(range(len(paths)))
    expected = {
        "/ok/a": "ok",
        "/missing/b": "not_found",
        "/moved/c": "soft_not_found",
        "/ok/d": "ok",
    }
    assert [r.outcome for r in results] == [expected[p] for p in paths]


class CountingHost(ThreadingHTTPServer):
    """A host that counts the requests in flight and keeps the highest count. Each request is
    held until `gate` requests are in flight at once (or every expected request has come, or
    PATIENCE has passed), then a fixed HOLD more, so that a checker running more than `gate`
    at once is caught in the act and one running `gate` at once reaches it whatever the
    machine's load. Nothing is asserted on the clock: a checker that never reaches the gate
    only makes the test slower, and the count says so."""

    daemon_threads = True
    request_queue_size = 256
    HOLD = 0.05
    PATIENCE = 20.0  # far beyond what a loaded machine needs to open `gate` connections

    def __init__(self, *, gate: int, expected: int):
        self.gate, self.expected = gate, expected
        self.lock = threading.Condition()
        self.in_flight = self.most = self.seen = 0
        super().__init__(("127.0.0.1", 0), _CountingHandler)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def handle_error(self, request, client_address):
        pass


class _CountingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 (http.server's name)
        host = self.server
        with host.lock:
            host.in_flight += 1
            host.seen += 1
            host.most = max(host.most, host.in_flight)
            host.lock.notify_all()
            host.lock.wait_for(
                lambda: host.in_flight >= host.gate or host.seen >= host.expected,
                timeout=host.PATIENCE,
            )
        time.sleep(host.HOLD)
        body = "<title>服务</title>".encode()
        with host.lock:
            host.in_flight -= 1
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def counting_host():
    hosts = []

    def start(*, gate: int, expected: int) -> CountingHost:
        host = CountingHost(gate=gate, expected=expected)
        threading.Thread(target=host.serve_forever, daemon=True).start()
        hosts.append(host)
        return host

    yield start
    for host in hosts:
        host.shutdown()
        host.server_close()


@pytest.mark.parametrize(
    ("links", "concurrency"),
    [(20, 3), (23, 7), (12, 1), (4, 7)],
    ids=["one-lane", "two-lanes", "one-at-a-time", "fewer-links-than-workers"],
)
def test_the_checker_never_has_more_links_in_flight_than_its_concurrency(
    counting_host, links, concurrency
):
    expected = min(links, concurrency)
    host = counting_host(gate=expected, expected=links)
    targets = [Target(i, host.url(f"/ok/{i}")) for i in range(links)]
    results = check_links(targets, concurrency=concurrency, timeout=PATIENT)
    assert [r.outcome for r in results] == [checker.OK] * links
    assert host.seen == links
    assert host.most <= concurrency
    assert host.most == expected  # the bound is reached, not merely respected


def test_page_text_rules():
    assert checker.says_not_found("<title>404 - 错误</title>")
    assert checker.says_not_found("<p>抱歉，您访问的页面不存在</p>")
    assert not checker.says_not_found("<title>服务</title><p>咨询电话 0530-2240404</p>")
