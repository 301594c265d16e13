"""The query filters of /api/v1/accounts and /api/v1/filings (by id, as an API client knows
them; the pages filter by what a person types, in registry.selectors)."""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from govmedia.orgs.models import Organization

from .selectors import PENDING_STATES


def overdue_q(today: date | None = None) -> Q:
    """Overdue: still with the unit (草稿 or 退回) after the deadline, as on the filing list."""
    return Q(state__in=PENDING_STATES, due_on__lt=today or timezone.localdate())


def _subtree_q(org_field: str, org_id: int) -> Q:
    """Rows of the org and everything under it; an unknown id selects nothing."""
    path = Organization.objects.filter(pk=org_id).values_list("path", flat=True).first()
    if path is None:
        return Q(pk__in=[])
    return Q(**{f"{org_field}__path__startswith": path})


def filter_accounts(
    queryset,
    *,
    platform: int | None = None,
    status: str | None = None,
    host_org_id: int | None = None,
    verified: bool | None = None,
    q: str = "",
):
    """Filter an already restricted MediaAccount queryset."""
    if platform:
        queryset = queryset.filter(platform_id=platform)
    if status:
        queryset = queryset.filter(status=status)
    if host_org_id:
        queryset = queryset.filter(_subtree_q("host_org", host_org_id))
    if verified is not None:
        queryset = queryset.filter(verified=verified)
    if q := (q or "").strip():
        queryset = queryset.filter(
            Q(name__icontains=q)
            | Q(handle__icontains=q)
            | Q(filing_no__icontains=q)
            | Q(registrant__icontains=q)
        )
    return queryset


def filter_filings(
    queryset,
    *,
    state: str | None = None,
    kind: str | None = None,
    org_id: int | None = None,
    overdue: bool | None = None,
    q: str = "",
):
    """Filter an already restricted Filing queryset."""
    if state:
        queryset = queryset.filter(state=state)
    if kind:
        queryset = queryset.filter(kind=kind)
    if org_id:
        queryset = queryset.filter(_subtree_q("org", org_id))
    if overdue is True:
        queryset = queryset.filter(overdue_q())
    elif overdue is False:
        queryset = queryset.exclude(overdue_q())
    if q := (q or "").strip():
        queryset = queryset.filter(
            Q(name__icontains=q) | Q(handle__icontains=q) | Q(filing_no__icontains=q)
        )
    return queryset
