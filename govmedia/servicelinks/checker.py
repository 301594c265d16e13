"""The link checker, a pure core (no Django): fetch each URL with bounded concurrency and say
whether it works, and if not, how it fails — an HTTP error, 404, a page that answers 200 but
says 页面不存在 (often after a redirect to a portal's error page), a timeout, a certificate the
client cannot trust, a refused connection, endless redirects.

One asyncio loop per batch, a fixed number of workers (the bound on concurrency) sharing a
few httpx clients (connection reuse); only the start of each page is read, enough to find the error text.
"""

import asyncio
import contextlib
import re
import ssl
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

USER_AGENT = "govmedia-linkcheck/1.0"  # headers are ASCII
MAX_BODY = 64 * 1024
MAX_REDIRECTS = 5
# What a portal's "not found" page says while answering 200 (a soft 404).
NOT_FOUND_TEXTS = (
    "页面不存在",
    "页面未找到",
    "找不到页面",
    "页面找不到",
    "访问的页面已删除",
    "该页面已删除",
    "服务已下线",
    "404 not found",
    "error 404",
    "404错误",
    "page not found",
)
TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)

# Outcome codes (servicelinks.models.Outcome holds their labels).
OK = "ok"
NOT_FOUND = "not_found"
SOFT_NOT_FOUND = "soft_not_found"
HTTP_ERROR = "http_error"
TIMEOUT = "timeout"
TLS_ERROR = "tls_error"
CONNECT_ERROR = "connect_error"
TOO_MANY_REDIRECTS = "redirect_loop"
UNCHECKABLE = "uncheckable"
# Failures that may pass by themselves (a busy server, a network hiccup): a finding waits for
# a second failed check. The others are the page itself telling us it is gone.
TRANSIENT = frozenset({TIMEOUT, CONNECT_ERROR, HTTP_ERROR})


@dataclass(frozen=True)
class Target:
    id: int
    url: str


@dataclass(frozen=True)
class Result:
    id: int
    outcome: str
    status: int | None = None
    final_url: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome in (OK, UNCHECKABLE)


def says_not_found(body: str) -> bool:
    """Whether a page's title or text says it does not exist."""
    text = body.lower()
    title = TITLE.search(body)
    if title and "404" in title.group(1):
        return True
    return any(marker in text for marker in NOT_FOUND_TEXTS)


def _is_certificate_error(exc: BaseException) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def classify(status: int, body: str) -> tuple[str, str]:
    if status in (404, 410):
        return NOT_FOUND, f"服务器答复 {status}：页面不存在"
    if status >= 400:
        return HTTP_ERROR, f"服务器答复 {status}"
    if says_not_found(body):
        return SOFT_NOT_FOUND, "页面可以打开，但提示“页面不存在”"
    return OK, ""


async def _fetch(client: httpx.AsyncClient, target: Target) -> Result:
    if not target.url.lower().startswith(("http://", "https://")):
        return Result(target.id, UNCHECKABLE, detail="不是网址（如小程序路径），无法自动检查")
    try:
        async with client.stream("GET", target.url) as response:
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size >= MAX_BODY:
                    break
            body = b"".join(chunks)[:MAX_BODY].decode(response.encoding or "utf-8", "replace")
    except httpx.TooManyRedirects:
        return Result(target.id, TOO_MANY_REDIRECTS, detail=f"重定向超过 {MAX_REDIRECTS} 次")
    except httpx.TimeoutException:
        return Result(target.id, TIMEOUT, detail="访问超时，未在限定时间内答复")
    except httpx.HTTPError as exc:
        if _is_certificate_error(exc):
            return Result(target.id, TLS_ERROR, detail="HTTPS 证书无效或不受信任")
        return Result(target.id, CONNECT_ERROR, detail=f"无法连接：{type(exc).__name__}")
    except (ValueError, UnicodeError) as exc:  # a URL httpx cannot even parse
        return Result(target.id, CONNECT_ERROR, detail=f"网址无效：{exc}"[:300])
    outcome, detail = classify(response.status_code, body)
    final = str(response.url)
    if response.history:
        detail = f"经 {len(response.history)} 次跳转至 {final}" + (f"；{detail}" if detail else "")
    return Result(target.id, outcome, response.status_code, final[:1000], detail[:300])


# Connections per client. httpcore's pool walks all its connections and queued requests on
# every request it hands out and every response it closes (a poll() per idle connection), so one
# pool of 50 costs more CPU than the pages; lanes of a few connections each keep that walk short.
LANE_SIZE = 5


def _client(size: int, timeout: float, verify: ssl.SSLContext) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(timeout),
        limits=httpx.Limits(max_connections=size),
        headers={"User-Agent": USER_AGENT},
        verify=verify,
        trust_env=False,
    )


async def _check(targets: list[Target], concurrency: int, timeout: float, verify) -> list[Result]:
    """`concurrency` workers, LANE_SIZE to a client, each taking the next unchecked target:
    never more requests in flight than workers, and no worker idle while targets are left."""
    concurrency = max(1, concurrency)
    # One TLS context for all lanes: loading the CA bundle costs more than a page.
    if not isinstance(verify, ssl.SSLContext):
        verify = httpx.create_ssl_context(verify=verify, trust_env=False)
    results: list[Result | None] = [None] * len(targets)
    pending = iter(enumerate(targets))

    async def work(client: httpx.AsyncClient) -> None:
        for index, target in pending:  # shared: each target is taken by one worker
            results[index] = await _fetch(client, target)

    async with contextlib.AsyncExitStack() as stack:
        workers = []
        for first in range(0, concurrency, LANE_SIZE):
            size = min(LANE_SIZE, concurrency - first)
            client = await stack.enter_async_context(_client(size, timeout, verify))
            workers += [work(client) for _ in range(size)]
        await asyncio.gather(*workers)
    return results


def check_links(
    targets: Iterable[Target], *, concurrency: int = 20, timeout: float = 10.0, verify=True
) -> list[Result]:
    """Check every target, at most `concurrency` at once; results in the targets' order.
    `verify`: True (the system's CAs), or an ssl.SSLContext trusting a given CA.

    From a thread that already runs an event loop (an async caller, Playwright's sync API in a
    test process) the check runs on a thread of its own: asyncio.run refuses a nested loop."""
    targets = list(targets)

    def run() -> list[Result]:
        return asyncio.run(_check(targets, concurrency, timeout, verify))

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
