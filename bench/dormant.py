"""The dormant report (僵尸账号) at two sizes: its page and level counts read the figures stored
on PullState, so a page costs the same at 1,000 and 10,000 (or 100,000) accounts.

    .venv/bin/python bench/dormant.py                       # SQLite, 1,000 then 10,000 accounts
    .venv/bin/python bench/dormant.py --pg postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/dormant.py --scale 10            # 1,000 then 100,000 accounts

The stored figures are written directly (a spread of levels and last posts), then the level
counters reconciled as the daily sweep does (tallies.reconcile); the pulls that
would write them are bench/monitoring.py's. The page never reads posts, so none are made.
Target: the slowest page at the large size within 1.5× of the same page at 1,000 accounts
(a ratio: on a shared machine an absolute time mostly measures the neighbours).
"""

import json
import os
import random
import statistics
import time
from datetime import date, timedelta

from common import bench_admins, client_for, configure, db_label, report

SMALL, LARGE, UNITS = 1_000, 10_000, 20
PAGES = (
    ("/monitoring/", "dormant page 1"),
    # Page 3: the last page a unit's 50 accounts fill at 1,000 accounts, so the same page is
    # compared at both sizes (page 10 would fall back to a unit's page 3 at 1,000 accounts).
    ("/monitoring/?page=3", "dormant page 3"),
    ("/monitoring/?level=risk", "dormant risk only"),
)


def seed_orgs():
    from govmedia.orgs.models import Organization, OrgType

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
    return root, units


def add_accounts(units, start: int, stop: int, rng: random.Random) -> None:
    """Accounts start..stop-1, each with stored figures as figures.refresh would leave them."""
    from django.utils import timezone

    from govmedia.monitoring import dormancy
    from govmedia.monitoring.clients import supported_codes
    from govmedia.monitoring.models import PullState
    from govmedia.registry.models import MediaAccount, Platform

    platforms = list(Platform.objects.filter(code__in=supported_codes()).order_by("pk"))
    accounts = MediaAccount.objects.bulk_create(
        (
            MediaAccount(
                host_org=units[n % UNITS],
                platform=platforms[n % len(platforms)],
                name=f"账号{n:06d}",
                handle=f"bench_{n:06d}",
                registrant="菏泽市定陶区某单位",
                registered_on=date(2019, 4, 16) + timedelta(days=n % 700),
                positioning="发布政务信息",
                filing_no=f"BENCH-{n}",
            )
            for n in range(start, stop)
        ),
        batch_size=2000,
    )
    now, today = timezone.now(), timezone.localdate()
    weights = {"cleanup": 3, "risk": 7, "failing": 2, "unpulled": 3, "ok": 85}
    levels = rng.choices(list(weights), weights=list(weights.values()), k=len(accounts))
    states = []
    for account, level in zip(accounts, levels, strict=True):
        days = {"cleanup": 40, "risk": 20, "ok": 3}.get(level, 5)
        pulled = level != "unpulled"
        states.append(
            PullState(
                account_id=account.pk,
                next_due_at=now,
                last_success_at=now if pulled else None,
                first_success_at=now - timedelta(days=200) if pulled else None,
                last_post_at=now - timedelta(days=days + rng.random() * 10) if pulled else None,
                level=level,
                risk_rank=dormancy.LEVEL_ORDER.index(dormancy.Level(level)),
                longest_gap=days if pulled else None,
                posts_90=rng.randrange(0, 200) if pulled else 0,
                figures_on=today,
            )
        )
    PullState.objects.bulk_create(states, batch_size=2000)


def recount() -> None:
    """The level counters after the bulk load, as the daily sweep's reconcile leaves them (the
    load bypassed the services that keep them)."""
    from govmedia.monitoring import tallies

    started, cpu = time.perf_counter(), time.process_time()
    tallies.reconcile()
    print(
        f"  reconcile of the level counters: {time.perf_counter() - started:.2f} s "
        f"(CPU {time.process_time() - cpu:.2f} s)",
        flush=True,
    )


def measure(admin, unit_admin, size: int) -> list[tuple]:
    rows = []
    for user, who in ((admin, "区"), (unit_admin, "镇街")):
        client = client_for(user)
        for url, label in PAGES:
            ms, queries, kb, cpu, sql = page_costs(client, url)
            rows.append((db_label(), f"{label} {who}", size, ms, queries, kb, cpu, sql))
    return rows


def page_costs(client, url: str, runs: int = 9) -> tuple[float, int, int, float, float]:
    """Medians of the page's wall time and this process's CPU time (ms), the query count and
    size, and the database's own time for the page's queries (ms: PostgreSQL's planning and
    execution time by EXPLAIN ANALYZE, the query log's round trips on SQLite). On a loaded
    machine the wall time is mostly the neighbours'; CPU and execution time much less so."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and the template loader
    walls, cpus = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    median = statistics.median
    database = median(database_ms(connection, captured.captured_queries) for _ in range(3))
    return median(walls), len(captured), len(response.content), median(cpus), database


def database_ms(connection, queries) -> float:
    if connection.vendor != "postgresql":
        return sum(float(q["time"]) for q in queries) * 1000
    total = 0.0
    with connection.cursor() as cursor:
        for query in queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                total += plan[0]["Planning Time"] + plan[0]["Execution Time"]
    return total


def main():
    args = configure("dormant")
    from django.db import connection

    rng = random.Random(19)
    root, units = seed_orgs()
    admin, unit_admin = bench_admins(root, units[0], "x")
    large = int(LARGE * args.scale)
    add_accounts(units, 0, SMALL, rng)
    recount()
    _analyze(connection)
    small_rows = measure(admin, unit_admin, SMALL)
    add_accounts(units, SMALL, large, rng)
    recount()
    _analyze(connection)
    large_rows = measure(admin, unit_admin, large)
    report([row[:6] for row in small_rows + large_rows])
    print(f"{'page':<34}{'rows':>8}{'CPU ms':>9}{'DB ms':>9}")
    for row in small_rows + large_rows:
        print(f"{row[1]:<34}{row[2]:>8}{row[6]:>9.1f}{row[7]:>9.1f}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    # The slowest page at the large size against the same page at the small size, by its cost
    # (this process's CPU and the database's own time): the wall time's ratio is printed too,
    # but on a loaded machine it mostly says when the neighbours were busy.
    def cost(row):
        return row[6] + row[7]

    slow = max(range(len(large_rows)), key=lambda i: cost(large_rows[i]))
    ratio = cost(large_rows[slow]) / cost(small_rows[slow])
    walls = max(big[3] / small[3] for small, big in zip(small_rows, large_rows, strict=True))
    met = "met" if ratio <= 1.5 else "NOT met"
    print(
        f"target: slowest dormant page at {large:,} accounts within 1.5x of the same page at "
        f"{SMALL:,} (CPU + database time): {ratio:.2f} ({large_rows[slow][1]}, "
        f"{cost(large_rows[slow]):.0f} ms against {cost(small_rows[slow]):.0f} ms), {met} "
        f"(worst wall-time ratio {walls:.2f})"
    )


def _analyze(connection) -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would gather them."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
