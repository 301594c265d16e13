"""The HTTP side of the fake platforms: a threading http.server on 127.0.0.1 that hands each
request to a platform app, and can be told to misbehave for the next N requests.

    server = FakeServer(WeChatApp(...)).start()
    server.misbehave("http_500", times=2)          # the next 2 requests answer 500
    server.misbehave("slow", delay=3.0)            # the next request waits 3 s, then answers
    server.misbehave("truncated_json", path="/cgi-bin/freepublish/batchget")
    server.misbehave("rate_limit", times=None)     # every request, until server.behave()

Kinds: http_500, slow, truncated_json, and the platform-shaped errors expired_token,
rate_limit, bad_credentials, busy (each app answers them with its platform's error body).
"""

import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

logger = logging.getLogger(__name__)

PLATFORM_ERRORS = {"expired_token", "rate_limit", "bad_credentials", "busy"}
FAULT_KINDS = {"http_500", "slow", "truncated_json"} | PLATFORM_ERRORS


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8")) if self.body else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None

    def param(self, name: str) -> str | None:
        """A parameter from the query, else a JSON or form body (platforms accept either)."""
        if name in self.query:
            return self.query[name]
        body = self.json()
        if isinstance(body, dict) and name in body:
            return str(body[name])
        return self.form().get(name)

    def form(self) -> dict[str, str]:
        """The text fields of an urlencoded or multipart/form-data body."""
        kind = self.headers.get("content-type", "")
        if kind.startswith("application/x-www-form-urlencoded"):
            return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))
        return {
            part.name: part.data.decode("utf-8", "replace")
            for part in self.parts().values()
            if part.filename is None
        }

    def files(self) -> dict[str, "Part"]:
        """The file fields of a multipart/form-data body, by field name."""
        return {name: part for name, part in self.parts().items() if part.filename is not None}

    def parts(self) -> dict[str, "Part"]:
        kind = self.headers.get("content-type", "")
        if not kind.startswith("multipart/form-data"):
            return {}
        message = BytesParser(policy=policy.HTTP).parsebytes(
            b"Content-Type: " + kind.encode("latin-1") + b"\r\n\r\n" + self.body
        )
        if not message.is_multipart():
            return {}
        parts = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name:
                data = part.get_payload(decode=True) or b""
                parts[name] = Part(name, part.get_filename(), part.get_content_type(), data)
        return parts


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None  # None for a plain text field
    content_type: str
    data: bytes


@dataclass
class Response:
    payload: Any = None
    status: int = 200
    raw: bytes | None = None
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return json.dumps(self.payload, ensure_ascii=False).encode("utf-8")


@dataclass
class Fault:
    kind: str
    remaining: int | None  # None: until behave()
    delay: float = 0.0
    path: str | None = None  # only requests whose path starts with this


class FakeApp:
    """One platform's answers. Subclasses fill `routes` and `platform_error`."""

    platform = ""

    def __init__(self, state, clock: Callable[[], float]):
        self.state = state
        self.clock = clock
        self.routes: dict[tuple[str, str], Callable[[Request], Response]] = {
            ("GET", "/sandbox/search/accounts"): self.sandbox_search,
        }

    def handle(self, request: Request) -> Response:
        route = self.routes.get((request.method, request.path))
        if route is None:
            return Response(
                raw=b"<html><body>404 Not Found</body></html>", status=404, content_type="text/html"
            )
        return route(request)

    def platform_error(self, kind: str, request: Request) -> Response:
        raise NotImplementedError

    def sandbox_search(self, request: Request) -> Response:
        # Not a platform API: the fakes' account search for the counterfeit feature.
        count = int(request.query.get("count", "20") or 20)
        accounts = self.state.search(request.query.get("keyword", ""), count)
        return Response(
            {
                "accounts": [
                    {
                        "handle": a.handle,
                        "name": a.name,
                        "verified": a.verified,
                        "verified_reason": a.verified_reason,
                        "avatar_url": a.avatar_url,
                    }
                    for a in accounts
                ]
            }
        )


class FakeServer:
    def __init__(self, app: FakeApp, *, host: str = "127.0.0.1", port: int = 0):
        self.app = app
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.requests: deque[tuple[str, str]] = deque(maxlen=100_000)
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.fake = self
        self._thread: threading.Thread | None = None

    @property
    def state(self):
        return self.app.state

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeServer":
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"fake-{self.app.platform}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:  # shutdown() would wait forever on a server never started
            self._httpd.shutdown()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> "FakeServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def misbehave(
        self, kind: str, times: int | None = 1, *, delay: float = 0.0, path: str | None = None
    ) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {sorted(FAULT_KINDS)}")
        if times is not None and times < 1:
            raise ValueError("times is a count of requests (1 or more), or None for all")
        if kind == "slow" and delay <= 0:
            raise ValueError("a slow answer needs a delay")
        with self._lock:
            self._faults.append(Fault(kind, times, delay, path))

    def behave(self) -> None:
        with self._lock:
            self._faults.clear()

    def request_count(self, path: str | None = None) -> int:
        return sum(1 for _, p in list(self.requests) if path is None or p == path)

    # -- answering (server threads) -------------------------------------------------------

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.path is None or path.startswith(fault.path):
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def answer(self, request: Request) -> tuple[Response, bytes]:
        self.requests.append((request.method, request.path))
        fault = self._take_fault(request.path)
        if fault and fault.delay:
            time.sleep(fault.delay)  # real time: the client's real timeout must expire
        kind = fault.kind if fault else None
        if kind == "http_500":
            response = Response(
                raw=b"<html><body><h1>500 Internal Server Error</h1></body></html>",
                status=500,
                content_type="text/html",
            )
        elif kind in PLATFORM_ERRORS:
            response = self.app.platform_error(kind, request)
        else:
            try:
                response = self.app.handle(request)
            except Exception:
                logger.exception("fake %s failed on %s", self.app.platform, request.path)
                response = Response(raw=b"fake server error", status=500, content_type="text/plain")
        body = response.encode()
        if kind == "truncated_json":
            body = body[: max(1, len(body) // 2)]
        return response, body


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    fake: FakeServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the bench's pooled connections are reused
    # Headers and body go out in separate writes; with Nagle on, the body waits for the
    # client's delayed ACK of the headers (~40 ms a request). TCP_NODELAY sends both at once.
    disable_nagle_algorithm = True
    timeout = 60  # an idle kept-alive connection is closed after a minute
    server: _HTTPServer

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(
            method=self.command,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        response, payload = self.server.fake.answer(request)
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (its timeout) before we answered

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass
