"""The inbox's filters (page, Excel export and API): one definition."""

from datetime import datetime, time, timedelta

from django.db.models import Q, Value
from django.db.models.functions import StrIndex, Upper
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from govmedia.core.dates import parse_date
from govmedia.core.filtering import Filter, FilterSet, choice, integer, text
from govmedia.registry.filters import subtree_q

from .models import OPEN_STATES, MessageClass, MessageState, Source

VIEWS = {
    "open": "待办",
    "mine": "我的",
    "unit": "本单位",
    "overdue": "已超期",
    "all": "全部",
}


# PostgreSQL finds a search term in the messages through a pg_trgm index (migration 0004),
# which looks up the term's three-character pieces. A term of one or two characters (供暖,
# 医保: the usual Chinese keyword) has none, and a rare one would read every message; such a
# term looks through the newest SHORT_TERM_ROWS messages of the other filters only (the page
# says so), unless the user gives a 收到自 date.
SHORT_TERM = 3
SHORT_TERM_ROWS = 20_000


def is_short_search(params) -> bool:
    values = MESSAGE_FILTERS.values(params)
    return 0 < len(values.get("q", "")) < SHORT_TERM and "received_from" not in values


def _search(term: str) -> Q:
    if len(term) >= SHORT_TERM:
        return Q(text__icontains=term)
    # Not as LIKE, which PostgreSQL would answer by reading the whole trigram index (a term
    # it holds no trigram of) rather than the recent messages: the same match as a position,
    # and without UPPER over every row when the term has no letters that have a case.
    if term.upper() == term.lower():
        return Q(GreaterThan(StrIndex("text", Value(term)), 0))
    return Q(GreaterThan(StrIndex(Upper("text"), Value(term.upper())), 0))


def _day_start(value):
    return timezone.make_aware(datetime.combine(value, time.min))


def _view(value, context) -> Q:
    user, now = context["user"], context["now"]
    if value == "mine":
        return Q(handler_id=user.pk, state__in=OPEN_STATES)
    if value == "unit":
        return Q(org_id=user.org_id, state__in=OPEN_STATES)
    if value == "overdue":
        return Q(state__in=OPEN_STATES, due_at__lt=now)
    if value == "open":
        return Q(state__in=OPEN_STATES)
    return Q()


MESSAGE_FILTERS = FilterSet(
    Filter("view", choice(VIEWS), _view),
    Filter("state", choice(MessageState.values), lambda v, c: Q(state=v)),
    Filter("message_class", choice(MessageClass.values), lambda v, c: Q(message_class=v)),
    Filter("source", choice(Source.values), lambda v, c: Q(source=v)),
    Filter("account_id", integer, lambda v, c: Q(account_id=v)),
    Filter("org_id", integer, lambda v, c: subtree_q("org", v)),
    Filter("q", text, lambda v, c: _search(v[:100])),
    Filter("received_from", parse_date, lambda v, c: Q(received_at__gte=_day_start(v))),
    Filter(
        "received_to",
        parse_date,
        lambda v, c: Q(received_at__lt=_day_start(v + timedelta(days=1))),
    ),
)
