"""Checking the service links: claim the links that are due (a conditional UPDATE of their
lease, so two workers never check one link at once), check them with bounded concurrency
(checker.py), store each outcome, and open a finding (功能无法使用) for a link that is broken —
at once when the page itself says it is gone, after a second failed check when the failure may
pass by itself (a timeout, a refused connection, a server error).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from govmedia.core import bulksql

from . import checker
from .models import ServiceLink
from .services import finding_open

BATCH = 500
# Links claimed and checked in one round at most: every round waits for its slowest page (a
# timeout), so fewer, larger rounds; capped so that a round whose every page timed out still
# ends within half the lease, and to keep a round's links in memory small.
ROUND_MAX = 5000
RECORDED = [
    "last_checked_at",
    "last_outcome",
    "last_status",
    "last_final_url",
    "last_detail",
    "consecutive_failures",
    "next_check_at",
    "claimed_until",
]
LEASE = timedelta(minutes=30)


@dataclass
class CheckRun:
    checked: int = 0
    broken: int = 0
    opened: int = 0


def claim_due(*, now, limit: int = BATCH, ids=None) -> list[ServiceLink]:
    """Lease up to `limit` active links due for a check (or the given ids) to this worker."""
    candidates = ServiceLink.objects.active().filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    if ids is not None:
        candidates = candidates.filter(pk__in=ids)
    else:
        candidates = candidates.filter(next_check_at__lte=now)
    chosen = list(candidates.order_by("next_check_at", "pk").values_list("pk", flat=True)[:limit])
    if not chosen:
        return []
    # One conditional UPDATE for the batch, RETURNING the links this worker won (PostgreSQL;
    # SQLite 3.35+): a rival's UPDATE of the same rows waits for the commit and then finds the
    # lease taken, so no link is won twice. Written once, not built by the ORM per link.
    free = f"({_column('claimed_until')} IS NULL OR {_column('claimed_until')} < %s)"
    sql = (
        f"UPDATE {_table()} SET {_column('claimed_until')} = %s "
        f"WHERE {_column('id')} IN ({', '.join(['%s'] * len(chosen))}) AND {free} "
        f"RETURNING {_column('id')}"
    )
    until, now_value = _db_value("claimed_until", now + LEASE), _db_value("claimed_until", now)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [until, *chosen, now_value])
        claimed = [row[0] for row in cursor.fetchall()]
    return list(ServiceLink.objects.filter(pk__in=claimed).select_related("account__host_org"))


def _table() -> str:
    return connection.ops.quote_name(ServiceLink._meta.db_table)


def _column(name: str) -> str:
    return connection.ops.quote_name(ServiceLink._meta.get_field(name).column)


def _db_value(name: str, value):
    return ServiceLink._meta.get_field(name).get_db_prep_save(value, connection)


def _store(links: list[ServiceLink]) -> None:
    """Write the RECORDED fields of the links in one statement (core.bulksql; bulk_update's
    CASE expressions cost more to build than the check itself)."""
    bulksql.update_from_rows(
        ServiceLink,
        {"link_id": "id"} | {f"new_{name}": name for name in RECORDED},
        [[link.pk, *(getattr(link, name) for name in RECORDED)] for link in links],
        key="id",
        assignments={name: f"v.new_{name}" for name in RECORDED},
    )


def record(links: list[ServiceLink], results: list[checker.Result], *, now, run: CheckRun) -> None:
    """Store a batch's outcomes in one transaction, then open the findings they call for."""
    by_id = {r.id: r for r in results}
    next_at = now + timedelta(hours=settings.SERVICELINK_CHECK_HOURS)
    to_open = []
    for link in links:
        result = by_id[link.pk]
        link.last_checked_at, link.last_outcome = now, result.outcome
        link.last_status, link.last_final_url = result.status, result.final_url
        link.last_detail, link.next_check_at, link.claimed_until = result.detail, next_at, None
        link.consecutive_failures = 0 if result.ok else link.consecutive_failures + 1
        run.checked += 1
        if result.ok:
            continue
        run.broken += 1
        if result.outcome not in checker.TRANSIENT or link.consecutive_failures >= 2:
            to_open.append((link, result))
    with transaction.atomic():
        _store(links)
        for link, result in to_open:
            try:
                with transaction.atomic():
                    if finding_open(link=link, outcome=result.outcome, detail=result.detail):
                        run.opened += 1
            except IntegrityError:  # another worker opened it first
                pass


def check_links_now(*, ids=None, now=None, timeout=None, concurrency=None, verify=True) -> CheckRun:
    """Check the due links (or the given ids), batch by batch, until none is left."""
    now = now or timezone.now()
    concurrency = concurrency or settings.SERVICELINK_CHECK_CONCURRENCY
    timeout = timeout or settings.SERVICELINK_CHECK_TIMEOUT
    run = CheckRun()
    while True:
        links = claim_due(now=now, ids=ids, limit=round_size(concurrency, timeout))
        if not links:
            return run
        results = checker.check_links(
            [checker.Target(link.pk, link.url) for link in links],
            concurrency=concurrency,
            timeout=timeout,
            verify=verify,
        )
        record(links, results, now=now, run=run)
        if ids is not None:
            return run


def round_size(concurrency: int, timeout: float) -> int:
    """How many links one round claims (see ROUND_MAX); at least a BATCH."""
    within_lease = int(LEASE.total_seconds() / 2 / timeout * concurrency)
    return max(BATCH, min(ROUND_MAX, within_lease))
