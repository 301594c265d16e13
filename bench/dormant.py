"""The dormant report (僵尸账号) at two sizes: its page and level counts read the figures stored
on PullState, so a page costs the same at 1,000 and 10,000 (or 100,000) accounts.

    .venv/bin/python bench/dormant.py                       # SQLite, 1,000 then 10,000 accounts
    .venv/bin/python bench/dormant.py --pg postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/dormant.py --scale 10            # 1,000 then 100,000 accounts

The stored figures are written directly (a spread of levels and last posts); the pulls that
would write them are bench/monitoring.py's. The page never reads posts, so none are made.
Target: the slowest page at the large size within 1.5× of the same page at 1,000 accounts
(a ratio: on a shared machine an absolute time mostly measures the neighbours).
"""

import random
from datetime import date, timedelta

from common import bench_admins, client_for, configure, db_label, report, time_page

SMALL, LARGE, UNITS = 1_000, 10_000, 20
PAGES = (
    ("/monitoring/", "dormant page 1"),
    ("/monitoring/?page=10", "dormant page 10"),
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


def measure(admin, unit_admin, size: int) -> list[tuple]:
    rows = []
    for user, who in ((admin, "区"), (unit_admin, "镇街")):
        client = client_for(user)
        for url, label in PAGES:
            ms, queries, kb = time_page(client, url)
            rows.append((db_label(), f"{label} {who}", size, ms, queries, kb))
    return rows


def main():
    args = configure("dormant")
    from django.db import connection

    rng = random.Random(19)
    root, units = seed_orgs()
    admin, unit_admin = bench_admins(root, units[0], "x")
    large = int(LARGE * args.scale)
    add_accounts(units, 0, SMALL, rng)
    _analyze(connection)
    small_rows = measure(admin, unit_admin, SMALL)
    add_accounts(units, SMALL, large, rng)
    _analyze(connection)
    large_rows = measure(admin, unit_admin, large)
    report(small_rows + large_rows)
    ratios = [big[3] / small[3] for small, big in zip(small_rows, large_rows, strict=True)]
    worst = max(ratios)
    slowest = max(row[3] for row in large_rows)
    met = "met" if worst <= 1.5 else "NOT met"
    print(
        f"target: dormant page at {large:,} accounts within 1.5x of {SMALL:,}: worst ratio "
        f"{worst:.2f} (slowest page {slowest:.0f} ms), {met}"
    )


def _analyze(connection) -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would gather them."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
