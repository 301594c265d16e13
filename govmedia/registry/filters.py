"""The filters of the account list and the filing list: one definition each, used by the page,
its Excel export and /api/v1/accounts, /api/v1/filings, so one search finds the same rows in all
three."""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from govmedia.core.filtering import Filter, FilterSet, choice, flag, integer, q_any, text
from govmedia.core.scope import may, org_subtree_q
from govmedia.orgs.models import Organization

from .lifecycle import is_designated
from .models import AccountStatus, FilingKind, FilingState

# States in which the filing is with the unit, so its deadline still runs.
PENDING_STATES = (FilingState.DRAFT, FilingState.RETURNED)
DUE_SOON_WORKDAYS = 2


def overdue_q(today: date | None = None) -> Q:
    """Overdue: still with the unit (草稿 or 退回) after the deadline, as on the filing list."""
    return Q(state__in=PENDING_STATES, due_on__lt=today or timezone.localdate())


def due_soon_q(today: date) -> Q:
    from govmedia.workdays.calendar import current_calendar

    limit = current_calendar().add_workdays(today, DUE_SOON_WORKDAYS).date
    return Q(state__in=PENDING_STATES, due_on__gte=today, due_on__lte=limit)


def unnumbered_q() -> Q:
    return Q(filing_no__isnull=True) | Q(filing_no="")


def subtree_q(org_field: str, org_id: int) -> Q:
    """Rows of the org and everything under it; an unknown id selects nothing."""
    path = Organization.objects.filter(pk=org_id).values_list("path", flat=True).first()
    if path is None:
        return Q(pk__in=[])
    return Q(**{f"{org_field}__path__startswith": path})


def todo_q(user) -> Q:
    """我的待办: what waits for this user's hand."""
    nothing = Q(pk__in=[])
    if not user.is_authenticated:
        return nothing
    if may(user, "filings.approve"):
        # The district office: submitted filings with no supervisor, or co-signed ones.
        return Q(state=FilingState.SUPERVISOR_APPROVED) | Q(
            state=FilingState.SUBMITTED, supervisor__isnull=True
        )
    todo = nothing
    if (may(user, "filings.supervise") or is_designated(user)) and user.org_id:
        todo |= Q(state=FilingState.SUBMITTED, supervisor__path__startswith=user.org.path) & ~Q(
            submitted_by=user
        )
    if may(user, "filings.change"):
        todo |= Q(state__in=PENDING_STATES) & org_subtree_q(user, "org")
    return todo


def _today(context) -> date:
    return context.get("today") or timezone.localdate()


ACCOUNT_SEARCH = ("name", "handle", "filing_no", "registrant")

ACCOUNT_FILTERS = FilterSet(
    Filter("q", text, lambda v, c: q_any(ACCOUNT_SEARCH, v)),
    Filter("platform", integer, lambda v, c: Q(platform_id=v)),
    Filter("status", choice(AccountStatus.values), lambda v, c: Q(status=v)),
    # The page's box takes a unit's name; API clients pass its id (with its subtree).
    Filter("org", text, lambda v, c: Q(host_org__name__icontains=v)),
    Filter("host_org_id", integer, lambda v, c: subtree_q("host_org", v)),
    Filter("verified", flag, lambda v, c: Q(verified=v)),
    Filter("government_site", flag, lambda v, c: Q(is_government_site=v)),
    Filter("numbered", flag, lambda v, c: ~unnumbered_q() if v else unnumbered_q()),
)


def _todo(value: bool, context) -> Q:
    return todo_q(context["user"]) if value else Q()


def _deadline(value: str, context) -> Q:
    return overdue_q(_today(context)) if value == "overdue" else due_soon_q(_today(context))


def _overdue(value: bool, context) -> Q:
    return overdue_q(_today(context)) if value else ~overdue_q(_today(context))


FILING_SEARCH = ("name", "handle", "filing_no", "account__filing_no")

FILING_FILTERS = FilterSet(
    Filter("todo", flag, _todo),
    Filter("q", text, lambda v, c: q_any(FILING_SEARCH, v)),
    Filter("state", choice(FilingState.values), lambda v, c: Q(state=v)),
    Filter("kind", choice(FilingKind.values), lambda v, c: Q(kind=v)),
    Filter("org", text, lambda v, c: Q(org__name__icontains=v)),
    Filter("org_id", integer, lambda v, c: subtree_q("org", v)),
    Filter("deadline", choice(("overdue", "due_soon")), _deadline),
    Filter("overdue", flag, _overdue),
)
