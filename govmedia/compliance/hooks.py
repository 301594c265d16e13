"""Keep the stored findings current after a registry change, without touching its service.

A registry service calls `refresh_after_commit(...)` inside its transaction; the refresh runs
once the change has committed (never on a rolled-back one), as a django-q task so the user's
request does not wait for it — or inline when Q_CLUSTER["sync"] is set (tests, single process).
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

TASK = "govmedia.compliance.tasks.refresh"


def refresh_after_commit(account_ids: Iterable[int] | None) -> None:
    """Recompute the findings of these accounts' organizations (None: everything)."""
    ids = None if account_ids is None else sorted({int(i) for i in account_ids})
    if ids == []:
        return
    transaction.on_commit(lambda: _dispatch(account_ids=ids))


def refresh_orgs_after_commit(org_ids: Iterable[int]) -> None:
    """Recompute the findings of these organizations (abolished, merged, retyped)."""
    ids = sorted({int(i) for i in org_ids})
    if ids:
        transaction.on_commit(lambda: _dispatch(org_ids=ids))


def refresh_filing_after_commit(filing) -> None:
    """After a filing is created, submitted, returned or filed: its account and its unit (a 开设
    filing has no account until it is filed, and its deadline findings belong to the unit)."""
    account_ids = [filing.account_id] if filing.account_id else []
    transaction.on_commit(lambda: _dispatch(account_ids=account_ids, org_ids=[filing.org_id]))


def _dispatch(**scope) -> None:
    if settings.Q_CLUSTER.get("sync"):
        from .tasks import refresh

        refresh(**scope)
        return
    from django_q.tasks import async_task

    async_task(TASK, q_options={"task_name": "合规检查（变更后）", "group": "compliance"}, **scope)
