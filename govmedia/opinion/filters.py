"""The filters of the case board (its page, export and API) and of the signals list: one
definition each."""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from govmedia.core.dates import parse_date
from govmedia.core.filtering import Filter, FilterSet, choice, integer, text
from govmedia.registry.filters import subtree_q

from .lifecycle import PRE_RESPONSE
from .models import CaseState, Level, Sentiment, SignalKind

# 剩余时间: how close the deadline is (only cases not yet answered run against it).
TIME_LEFT = {
    "overdue": "已超时",
    "6h": "6 小时内到期",
    "24h": "24 小时内到期",
}


def _day_start(value):
    return timezone.make_aware(datetime.combine(value, time.min))


def _time_left(value, context):
    now = context.get("now") or timezone.now()
    running = Q(state__in=PRE_RESPONSE)
    if value == "overdue":
        return running & Q(due_at__lte=now)
    hours = 6 if value == "6h" else 24
    return running & Q(due_at__gt=now, due_at__lte=now + timedelta(hours=hours))


def _state(value, context):
    if value == "open":
        return ~Q(state=CaseState.CLOSED)
    return Q(state=value)


CASE_FILTERS = FilterSet(
    Filter("q", text, lambda v, c: Q(title__icontains=v) | Q(summary__icontains=v)),
    Filter("state", choice([*CaseState.values, "open"]), _state),
    Filter("level", choice(Level.values), lambda v, c: Q(level=v)),
    Filter("org_id", integer, lambda v, c: subtree_q("org", v)),
    Filter("time_left", choice(list(TIME_LEFT)), _time_left),
    Filter("opened_from", parse_date, lambda v, c: Q(opened_at__gte=_day_start(v))),
    Filter(
        "opened_to", parse_date, lambda v, c: Q(opened_at__lt=_day_start(v + timedelta(days=1)))
    ),
)

ITEM_FILTERS = FilterSet(
    Filter("q", text, lambda v, c: Q(title__icontains=v) | Q(text__icontains=v)),
    Filter("kind", choice(SignalKind.values), lambda v, c: Q(kind=v)),
    Filter("sentiment", choice(Sentiment.values), lambda v, c: Q(sentiment=v)),
    Filter("org_id", integer, lambda v, c: subtree_q("org", v)),
    Filter("case_id", integer, lambda v, c: Q(case_id=v)),
)
