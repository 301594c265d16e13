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

Issue 19's target is read from a run at concurrency 1 under gunicorn, first: with 20 clients on
2 cores a p50 is mostly queueing. Each page is requested SEQUENTIAL_REQUESTS times, one at a
time; its p50 is the server's time for it, printed with the CPU the server's processes spent per
request (what the time would be on an idle machine). The accounts also get their pull states
and stored dormant figures, and 1,000,000 posts (× scale) are generated in the database.
"""

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

SECRET = "bench-serving-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz0"
os.environ["SECRET_KEY"] = SECRET  # the bench's sessions must be valid on the servers

from common import ROOT, configure, db_label  # noqa: E402

CLIENTS = 20
REQUESTS_PER_CLIENT = 10
SEQUENTIAL_REQUESTS = 30  # the concurrency-1 run: each request alone on the server
POSTS = 1_000_000  # as many posts as issue 19 measures with (the list pages never read them)
TARGET_MS = 100
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


def sequential(base: str, path: str, cookie: str, server_pid: int) -> dict:
    """One client, one request at a time: the latency is the server's time for the request
    (not the queueing of 20 clients on 2 cores), with the CPU seconds the server's processes
    spent per request (/proc: what the time is on an idle machine, whatever the neighbours)."""
    import httpx

    headers = {"X-Forwarded-Proto": "https", "Cookie": f"sessionid={cookie}"}
    latencies, errors = [], 0
    with httpx.Client(base_url=base, headers=headers, timeout=120) as http:
        for _ in range(3):  # warm every worker's templates and connection
            http.get(path)
        cpu = server_cpu(server_pid)
        for _ in range(SEQUENTIAL_REQUESTS):
            started = time.perf_counter()
            errors += http.get(path).status_code != 200
            latencies.append((time.perf_counter() - started) * 1000)
        cpu = (server_cpu(server_pid) - cpu) / SEQUENTIAL_REQUESTS * 1000
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "p50": statistics.median(latencies),
        "p90": latencies[int(len(latencies) * 0.9)],
        "cpu_ms": cpu,
    }


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children (gunicorn's workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            pids += [int(child) for child in children.read().split()]
    except OSError:
        pass
    for each in pids:
        try:
            with open(f"/proc/{each}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def seed_monitoring(n_posts: int) -> None:
    """Every account's PullState with stored figures (a spread of levels, as pulls leave them),
    the level counters reconciled, and `n_posts` posts spread over the accounts (generated by
    the database: the list pages must not read them, but they must be there)."""
    import random

    from django.db import connection
    from django.utils import timezone

    from govmedia.monitoring import dormancy, tallies
    from govmedia.monitoring.models import Post, PullState
    from govmedia.registry.models import MediaAccount

    rng, now = random.Random(19), timezone.now()
    ids = list(MediaAccount.objects.order_by("pk").values_list("pk", flat=True))
    levels = rng.choices(list(dormancy.LEVEL_ORDER), weights=[3, 7, 2, 3, 85], k=len(ids))
    PullState.objects.bulk_create(
        (
            PullState(
                account_id=pk,
                next_due_at=now,
                last_success_at=now,
                first_success_at=now - timedelta(days=200),
                last_post_at=now - timedelta(days=rng.random() * 60),
                level=level.value,
                risk_rank=dormancy.LEVEL_ORDER.index(level),
                longest_gap=rng.randrange(1, 60),
                posts_90=rng.randrange(0, 200),
                figures_on=now.date(),
            )
            for pk, level in zip(ids, levels, strict=True)
        ),
        batch_size=2000,
    )
    tallies.reconcile()
    table = connection.ops.quote_name(Post._meta.db_table)
    if connection.vendor == "postgresql":
        published = "now() - (n %% 2000) * interval '1 hour'"
    else:
        published = "strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now', '-' || (n %% 2000) || ' hours')"
    account_count, first = len(ids), ids[0]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (account_id, platform_post_id, title, text, is_html, url, "
            "published_at, metrics, content_hash, first_seen_at, last_seen_at, screened_hash) "
            "WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n + 1 < %s) "
            f"SELECT %s + n %% %s, 'p' || n, '标题', '正文', false, '', {published}, '{{}}', "
            f"'h', {published}, {published}, 'h' FROM s",
            [n_posts, first, account_count],
        )


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


def report_alone(alone: list, n_accounts: int, n_posts: int) -> None:
    """The concurrency-1 figures and issue 19's target line (printed as soon as they are known:
    a later failure of the runserver comparison must not lose them)."""
    print(f"\ngunicorn, concurrency 1 ({SEQUENTIAL_REQUESTS} requests per page, one at a time)")
    print(f"{'page':<16}{'p50 ms':>9}{'p90 ms':>9}{'server CPU ms':>15}")
    for label, result in alone:
        print(f"{label:<16}{result['p50']:>9.0f}{result['p90']:>9.0f}{result['cpu_ms']:>15.0f}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    worst_label, worst = max(alone, key=lambda item: item[1]["p50"])
    met = (
        "met" if worst["p50"] < TARGET_MS and not any(r["errors"] for _, r in alone) else "NOT met"
    )
    print(
        f"target: every list page < {TARGET_MS} ms p50 at {n_accounts:,} accounts and "
        f"{n_posts:,} posts (gunicorn, concurrency 1): slowest {worst_label} "
        f"{worst['p50']:.0f} ms p50 (server CPU {worst['cpu_ms']:.0f} ms/request), {met}"
    )


def main():
    args = configure("serving")
    from django.conf import settings
    from django.db import connection
    from registry import analyze, seed

    n_accounts = int(10_000 * args.scale)
    started = time.perf_counter()
    admin, _ = seed(n_accounts)
    n_posts = int(POSTS * args.scale)
    seed_monitoring(n_posts)
    analyze()
    print(
        f"seeded {n_accounts} accounts, {n_posts} posts in {time.perf_counter() - started:.1f} s "
        f"({db_label()})"
    )
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
    rows, alone = [], []
    for kind in ("gunicorn", "runserver"):
        port = free_port()
        process = start(kind, env, port)
        try:
            if kind == "gunicorn":  # the production server, one request at a time
                for label, path in PAGES:
                    result = sequential(f"http://127.0.0.1:{port}", path, cookie, process.pid)
                    alone.append((label, result))
                    print(f"  concurrency 1 {label:<15}{result}", flush=True)
                report_alone(alone, n_accounts, n_posts)
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
