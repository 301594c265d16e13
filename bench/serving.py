"""The production server against `runserver`: requests per second and p50/p99 latency.

    .venv/bin/python bench/serving.py                       # SQLite (a file under /tmp)
    .venv/bin/python bench/serving.py --pg postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/serving.py --scale 0.1           # a quick run

Issue 11 (“Measured”): the account list, the filing list and the dormant page at 10,000 accounts
(bench/registry.py's data: 50,000 filings across 201 units), each fetched by 20 concurrent
clients as the platform administrator, under gunicorn (deploy/gunicorn.conf.py, 2 workers × 4
threads, DEBUG=0 – what scripts/serve.sh runs) and under `manage.py runserver` with the same
settings, in the same run against the same database on 127.0.0.1. The run is bounded: every
client makes REQUESTS_PER_CLIENT requests per page (and a page stops at PAGE_LIMIT_SECONDS).
On PostgreSQL the connections each server left open are counted after its run.
"""

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

SECRET = "bench-serving-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz0"
os.environ["SECRET_KEY"] = SECRET  # the bench's sessions must be valid on the servers

from common import ROOT, configure, db_label  # noqa: E402

CLIENTS = 20
REQUESTS_PER_CLIENT = 10
PAGE_LIMIT_SECONDS = 120
PAGES = (
    ("account list", "/registry/"),
    ("filing list", "/registry/filings/"),
    ("dormant page", "/monitoring/"),
)
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": SECRET,
    "AUDIT_HMAC_KEY": "bench-serving-audit-key-0123456789-abcdefghijklmnop",
    "CREDENTIALS_KEYS": "YmVuY2gtc2VydmluZy1jcmVkZW50aWFscy1rZXktMzI=",
    "ALLOWED_HOSTS": "127.0.0.1",
    "TRUSTED_PROXY_COUNT": "1",
    "WEB_WORKERS": "2",
    "WEB_THREADS": "4",
    "REQUEST_LOG": "0",  # measure the serving, not the terminal
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def session_cookie(user) -> str:
    from common import client_for

    return client_for(user).cookies["sessionid"].value


def start(kind: str, env: dict, port: int) -> subprocess.Popen:
    python = sys.executable
    if kind == "gunicorn":
        command = [python, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
        command += ["govmedia.wsgi:application"]
        env = env | {"GUNICORN_BIND": f"127.0.0.1:{port}"}
    else:
        command = [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    import httpx

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"{kind} did not start")


def load(base: str, path: str, cookie: str) -> dict:
    import httpx

    headers = {"X-Forwarded-Proto": "https", "Cookie": f"sessionid={cookie}"}
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + PAGE_LIMIT_SECONDS

    def client(_):
        nonlocal errors
        with httpx.Client(base_url=base, headers=headers, timeout=120) as http:
            for _ in range(REQUESTS_PER_CLIENT):
                if time.monotonic() > stop_at:
                    return
                started = time.perf_counter()
                try:
                    ok = http.get(path).status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    errors += not ok

    # A warm-up round first, as concurrent as the measured one, so that every worker and thread
    # has loaded its templates and opened its connection before the clock starts.
    with ThreadPoolExecutor(CLIENTS) as pool:
        warm = pool.map(
            lambda _: httpx.get(base + path, headers=headers, timeout=120).status_code,
            range(CLIENTS),
        )
        assert set(warm) == {200}, "the bench's session was not accepted"
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


def pg_connections() -> int | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def main():
    args = configure("serving")
    from django.conf import settings
    from django.db import connection
    from registry import seed

    n_accounts = int(10_000 * args.scale)
    started = time.perf_counter()
    admin, _ = seed(n_accounts)
    print(f"seeded {n_accounts} accounts in {time.perf_counter() - started:.1f} s ({db_label()})")
    cookie = session_cookie(admin)
    env = os.environ | PRODUCTION_ENV
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    # The production server serves hashed static names: collect them once, as serve.sh does.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    connection.close()
    rows = []
    for kind in ("gunicorn", "runserver"):
        port = free_port()
        process = start(kind, env, port)
        try:
            for label, path in PAGES:
                result = load(f"http://127.0.0.1:{port}", path, cookie)
                rows.append((kind, label, result))
                print(f"  {kind:<10}{label:<15}{result}", flush=True)
            left = pg_connections()
            connection.close()
        finally:
            process.terminate()
            process.wait(timeout=60)
        rows.append((kind, "connections left open", left))
    print(
        f"\n{db_label()}, {n_accounts} accounts, {CLIENTS} concurrent clients × "
        f"{REQUESTS_PER_CLIENT} requests per page; gunicorn {PRODUCTION_ENV['WEB_WORKERS']} "
        f"workers × {PRODUCTION_ENV['WEB_THREADS']} threads, CONN_MAX_AGE {settings.CONN_MAX_AGE}"
    )
    print(
        f"{'server':<11}{'page':<16}{'requests':>9}{'errors':>7}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}"
    )
    for kind, label, result in rows:
        if isinstance(result, dict):
            print(
                f"{kind:<11}{label:<16}{result['requests']:>9}{result['errors']:>7}"
                f"{result['rps']:>8.1f}{result['p50']:>9.0f}{result['p99']:>9.0f}"
            )
        elif result is not None:
            print(f"{kind:<11}PostgreSQL connections open after the run: {result}")


if __name__ == "__main__":
    main()
