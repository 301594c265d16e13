"""The filters of the completion matrix (and of its export and API), of the task list and of
the publishing requests: one definition each, used by the page, the export and the API."""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from govmedia.core.dates import parse_date
from govmedia.core.filtering import Filter, FilterSet, choice, integer, text
from govmedia.registry.filters import subtree_q

from .models import Outcome, Priority, RequestState


def _day_start(value):
    return timezone.make_aware(datetime.combine(value, time.min))


# On the tasks (RepostTask.objects.with_outcome()): the matrix's cells and the export's rows.
TASK_FILTERS = FilterSet(
    Filter("org_id", integer, lambda v, c: subtree_q("org", v)),
    Filter("platform", text, lambda v, c: Q(account__platform__code=v)),
    Filter("campaign_id", integer, lambda v, c: Q(campaign_id=v)),
    Filter("outcome", choice(Outcome.values), lambda v, c: Q(standing=v)),
    Filter("priority", choice(Priority.values), lambda v, c: Q(campaign__priority=v)),
    Filter("issued_from", parse_date, lambda v, c: Q(campaign__issued_at__gte=_day_start(v))),
    Filter(
        "issued_to",
        parse_date,
        lambda v, c: Q(campaign__issued_at__lt=_day_start(v + timedelta(days=1))),
    ),
)

# On the campaigns: the matrix's columns and the list of tasks.
CAMPAIGN_FILTERS = FilterSet(
    Filter("q", text, lambda v, c: Q(title__icontains=v) | Q(source_title__icontains=v)),
    Filter("campaign_id", integer, lambda v, c: Q(pk=v)),
    Filter("priority", choice(Priority.values), lambda v, c: Q(priority=v)),
    Filter("issued_from", parse_date, lambda v, c: Q(issued_at__gte=_day_start(v))),
    Filter(
        "issued_to", parse_date, lambda v, c: Q(issued_at__lt=_day_start(v + timedelta(days=1)))
    ),
)

# On the publishing requests (发布申请): their list page and API.
REQUEST_FILTERS = FilterSet(
    Filter("q", text, lambda v, c: Q(title__icontains=v)),
    Filter("state", choice(RequestState.values), lambda v, c: Q(state=v)),
    Filter("org_id", integer, lambda v, c: subtree_q("org", v)),
    Filter("requested_from", parse_date, lambda v, c: Q(requested_at__gte=_day_start(v))),
    Filter(
        "requested_to",
        parse_date,
        lambda v, c: Q(requested_at__lt=_day_start(v + timedelta(days=1))),
    ),
)
