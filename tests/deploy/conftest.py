"""The production command (scripts/serve.sh) in a subprocess, on this test's own database.

The server runs with DEBUG=0 and the documented production settings behind a pretend nginx:
requests carry `X-Forwarded-Proto: https` as nginx sets it, and the client keeps its cookies
itself (they are `Secure`, and the test talks plain HTTP to 127.0.0.1 as nginx does).
"""

import os
import re
import signal
import socket
import subprocess
import time
from http.cookies import SimpleCookie
from pathlib import Path

import httpx
import pytest

from tests.screening.conftest import database_env

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "scripts" / "serve.sh"
START_GUARD_SECONDS = 180  # collectstatic, check --deploy and two workers; far above a normal start

PRODUCTION_ENV = {
    "SECRET_KEY": "test-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "AUDIT_HMAC_KEY": "test-production-audit-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "CREDENTIALS_KEYS": "dGVzdC1wcm9kdWN0aW9uLWNyZWRlbnRpYWxzLWtleTI=",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "TRUSTED_PROXY_COUNT": "1",
    "WEB_WORKERS": "2",
    "WEB_THREADS": "4",
    "Q_WORKERS": "1",
}


def database_url() -> str:
    """This test's database as a DATABASE_URL (PostgreSQL, or the SQLite test database file)."""
    return database_env()["DATABASE_URL"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """An HTTP client as a browser behind nginx: HTTPS as far as Django knows, cookies kept."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.http = httpx.Client(base_url=base, timeout=60, follow_redirects=False)

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        headers |= kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.http.request(method, path, headers=headers, **kwargs)
        for raw in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(raw).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, data: dict) -> httpx.Response:
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        origin = self.base.replace("http://", "https://")
        return self.request(
            "POST",
            path,
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Origin": origin, "Referer": origin + path},
        )

    def login(self, username: str, password: str) -> httpx.Response:
        return self.post_form("/login/", {"username": username, "password": password})

    def close(self) -> None:
        self.http.close()


class ProductionServer:
    def __init__(self, tmp_path: Path, **env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / "serve.log"
        self.env = (
            os.environ.copy()
            | PRODUCTION_ENV
            | {
                "DATABASE_URL": database_url(),
                "GOVMEDIA_VAR_DIR": str(tmp_path / "var"),
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "PYTHON": os.environ.get("PYTHON", str(ROOT / ".venv" / "bin" / "python")),
            }
            | env
        )
        for name in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"):
            self.env.pop(name, None)  # what the test process set for itself
        self.process = None

    def start(self) -> "ProductionServer":
        self.process = subprocess.Popen(
            [str(SERVE)],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_GUARD_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"serve.sh exited {self.process.returncode}:\n{self.output()}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=5).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"the server did not answer in time:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        # The script exits first; its gunicorn and qcluster workers (the same process group)
        # may still be closing their database connections: wait until the whole group is gone.
        for _ in range(600):
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.killpg(self.process.pid, signal.SIGKILL)


@pytest.fixture
def production_server(tmp_path):
    servers = []

    def start(**env) -> ProductionServer:
        server = ProductionServer(tmp_path, **env).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
