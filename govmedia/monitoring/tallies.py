"""The dormant report's level counts, kept per unit, platform and level (DormantCount) so a
page sums ~200 units' rows instead of counting every account in scope.

Each running account is counted once, under its host unit, its platform and its bucket: the
level stored on its PullState (figures.py), or NO_STATE before it has one. DormantTally
remembers where each account was counted, so any change (a level stored by figures.refresh,
an account filed into another unit, suspended, or given its PullState) is counted as a move
from the old key to the new one, in the transaction that made the change: `retally` is called
by figures.refresh, by the registry's ACCOUNTS_CHANGED (apps.py) and wherever a PullState is
created. `reconcile` rebuilds both tables from the accounts (the daily sweep runs it, and
`manage.py monitoring_recount`), so a writer that bypasses the services (a bulk load, a
restored backup) is corrected within a day.

Whether a platform is pulled is decided when the counts are read (selectors.report_counts),
so a change of settings.PLATFORM_API_BASES needs no recount.
"""

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count

from govmedia.core import bulksql
from govmedia.registry.models import AccountStatus, MediaAccount

from .models import DormantCount, DormantTally, PullState

NO_STATE = "nostate"  # running, without a PullState yet (counts as 尚未采集, not listed)
NOT_COUNTED = (None, None, "")

Key = tuple[int | None, int | None, str]  # (org, platform, bucket)


def retally(account_ids: Iterable[int]) -> int:
    """Count these accounts where they now belong; how many moved."""
    ids = sorted(set(account_ids))
    if not ids:
        return 0
    with transaction.atomic():
        old = _locked_tallies(ids)
        new = _current_keys(ids)
        moved = [
            (pk, old.get(pk, NOT_COUNTED), key) for pk, key in new.items() if old.get(pk) != key
        ]
        if not moved:
            return 0
        # One UPDATE … FROM the rows (bulk_update's CASE per row and field was most of a
        # pull round's writing).
        bulksql.update_from_rows(
            DormantTally,
            {
                "account": "account",
                "new_org": "org",
                "new_platform": "platform",
                "new_bucket": "bucket",
            },
            [(pk, *key) for pk, _, key in moved],
            key="account",
            assignments={
                "org_id": "v.new_org",
                "platform_id": "v.new_platform",
                "bucket": "v.new_bucket",
            },
        )
        deltas: Counter = Counter()
        for _, before, after in moved:
            if before[2]:
                deltas[before] -= 1
            if after[2]:
                deltas[after] += 1
        _add(deltas)
    return len(moved)


def on_accounts_changed(*, account_ids, org_ids) -> None:
    """registry.ACCOUNTS_CHANGED: an account was created, transferred, suspended or cancelled;
    recounted in the registry's transaction."""
    retally(account_ids)


def _locked_tallies(ids: list[int]) -> dict[int, Key]:
    """The stored keys of these accounts, their rows locked (in id order) so two transactions
    retallying the same account count its move once; a missing row is created first."""
    tallies = (
        DormantTally.objects.select_for_update()
        .order_by("account_id")
        .values_list("account_id", "org_id", "platform_id", "bucket")
    )
    found = {pk: tuple(key) for pk, *key in tallies.filter(account_id__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        existing = MediaAccount.objects.filter(pk__in=missing).values_list("pk", flat=True)
        DormantTally.objects.bulk_create(
            [DormantTally(account_id=pk) for pk in existing], ignore_conflicts=True
        )
        found |= {pk: tuple(key) for pk, *key in tallies.filter(account_id__in=missing)}
    return found


def _current_keys(ids: list[int]) -> dict[int, Key]:
    rows = MediaAccount.objects.filter(pk__in=ids).values_list(
        "pk", "host_org_id", "platform_id", "status", "pull_state__level"
    )
    return {
        pk: (org, platform, level or NO_STATE) if status == AccountStatus.RUNNING else NOT_COUNTED
        for pk, org, platform, status, level in rows
    }


def _add(deltas: Counter) -> None:
    """Add each delta to its counter, creating it at need: one INSERT … ON CONFLICT, the
    increment done by the database so concurrent adds to one counter both count."""
    rows = [(*key, n) for key, n in deltas.items() if n]
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(DormantCount._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (org_id, platform_id, bucket, n) VALUES {values} "
            f"ON CONFLICT (org_id, platform_id, bucket) DO UPDATE SET n = {table}.n + excluded.n",
            [value for row in rows for value in row],
        )


def fresh_counts() -> dict[Key, int]:
    """The counts as a COUNT over every account would give them (what the counters must equal)."""
    rows = (
        MediaAccount.objects.filter(status=AccountStatus.RUNNING)
        .values_list("host_org_id", "platform_id", "pull_state__level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: Counter = Counter()
    for org, platform, level, n in rows:
        counts[(org, platform, level or NO_STATE)] += n
    return dict(counts)


def stored_counts() -> dict[Key, int]:
    rows = DormantCount.objects.filter(n__gt=0).values_list("org_id", "platform_id", "bucket", "n")
    return {(org, platform, bucket): n for org, platform, bucket, n in rows}


def reconcile() -> int:
    """Rebuild the tallies and counters from the accounts, in one transaction; how many
    counters were wrong (0 when every writer kept them)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":  # retally waits; the page still reads
            with connection.cursor() as cursor:
                cursor.execute(
                    f"LOCK TABLE {connection.ops.quote_name(DormantTally._meta.db_table)} "
                    "IN EXCLUSIVE MODE"
                )
        fresh, stored = fresh_counts(), stored_counts()
        wrong = sum(
            1 for key in fresh.keys() | stored.keys() if fresh.get(key, 0) != stored.get(key, 0)
        )
        _rebuild_tallies()
        DormantCount.objects.all().delete()
        DormantCount.objects.bulk_create(
            (
                DormantCount(org_id=k[0], platform_id=k[1], bucket=k[2], n=n)
                for k, n in fresh.items()
            ),
            batch_size=2000,
        )
    return wrong


def _rebuild_tallies() -> None:
    """Every account's tally row from its current key, in one INSERT … SELECT."""
    qn = connection.ops.quote_name
    tally, account = qn(DormantTally._meta.db_table), qn(MediaAccount._meta.db_table)
    state = qn(PullState._meta.db_table)
    running = "a.status = %s"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {tally}")
        cursor.execute(
            f"INSERT INTO {tally} (account_id, org_id, platform_id, bucket) "
            f"SELECT a.id, CASE WHEN {running} THEN a.host_org_id END, "
            f"CASE WHEN {running} THEN a.platform_id END, "
            f"CASE WHEN {running} THEN COALESCE(s.level, %s) ELSE '' END "
            f"FROM {account} a LEFT JOIN {state} s ON s.account_id = a.id",
            [AccountStatus.RUNNING, AccountStatus.RUNNING, AccountStatus.RUNNING, NO_STATE],
        )
