"""Checking the service links: claim the links that are due (a conditional UPDATE of their
lease, so two workers never check one link at once), check them with bounded concurrency
(checker.py), store each outcome, and open a finding (功能无法使用) for a link that is broken —
at once when the page itself says it is gone, after a second failed check when the failure may
pass by itself (a timeout, a refused connection, a server error).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from . import checker
from .models import ServiceLink
from .services import finding_open

BATCH = 500
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
    claimed = []
    for pk in chosen:
        won = (
            ServiceLink.objects.filter(pk=pk)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .update(claimed_until=now + LEASE)
        )
        if won:
            claimed.append(pk)
    return list(ServiceLink.objects.filter(pk__in=claimed).select_related("account__host_org"))


def record(links: list[ServiceLink], results: list[checker.Result], *, now, run: CheckRun) -> None:
    by_id = {r.id: r for r in results}
    next_at = now + timedelta(hours=settings.SERVICELINK_CHECK_HOURS)
    for link in links:
        result = by_id[link.pk]
        failures = 0 if result.ok else link.consecutive_failures + 1
        with transaction.atomic():
            ServiceLink.objects.filter(pk=link.pk).update(
                last_checked_at=now,
                last_outcome=result.outcome,
                last_status=result.status,
                last_final_url=result.final_url,
                last_detail=result.detail,
                consecutive_failures=failures,
                next_check_at=next_at,
                claimed_until=None,
            )
            run.checked += 1
            if result.ok:
                continue
            run.broken += 1
            if result.outcome in checker.TRANSIENT and failures < 2:
                continue
            try:
                with transaction.atomic():
                    if finding_open(link=link, outcome=result.outcome, detail=result.detail):
                        run.opened += 1
            except IntegrityError:  # another worker opened it first
                pass


def check_links_now(*, ids=None, now=None, timeout=None, concurrency=None, verify=True) -> CheckRun:
    """Check the due links (or the given ids), batch by batch, until none is left."""
    now = now or timezone.now()
    run = CheckRun()
    while True:
        links = claim_due(now=now, ids=ids)
        if not links:
            return run
        results = checker.check_links(
            [checker.Target(link.pk, link.url) for link in links],
            concurrency=concurrency or settings.SERVICELINK_CHECK_CONCURRENCY,
            timeout=timeout or settings.SERVICELINK_CHECK_TIMEOUT,
            verify=verify,
        )
        record(links, results, now=now, run=run)
        if ids is not None:
            return run
