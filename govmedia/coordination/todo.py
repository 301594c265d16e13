"""协同转载's lines of the 工作台 to-do list (core.todo): the open repost tasks of the user's
accounts (the target unit's staff), and, for the district office, tasks past their deadline."""

from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone

from govmedia.core.scope import may, sees_whole_district
from govmedia.core.todo import DUE_SOON_WORKDAYS, TodoItem, TodoKind
from govmedia.workdays.calendar import current_calendar

from .models import OPEN_STATES, RepostTask

LIMIT = 50
BASIS = "依据：通知第二部分（三）“整体联动、集体发声”"


def _line(kind, task: RepostTask, label: str, today: date, horizon: date) -> TodoItem:
    due = timezone.localdate(task.due_at)
    return TodoItem(
        kind=kind,
        label=label,
        title=f"“{task.account.name}”转载：{task.campaign.title}",
        link=reverse("coordination:campaign", args=[task.campaign_id]),
        org_name=task.org.name,
        due_on=due,
        overdue=due < today,  # by date, as the day's list is read (today is given)
        due_soon=today <= due <= horizon,
        note=BASIS,
        ref=f"coordination.reposttask:{task.pk}",
    )


def items(user, *, today: date) -> list[TodoItem]:
    horizon = current_calendar().add_workdays(today, DUE_SOON_WORKDAYS).date
    scoped = (
        RepostTask.objects.restrict(user)
        .filter(state__in=OPEN_STATES)
        .select_related("org", "account", "campaign")
        .order_by("due_at", "pk")
    )
    if sees_whole_district(user):
        late = scoped.filter(due_at__lt=timezone.make_aware(datetime.combine(today, time.min)))
        late = late[:LIMIT]
        return [_line(TodoKind.WATCH, t, "督促转载", today, horizon) for t in late]
    if not may(user, "coordination.complete"):
        return []
    return [_line(TodoKind.ACT, t, "转载", today, horizon) for t in scoped[:LIMIT]]
