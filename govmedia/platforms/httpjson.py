"""HTTP with JSON answers for the platform clients: timeouts, bounded retries with jittered
exponential backoff, and the failures every platform shares (down, slow, garbled, throttled).

A client wraps one whole exchange (request, error-code check, parsing) in `retrying`, so a
truncated or misshapen answer is asked for again just like a 500; after the last try the caller
gets PlatformUnavailable, never an httpx or JSON exception.

A request that publishes is wrapped in `once` instead: it is repeated only when it provably never
left this machine (the connection could not be opened); after a timeout, a 5xx or a garbled
answer the platform may have published, so the caller gets OutcomeUnknown and nothing is retried.
"""

import functools
import json
import random
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from .base import OutcomeUnknown, ParameterError, PlatformError, PlatformUnavailable, RateLimited

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class Retryable(Exception):
    """An answer worth asking for again: the platform is down, slow, busy or answered garbage."""

    def __init__(self, message: str, *, code: str | int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code


class ShapeError(Retryable):
    """The answer is JSON but not in the documented shape (a field missing or of the wrong type)."""


class NotSent(Retryable):
    """The connection could not be opened: the request never reached the platform."""


@dataclass(frozen=True)
class Retry:
    tries: int = 3
    base_delay: float = 0.2  # seconds; doubled on each further try
    max_delay: float = 5.0


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: httpx.Headers


class JsonTransport:
    def __init__(
        self,
        *,
        base_url: str,
        label: str,
        http: httpx.Client | None = None,
        timeout: httpx.Timeout | float | None = None,
        retry: Retry | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
    ):
        self.base_url = base_url.rstrip("/")
        self.label = label  # the platform's Chinese name, for messages
        self._given = http  # the caller's client, shared by every thread
        self._clients = _ClientShelf()
        self.timeout = timeout if timeout is not None else DEFAULT_TIMEOUT
        self.retry = retry or Retry()
        self.sleep = sleep
        self.rng = rng

    def close(self) -> None:
        self._clients.close()

    def get(self, path: str, *, params=None, headers=None) -> Answer:
        return self._send("GET", path, params=params, headers=headers)

    def post(
        self, path: str, *, params=None, json_body=None, data=None, files=None, headers=None
    ) -> Answer:
        """JSON (`json_body`), a form (`data`) or multipart/form-data (`data` with `files`:
        {field: (filename, bytes, content type)})."""
        return self._send(
            "POST",
            path,
            params=params,
            json_body=json_body,
            data=data,
            files=files,
            headers=headers,
        )

    def retrying(self, attempt: Callable[[], T]) -> T:
        last: Retryable | None = None
        for number in range(self.retry.tries):
            try:
                return attempt()
            except Retryable as exc:
                last = exc
                if number + 1 < self.retry.tries:
                    self.sleep(self.backoff(number))
        assert last is not None
        raise PlatformUnavailable(
            f"{self.label}接口暂时不可用（已尝试 {self.retry.tries} 次）：{last.message}",
            code=last.code,
        ) from last

    def once(self, attempt: Callable[[], T]) -> T:
        """For a request that publishes: asked again only while it was provably not sent."""
        last: NotSent | None = None
        for number in range(self.retry.tries):
            try:
                return attempt()
            except NotSent as exc:
                last = exc
                if number + 1 < self.retry.tries:
                    self.sleep(self.backoff(number))
            except Retryable as exc:
                raise OutcomeUnknown(
                    f"{self.label}发布请求已发出，但未收到有效答复（{exc.message}）："
                    "平台可能已经发布，请先在平台上核对，切勿直接重新发布",
                    code=exc.code,
                ) from exc
        assert last is not None
        raise PlatformUnavailable(
            f"{self.label}接口暂时不可用（已尝试 {self.retry.tries} 次）：{last.message}",
            code=last.code,
        ) from last

    @contextmanager
    def _http(self) -> Iterator[httpx.Client]:
        if self._given is not None:
            yield self._given
        else:
            with self._clients.lent() as client:
                yield client

    def backoff(self, number: int) -> float:
        # "Equal jitter": half the doubled delay is fixed, half random, so workers that failed
        # together do not all come back at the same instant, yet none retries at once.
        delay = min(self.retry.max_delay, self.retry.base_delay * 2**number)
        return delay / 2 + self.rng() * delay / 2

    def _send(
        self, method, path, *, params=None, json_body=None, data=None, files=None, headers=None
    ) -> Answer:
        try:
            with self._http() as http:
                response = http.request(
                    method,
                    self.base_url + path,
                    params=params,
                    json=json_body,
                    data=data,
                    files=files,
                    headers=headers,
                    timeout=self.timeout,
                )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise NotSent(f"无法连接{self.label}接口（{type(exc).__name__}）") from exc
        except httpx.TimeoutException as exc:
            raise Retryable(f"{self.label}接口响应超时") from exc
        except httpx.HTTPError as exc:
            raise Retryable(f"无法连接{self.label}接口（{type(exc).__name__}）") from exc
        if response.status_code == 429:
            raise RateLimited(
                f"{self.label}接口调用过于频繁，请稍后再试",
                code=429,
                retry_after=retry_after_header(response.headers),
            )
        if response.status_code >= 500:
            raise Retryable(f"{self.label}接口返回 HTTP {response.status_code}")
        try:
            body = json.loads(response.content.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise Retryable(
                f"{self.label}接口的答复不完整或不是 JSON（HTTP {response.status_code}）"
            ) from exc
        return Answer(response.status_code, body, response.headers)


class _ClientShelf:
    """httpx clients lent to one request at a time, each with its own connection: the pull
    threads share no connection pool, whose lock they contended for on every request (a third
    of their interpreter time with 16 threads against fast answers). As many clients are made
    as requests were ever in flight at once; all share one TLS context (loading the CA bundle
    costs more than a request)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._idle: list[httpx.Client] = []
        self._made: list[httpx.Client] = []
        self._tls: ssl.SSLContext | None = None

    @contextmanager
    def lent(self) -> Iterator[httpx.Client]:
        with self._lock:
            client = self._idle.pop() if self._idle else self._make()
        try:
            yield client
        finally:
            with self._lock:
                self._idle.append(client)

    def _make(self) -> httpx.Client:  # under the lock
        if self._tls is None:
            self._tls = httpx.create_ssl_context()
        client = httpx.Client(
            timeout=DEFAULT_TIMEOUT,
            verify=self._tls,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )
        self._made.append(client)
        return client

    def close(self) -> None:
        with self._lock:
            made, self._made, self._idle = self._made, [], []
        for client in made:
            client.close()


def parameter_refused(
    label: str, code, platform_message: str, *, check: str, parameter: str | None = None
) -> ParameterError:
    """The typed error for a refused request parameter, with a message that says what to fix:
    `check` names what a person should look at first (an identifier in the account's credentials,
    usually); if that is right, the request itself no longer suits the platform's API, which only
    the platform's administrators can change. Never retried: the same request gets the same answer.
    """
    said = f"：{platform_message}" if platform_message else ""
    return ParameterError(
        f"{label}拒绝了请求参数（错误码 {code}{said}）。请核对{check}；"
        f"核对无误仍出现此错误时，请把错误码报告平台管理员（{label}接口可能已调整），重试不会改变结果",
        code=code,
        parameter=parameter,
    )


def retry_after_header(headers: httpx.Headers) -> float | None:
    value = headers.get("retry-after", "")
    return float(value) if value.strip().isdigit() else None


# Small readers for answer fields: a missing or mistyped field is a ShapeError (asked again, then
# PlatformUnavailable), never a KeyError or TypeError reaching the caller.


def field(obj: Any, key: str, kind: type | tuple[type, ...], *, where: str = "答复") -> Any:
    if not isinstance(obj, dict):
        raise ShapeError(f"{where}不是 JSON 对象")
    if key not in obj:
        raise ShapeError(f"{where}缺少字段 {key}")
    value = obj[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
        raise ShapeError(f"{where}字段 {key} 类型不对：{type(value).__name__}")
    return value


def optional(obj: dict, key: str, kind: type | tuple[type, ...], default=None) -> Any:
    value = obj.get(key, default)
    if value is None or value is default:
        return value
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
        raise ShapeError(f"字段 {key} 类型不对：{type(value).__name__}")
    return value


def _kinds(kind) -> tuple:
    return kind if isinstance(kind, tuple) else (kind,)


class CursorError(PlatformError):
    """A cursor this client did not hand out (or from another platform): a caller's mistake."""


def encode_cursor(kind: str, value: str | int) -> str:
    return f"{kind}:{value}"


def decode_cursor(cursor: str, kind: str) -> str:
    prefix = f"{kind}:"
    if not isinstance(cursor, str) or not cursor.startswith(prefix) or cursor == prefix:
        raise CursorError(f"分页游标无效：{cursor!r}", code="bad_cursor")
    return cursor[len(prefix) :]


def decode_number_cursor(cursor: str, kind: str) -> int:
    """A cursor whose value is a count or an id: anything but digits was not handed out here."""
    value = decode_cursor(cursor, kind)
    if not value.isdigit():
        raise CursorError(f"分页游标无效：{cursor!r}", code="bad_cursor")
    return int(value)


def guarded(method):
    """For a client's public methods: a Retryable raised outside `retrying` (a value checked in
    one answer and read later) reaches the caller as PlatformUnavailable, not as an internal
    exception."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Retryable as exc:
            raise PlatformUnavailable(
                f"{self.transport.label}接口答复异常：{exc.message}", code=exc.code
            ) from exc

    return wrapper
