"""Which accounts are due, and taking them so that no two workers pull one account at once.

A claim is a short transaction: on PostgreSQL `SELECT … FOR UPDATE SKIP LOCKED` gives each worker
rows no other claimer holds, and the UPDATE in the same transaction sets a lease
(claimed_until), so the row stays taken after the lock is gone. On SQLite the IMMEDIATE
transaction takes the write lock at BEGIN and claimers queue, so the same code is safe there.
A worker that dies mid-pull loses its accounts when their lease runs out.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from govmedia.core import bulksql
from govmedia.registry.models import AccountStatus, MediaAccount

from . import tallies
from .clients import supported_codes
from .models import PullState

LEASE = timedelta(minutes=10)


def pulled_accounts():
    """The accounts that are pulled: running, on a platform that has a client."""
    return MediaAccount.objects.filter(
        status=AccountStatus.RUNNING, platform__code__in=supported_codes()
    )


def ensure_states(*, now: datetime | None = None) -> int:
    """A PullState for every pulled account that has none yet (due at once)."""
    now = now or timezone.now()
    missing = pulled_accounts().filter(pull_state__isnull=True).values_list("pk", flat=True)
    states = [PullState(account_id=pk, next_due_at=now) for pk in missing]
    if not states:
        return 0
    # Every column as the model's defaults give it, in one statement per 5,000 (bulk_create
    # compiles each value: the first round of 10,000 accounts spent seconds there).
    fields = PullState._meta.concrete_fields
    rows = [tuple(getattr(state, f.attname) for f in fields) for state in states]
    with transaction.atomic():
        bulksql.insert(
            PullState, [f.name for f in fields], rows, conflict=" ON CONFLICT DO NOTHING"
        )
        tallies.retally(state.account_id for state in states)  # the report's level counts
    return len(states)


def _due(now: datetime):
    return PullState.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        next_due_at__lte=now,
        account__in=pulled_accounts(),
    )


def claim_due(*, worker: str, limit: int, now: datetime | None = None) -> list[int]:
    """Take up to `limit` due accounts for `worker`; their ids, most overdue first."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            _due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("next_due_at", "account_id")
            .values_list("account_id", flat=True)[:limit]
        )
        if ids:
            PullState.objects.filter(account_id__in=ids).update(
                claimed_by=worker[:100], claimed_until=now + LEASE
            )
    return ids
