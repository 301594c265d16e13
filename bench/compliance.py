"""合规检查 at scale: the full refresh of 100,000 accounts in chunks, and the incremental one.

    .venv/bin/python bench/compliance.py                       # SQLite (a file under /tmp)
    .venv/bin/python bench/compliance.py --pg postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/compliance.py --scale 0.1           # a quick run

Targets (issue 19, item 6): a full refresh of 100,000 accounts within the task timeout
(Q_CLUSTER["timeout"], 600 s), in chunks whose time and memory do not grow with the accounts
(each its own transaction, resumable); a change refreshes only the organizations it touched.
The accounts are spread over the 201 organizations of bench/registry.py; a fifth have an open
filing, a tenth no filing number, a third are unverified, so every rule has findings to open.
"""

import resource
import time
from datetime import date, timedelta

from common import bench_admins, configure, db_label
from registry import analyze, form_values, seed_orgs

ACCOUNTS = 100_000


def seed(n_accounts: int) -> list:
    from govmedia.registry.models import (
        AccountStatus,
        Filing,
        FilingKind,
        FilingState,
        MediaAccount,
        Platform,
    )
    from govmedia.registry.platforms import ensure_default_platforms

    root, units, orgs = seed_orgs()
    admin, _ = bench_admins(root, None, "!")
    ensure_default_platforms(Platform)
    platforms = list(Platform.objects.all())
    statuses = [AccountStatus.RUNNING] * 8 + [AccountStatus.SUSPENDED, AccountStatus.CANCELLED]
    ids = []
    for start in range(0, n_accounts, 10_000):
        batch = MediaAccount.objects.bulk_create(
            (
                MediaAccount(
                    host_org=orgs[i % len(orgs)],
                    status=statuses[i % 10],
                    filing_no=f"定陶新媒备〔2025〕第{i:06d}号" if i % 10 else None,
                    **form_values(i, platforms[i % len(platforms)]) | {"handle": f"a{i:06d}"},
                )
                for i in range(start, min(start + 10_000, n_accounts))
            ),
            batch_size=2000,
        )
        Filing.objects.bulk_create(
            (
                Filing(
                    kind=FilingKind.CHANGE,
                    account=account,
                    org=account.host_org,
                    state=FilingState.DRAFT,
                    event_date=date(2026, 1, 5) + timedelta(days=i % 300),
                    due_on=date(2026, 1, 12) + timedelta(days=i % 300),
                    filing_no=account.filing_no or "",
                    created_by=admin,
                    **form_values(i, account.platform),
                )
                for i, account in enumerate(batch)
                if i % 5 == 0
            ),
            batch_size=2000,
        )
        ids += [account.pk for account in batch]
    analyze()
    return ids


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    args = configure("compliance")
    from django.conf import settings

    from govmedia.compliance.models import ComplianceFinding
    from govmedia.compliance.services import CHUNK_ACCOUNTS, compliance_refresh

    n = max(1000, int(ACCOUNTS * args.scale))
    t0 = time.perf_counter()
    ids = seed(n)
    print(f"database: {db_label()}; seeded {len(ids)} accounts in {time.perf_counter() - t0:.1f} s")
    timeout = settings.Q_CLUSTER["timeout"]

    runs = []
    for label in ("first full refresh (opens the findings)", "second full refresh (no change)"):
        rss, t0 = max_rss_mb(), time.perf_counter()
        result = compliance_refresh()
        seconds = time.perf_counter() - t0
        runs.append(seconds)
        print(
            f"{label}: {seconds:.1f} s in {result.chunks} chunks of ≤ {CHUNK_ACCOUNTS} accounts "
            f"({seconds / result.chunks:.2f} s a chunk); opened {result.opened}, resolved "
            f"{result.resolved}; peak memory grew {max_rss_mb() - rss:.0f} MB"
        )
    print(f"open findings stored: {ComplianceFinding.objects.open().count()}")

    t0 = time.perf_counter()
    partial = compliance_refresh(max_chunks=3)
    cut = time.perf_counter() - t0
    t0 = time.perf_counter()
    rest = compliance_refresh()
    print(
        f"a refresh cut short after 3 chunks ({cut:.1f} s), resumed: {rest.chunks} chunks more "
        f"in {time.perf_counter() - t0:.1f} s (complete: {partial.complete} then {rest.complete})"
    )

    t0 = time.perf_counter()
    compliance_refresh(account_ids=[ids[len(ids) // 2]])
    incremental_ms = (time.perf_counter() - t0) * 1000
    print(f"incremental refresh after one account's change: {incremental_ms:.0f} ms")

    worst = max(runs)
    met = "met" if worst < timeout else "NOT met"
    print(
        f"target: full compliance refresh of {len(ids)} accounts within the task timeout "
        f"({timeout} s): {worst:.0f} s, {met} (ratio {worst / timeout:.2f} of the timeout)"
    )


if __name__ == "__main__":
    main()
