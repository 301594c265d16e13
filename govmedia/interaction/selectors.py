"""Reads of 留言互动: the inbox and its counts, a message's thread, and the interaction health
of accounts (`interaction_figures`, also read by assessment after the merge)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from .filters import MESSAGE_FILTERS
from .models import OPEN_STATES, Message, MessageClass
from .workhours import percentile


def inbox(user, params, *, now: datetime | None = None):
    """The messages the user may see that the parameters select (by default 待办), newest
    first; constant queries whatever the page."""
    now = now or timezone.now()
    params = dict(params.items()) if hasattr(params, "items") else dict(params)
    params.setdefault("view", "open")
    rows = MESSAGE_FILTERS.apply(Message.objects.restrict(user), params, user=user, now=now)
    return rows.select_related("org", "account__platform", "handler").order_by(
        "-received_at", "-id"
    )


def inbox_rows(user, ids: list[int]) -> list[Message]:
    """The messages of one inbox page (`ids` in the page's order) with what the list shows."""
    found = (
        Message.objects.restrict(user)
        .select_related("org", "account__platform", "handler")
        .in_bulk(ids)
    )
    return [found[pk] for pk in ids if pk in found]


COUNT_CAP = 999  # the tabs say "999+" beyond this


def inbox_counts(user, *, now: datetime | None = None) -> dict[str, int]:
    """How many messages wait: all open, mine, my unit's own, overdue — each counted up to
    COUNT_CAP + 1 (a tab shows "999+"), so the district office's tabs cost the same with forty
    thousand open messages as with forty: four index range scans that stop early."""
    now = now or timezone.now()
    open_rows = Message.objects.restrict(user).filter(state__in=OPEN_STATES).order_by()
    selections = {
        "open": open_rows,
        "mine": open_rows.filter(handler_id=user.pk),
        "unit": open_rows.filter(org_id=user.org_id),
        "overdue": open_rows.filter(due_at__lt=now),
    }
    # Only columns of the partial index of open messages (msg_open_counts) are read.
    return {
        name: rows.values("org_id")[: COUNT_CAP + 1].count() for name, rows in selections.items()
    }


def thread(message: Message, user) -> list[Message]:
    """The messages of the message's thread the user may see, oldest first."""
    root = message.thread_root_id or message.pk
    return list(
        Message.objects.restrict(user)
        .filter(Q(pk=root) | Q(thread_root_id=root))
        .order_by("received_at", "id")
    )


@dataclass(frozen=True)
class InteractionFigures:
    """One account's interaction in a period, response times in working hours.

    `received` counts the messages that arrived in the period (无需答复 left out: spam is not
    a question); `answered` those of them answered (by now), `answered_in_time` by their due
    time; `unanswered_overdue` those unanswered past their due time. `working_interaction` is
    False when messages arrived and none was answered (the 单项否决 risk "no working
    interaction"); median and p90 are None when nothing was answered."""

    received: int
    answered: int
    answered_in_time: int
    unanswered_overdue: int
    median_hours: float | None
    p90_hours: float | None
    working_interaction: bool

    @property
    def answered_rate(self) -> float | None:
        return round(100 * self.answered / self.received, 1) if self.received else None

    @property
    def in_time_rate(self) -> float | None:
        return round(100 * self.answered_in_time / self.received, 1) if self.received else None

    @property
    def risk(self) -> int:
        """Sort key, highest first: no working interaction, then overdue share."""
        if not self.received:
            return 0
        overdue = 100 * self.unanswered_overdue // self.received
        return (1000 if not self.working_interaction else 0) + overdue


EMPTY = InteractionFigures(0, 0, 0, 0, None, None, True)


def interaction_figures(
    *, account_ids, start: datetime, end: datetime, now: datetime | None = None
) -> dict[int, InteractionFigures]:
    """Per account id (every one asked for, EMPTY when nothing arrived): the figures of the
    messages received in [start, end). A message is counted by its receipt time, which a 转办
    never changes, so a transferred message's response time is the public's whole wait."""
    now = now or timezone.now()
    account_ids = list(account_ids)
    rows = (
        Message.objects.filter(
            account_id__in=account_ids, received_at__gte=start, received_at__lt=end
        )
        .exclude(message_class=MessageClass.NO_REPLY)
        .values_list("account_id", "answered_at", "due_at", "response_hours")
    )
    grouped = defaultdict(list)
    for row in rows.iterator(chunk_size=5000):
        grouped[row[0]].append(row[1:])
    figures = {}
    for account_id in account_ids:
        items = grouped.get(account_id)
        if not items:
            figures[account_id] = EMPTY
            continue
        answered = [(at, due, hours) for at, due, hours in items if at is not None]
        hours = [h for _, _, h in answered if h is not None]
        figures[account_id] = InteractionFigures(
            received=len(items),
            answered=len(answered),
            answered_in_time=sum(1 for at, due, _ in answered if at <= due),
            unanswered_overdue=sum(1 for at, due, _ in items if at is None and due < now),
            median_hours=percentile(hours, 0.5),
            p90_hours=percentile(hours, 0.9),
            working_interaction=bool(answered),
        )
    return figures
