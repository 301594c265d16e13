"""更新监测 at district scale: one worker pulls 10,000 accounts, then the dormant report.

    .venv/bin/python bench/monitoring.py                       # SQLite (a file under /tmp)
    .venv/bin/python bench/monitoring.py --pg postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/monitoring.py --scale 0.1           # a quick run

Targets (issue 19): against the fake servers on this machine, one worker pulls 10,000 accounts
of 20 posts each at ≥ 200 accounts/s on PostgreSQL (screening of the new posts is its own task,
measured after the round); then, with the posts bulk-inserted up to 1,000,000, the dormant page
for 10,000 accounts under 100 ms p50 with a query count that does not grow with the rows.
Besides wall-clock rates the bench prints accounts per CPU-second of the worker process: on a
machine shared with other work, the wall clock mostly measures the neighbours.

The fake servers run in a process of their own (python -m govmedia.platforms.fakes), as the real
platforms would, so they do not share this worker's interpreter lock.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from common import ROOT, client_for, configure, db_label, report, time_page

ACCOUNTS, POSTS_EACH, TOTAL_POSTS = 10_000, 20, 1_000_000
FAKE_PLATFORMS = {
    "wechat": "wechat-mp",
    "weibo": "weibo",
    "douyin": "douyin",
    "kuaishou": "kuaishou",
}
UNITS = 20


def start_fakes(per_platform: int) -> tuple[subprocess.Popen, dict[str, str]]:
    seed = {
        name: {"generate": {"accounts": per_platform, "posts_per_account": POSTS_EACH}}
        for name in FAKE_PLATFORMS
    }
    seed_file = Path(tempfile.mkdtemp()) / "bench_seed.json"
    seed_file.write_text(json.dumps(seed), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "govmedia.platforms.fakes", "--seed", str(seed_file)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    bases = {}
    while len(bases) < len(FAKE_PLATFORMS):
        line = process.stdout.readline()
        if not line:
            raise SystemExit("the fake platforms did not start")
        code, url = line.split()
        bases[code] = url
    return process, bases


def seed_registry(per_platform: int):
    from govmedia.credentials.models import PlatformCredential
    from govmedia.credentials.storage import seal
    from govmedia.orgs.models import Organization, OrgType
    from govmedia.platforms.fakes import default_credentials
    from govmedia.registry.models import MediaAccount, Platform
    from govmedia.users.models import User

    root = Organization.objects.create(name="菏泽市定陶区", org_type=OrgType.DISTRICT, path="/p/")
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    units = Organization.objects.bulk_create(
        Organization(name=f"镇街{i:02d}", parent=root, path="", depth=1, org_type=OrgType.TOWNSHIP)
        for i in range(UNITS)
    )
    for unit in units:
        unit.path = f"{root.path}{unit.pk}/"
    Organization.objects.bulk_update(units, ["path"])
    platforms = {p.code: p for p in Platform.objects.all()}
    accounts = []
    for name, code in FAKE_PLATFORMS.items():
        for n in range(per_platform):
            handle = f"bench_{name}_{n:05d}"
            accounts.append(
                MediaAccount(
                    host_org=units[n % UNITS],
                    platform=platforms[code],
                    name=f"{platforms[code].name}{n:05d}",
                    handle=handle,
                    registrant="菏泽市定陶区某单位",
                    registered_on=date(2019, 4, 16),
                    positioning="发布政务信息",
                    filing_no=f"BENCH-{name}-{n}",
                )
            )
    MediaAccount.objects.bulk_create(accounts, batch_size=2000)
    rows = []
    for account in MediaAccount.objects.select_related("platform"):
        fake_name = next(k for k, v in FAKE_PLATFORMS.items() if v == account.platform.code)
        values = dict(default_credentials(fake_name, account.handle))
        row = PlatformCredential(account_id=account.pk, app_id=values.pop("app_id", ""))
        seal(row, "app_secret", values.pop("app_secret", ""))
        seal(row, "access_token", values.pop("access_token", ""))
        seal(row, "extra", json.dumps(values, sort_keys=True) if values else "")
        rows.append(row)
    PlatformCredential.objects.bulk_create(rows, batch_size=2000)
    admin = User.objects.create(
        username="bench",
        name="压测",
        org=root,
        role="platform_admin",
        must_change_password=False,
        totp_enabled=True,
        totp_secret="JBSWY3DPEHPK3PXP",
    )
    unit_admin = User.objects.create(
        username="unit", name="单位", org=units[0], role="unit_admin", must_change_password=False
    )
    return admin, unit_admin


def pull_everything(threads: int) -> dict:
    from govmedia.monitoring.models import Post, PullRun
    from govmedia.monitoring.pulling import pull_round

    backend = backend_cpu_reader()
    started, cpu, main_cpu = time.perf_counter(), time.process_time(), time.thread_time()
    child_cpu, db_cpu = children_cpu(), backend()
    stats = pull_round(worker="bench", threads=threads)  # its fetching child is reaped by now
    seconds = time.perf_counter() - started
    return {
        "cpu_seconds": time.process_time() - cpu,
        "child_cpu_seconds": children_cpu() - child_cpu,
        "main_cpu_seconds": time.thread_time() - main_cpu,
        "db_cpu_seconds": backend() - db_cpu,
        "accounts": stats.accounts,
        "failed": stats.failed,
        "errors": stats.errors,
        "posts_new": stats.posts_new,
        "posts_stored": Post.objects.count(),
        "runs": PullRun.objects.count(),
        "seconds": seconds,
    }


def children_cpu() -> float:
    """CPU seconds of this process's children that have ended (the pull's fetching child)."""
    times = os.times()
    return times.children_user + times.children_system


def backend_cpu_reader():
    """CPU seconds of this process's PostgreSQL backend so far (a server on this machine), or
    0.0: with the main thread's, the time of the pull's writing, which no other work adds to.
    Sampled every 0.2 s, since the backend ends when the round's last enqueue closes an old
    connection (django-q's broker does)."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    last = [0.0]

    def sample() -> None:
        while True:
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                return
            last[0] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            time.sleep(0.2)

    threading.Thread(target=sample, daemon=True).start()
    time.sleep(0.3)
    return lambda: last[0]


def fill_posts(total: int) -> int:
    """Bulk-insert old posts until there are `total`, spread over the last year, then bring each
    account's last_post_at in line (as pulls would have)."""
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from govmedia.monitoring.models import Post, PullState
    from govmedia.registry.models import MediaAccount

    ids = list(MediaAccount.objects.values_list("pk", flat=True))
    now = timezone.now()
    # A quarter of the accounts went quiet: their posts of the last three weeks are gone.
    quiet = ids[::4]
    Post.objects.filter(account_id__in=quiet, published_at__gte=now - timedelta(days=21)).delete()
    missing = total - Post.objects.count()
    per_account = max(0, -(-missing // len(ids)))
    # Older posts, 22 days to a year back, so the quiet accounts stay quiet.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO monitoring_post (account_id, platform_post_id, title, text, is_html,
                    url, published_at, metrics, content_hash, first_seen_at, last_seen_at,
                    screened_hash, screened_version)
                SELECT a.id, 'old-' || a.id || '-' || g, '旧文章 ' || g, '', false, '',
                    %s - make_interval(days => (((a.id * 7 + g * 13) %% 343) + 22)::int),
                    '{}'::jsonb, 'x', %s, %s, 'x', 1
                FROM registry_mediaaccount a CROSS JOIN generate_series(1, %s) g
                """,
                [now, now, now, per_account],
            )
    else:
        batch = []
        for account_id in ids:
            for g in range(per_account):
                published = now - timedelta(days=(account_id * 7 + g * 13) % 343 + 22)
                batch.append(
                    Post(
                        account_id=account_id,
                        platform_post_id=f"old-{account_id}-{g}",
                        title=f"旧文章 {g}",
                        published_at=published,
                        content_hash="x",
                        screened_hash="x",
                        first_seen_at=now,
                        last_seen_at=now,
                    )
                )
            if len(batch) >= 20_000:
                Post.objects.bulk_create(batch, batch_size=5000)
                batch = []
        Post.objects.bulk_create(batch, batch_size=5000)
    last = dict(
        Post.objects.values("account_id")
        .annotate(m=Max("published_at"))
        .values_list("account_id", "m")
    )
    states = list(PullState.objects.all())
    for state in states:
        state.last_post_at = last.get(state.account_id)
    PullState.objects.bulk_update(states, ["last_post_at"], batch_size=2000)
    # The posts came in behind the pulls' back: the hourly sweep brings the stored figures of
    # the dormant report in line, as it would after a day passes.
    from govmedia.monitoring.figures import refresh_all

    PullState.objects.update(figures_on=None)
    t0 = time.perf_counter()
    swept = refresh_all()
    print(f"dormant figures sweep: {swept} accounts in {time.perf_counter() - t0:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Post.objects.count()


def main():
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # before set-up, or each enqueue is logged
    args = configure("monitoring")
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    n_accounts = max(4, int(ACCOUNTS * args.scale))
    per_platform = n_accounts // len(FAKE_PLATFORMS)
    threads = settings.PULL_THREADS  # what a worker runs with (16; env PULL_THREADS)
    where = "a child process" if settings.PULL_FETCH_PROCESS else "the worker's own threads"
    print(
        f"database: {db_label()}; accounts: {per_platform * 4}; threads: {threads}, "
        f"fetching in {where} (PULL_FETCH_PROCESS)"
    )
    process, bases = start_fakes(per_platform)
    try:
        settings.PLATFORM_API_BASES = bases
        t0 = time.perf_counter()
        admin, unit_admin = seed_registry(per_platform)
        print(f"seeded the registry and credentials in {time.perf_counter() - t0:.1f} s")
        pulled = pull_everything(threads)
    finally:
        process.terminate()
        process.wait()
    rate = pulled["accounts"] / pulled["seconds"]
    print(
        f"pull round: {pulled['accounts']} accounts ({pulled['failed']} failed {pulled['errors']})"
        f" in {pulled['seconds']:.1f} s = {rate:.0f} accounts/s; "
        f"{pulled['posts_new']} posts upserted = {pulled['posts_new'] / pulled['seconds']:.0f} posts/s; "
        f"{pulled['runs']} pull runs; {pulled['posts_stored']} posts stored"
    )
    worker_cpu = pulled["cpu_seconds"] + pulled["child_cpu_seconds"]
    cpu_rate = pulled["accounts"] / worker_cpu
    print(
        f"  worker CPU: {worker_cpu:.1f} s (of which its fetching child "
        f"{pulled['child_cpu_seconds']:.1f} s) = {cpu_rate:.0f} accounts per CPU-second"
    )
    writing = pulled["main_cpu_seconds"] + pulled["db_cpu_seconds"]
    print(
        f"  the writer's critical path: main thread {pulled['main_cpu_seconds']:.1f} s CPU + its "
        f"database backend {pulled['db_cpu_seconds']:.1f} s CPU = "
        f"{pulled['accounts'] / writing:.0f} accounts per CPU-second (the rate on an idle machine)"
    )
    met = "met" if rate >= 200 else "NOT met"
    print(
        f"target: pulls >= 200 accounts/s per worker: {rate:.0f} accounts/s, {met} "
        f"(worker {cpu_rate:.0f} accounts per CPU-second, writer's critical path "
        f"{pulled['accounts'] / writing:.0f}; load average {os.getloadavg()[0]:.1f})"
    )
    from govmedia.monitoring.rectify import screen_pending

    t0, cpu = time.perf_counter(), time.process_time()
    screened = screen_pending()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu
    print(
        f"screening task (after the round): {screened.posts} posts in {seconds:.1f} s = "
        f"{screened.posts / seconds:.0f} posts/s ({screened.posts / cpu:.0f} per CPU-second), "
        f"{screened.rectifications} rectifications opened"
    )
    target = int(TOTAL_POSTS * args.scale)
    t0 = time.perf_counter()
    total = fill_posts(target)
    print(f"posts bulk-inserted up to {total} in {time.perf_counter() - t0:.1f} s")

    from govmedia.monitoring.selectors import dormant_accounts, rows_for

    rows = []
    for user, who in ((admin, "区（全部）"), (unit_admin, "镇街")):
        client = client_for(user)
        for url, label in (
            ("/monitoring/", "dormant page 1"),
            ("/monitoring/?page=100", "dormant page 100"),
            ("/monitoring/?level=risk", "dormant risk only"),
        ):
            ms, queries, size = time_page(client, url)
            rows.append((db_label(), f"{label} {who}", total, ms, queries, size))
    client = client_for(admin)
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/monitoring/export.xlsx")
    export_ms = (time.perf_counter() - t0) * 1000
    rows.append(
        (db_label(), "dormant export (all)", total, export_ms, len(captured), len(response.content))
    )
    report(rows)
    slowest = max(
        ms for _, label, _, ms, _, _ in rows if label.startswith("dormant page") or "risk" in label
    )
    met = "met" if slowest < 100 else "NOT met"
    print(
        f"target: dormant pages < 100 ms p50 (slowest of the pages above): {slowest:.0f} ms, {met}"
    )
    levels = {}
    for row in rows_for(dormant_accounts(admin)[:2000]):
        levels[row.level_label] = levels.get(row.level_label, 0) + 1
    print("levels among the 2,000 most at risk:", levels)


if __name__ == "__main__":
    main()
