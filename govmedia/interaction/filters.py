"""The inbox's filters (page, Excel export and API): one definition."""

from datetime import datetime, time, timedelta

from django.db.models import F, Lookup, Q
from django.db.models.lookups import IContains
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


class ContainsTerm(Lookup):
    """The text contains the term, letters in any case. On PostgreSQL through the index of
    migration 0004 (the term's character pairs, or its one character, are among the text's)
    and then the term's position, so 供…暖 is not 供暖; elsewhere (SQLite) by reading the rows."""

    lookup_name = "contains_term"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        return IContains(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        text_sql, text_params = compiler.compile(self.lhs)
        # The same expression as the index's, or the planner would not use it.
        sql = (
            f"(interaction_text_grams({text_sql}) @> interaction_term_grams(%s)"
            f" AND STRPOS(UPPER({text_sql}), UPPER(%s)) > 0)"
        )
        return sql, (*text_params, self.rhs, *text_params, self.rhs)


def _search(term: str) -> Q:
    return Q(ContainsTerm(F("text"), term))


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
