"""Publishing's lines of the 工作台 to-do list (core.todo): the review steps in the user's
inbox (publishing.InboxEntry), each due by its step's deadline."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from govmedia.core.todo import DUE_SOON_WORKDAYS, TodoItem, TodoKind
from govmedia.workdays.calendar import current_calendar

from .models import InboxEntry

LIMIT = 50


def items(user, *, today: date) -> list[TodoItem]:
    horizon = current_calendar().add_workdays(today, DUE_SOON_WORKDAYS).date
    entries = (
        InboxEntry.objects.filter(user=user)
        .select_related("step__run__article__org")
        .order_by("due_at", "step_id")[:LIMIT]
    )
    lines = []
    for entry in entries:
        article = entry.step.run.article
        due = timezone.localdate(entry.due_at) if entry.due_at else None
        lines.append(
            TodoItem(
                kind=TodoKind.ACT,
                label=f"稿件审核（{entry.step.name or entry.step.get_stage_display()}）",
                title=article.title,
                link=reverse("publishing:review", args=[entry.step_id]),
                org_name=article.org.name,
                due_on=due,
                overdue=entry.due_at is not None and entry.due_at < timezone.now(),
                due_soon=due is not None and today <= due <= horizon,
                note="依据：通知第四部分（二）“分级审核、先审后发”",
                ref=f"publishing.reviewrunstep:{entry.step_id}",
            )
        )
    return lines
