"""留言互动's lines of the 工作台 to-do list (core.todo): messages to answer (their handler), to
assign (the unit administrators), and, for the district office, messages past their limit."""

from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone

from govmedia.core.scope import may, sees_whole_district
from govmedia.core.todo import DUE_SOON_WORKDAYS, TodoItem, TodoKind
from govmedia.workdays.calendar import current_calendar

from .models import Message, MessageState

LIMIT = 50
BASIS = "依据：通知第三部分（二）“疑问疑惑限时解答”"


def _line(kind, message: Message, label: str, today: date, horizon: date) -> TodoItem:
    due = timezone.localdate(message.due_at)
    return TodoItem(
        kind=kind,
        label=label,
        title=f"“{message.account.name if message.account else message.get_source_display()}”"
        f"的留言：{message.text[:40]}",
        link=reverse("interaction:message", args=[message.pk]),
        org_name=message.org.name,
        due_on=due,
        overdue=due < today,  # by date, as the day's list is read (today is given)
        due_soon=today <= due <= horizon,
        note=BASIS,
        ref=f"interaction.message:{message.pk}",
    )


def items(user, *, today: date) -> list[TodoItem]:
    if not may(user, "interaction.view"):
        return []
    horizon = current_calendar().add_workdays(today, DUE_SOON_WORKDAYS).date
    scoped = Message.objects.restrict(user).select_related("org", "account")
    lines = [
        _line(TodoKind.ACT, m, "答复留言", today, horizon)
        for m in scoped.filter(handler=user, state=MessageState.HANDLING).order_by("due_at")[:LIMIT]
    ]
    if may(user, "interaction.assign") and not sees_whole_district(user):
        lines += [
            _line(TodoKind.ACT, m, "分办留言", today, horizon)
            for m in scoped.filter(state=MessageState.NEW).order_by("due_at")[:LIMIT]
        ]
    if sees_whole_district(user):
        late = scoped.filter(
            state__in=(MessageState.NEW, MessageState.HANDLING, MessageState.REVIEWING),
            due_at__lt=timezone.make_aware(datetime.combine(today, time.min)),
        )
        lines += [
            _line(TodoKind.WATCH, m, "督促答复", today, horizon)
            for m in late.order_by("due_at")[:LIMIT]
        ]
    return lines
