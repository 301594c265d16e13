"""Background work of 协同转载, run by django-q2 (see schedules.py).

`sweep_repost_deadlines()` (every 5 minutes): each open task (待转载 or 已报送待核实) reminds its
unit once when its reminder time comes (before the deadline), and is flagged overdue once when
the deadline passes, telling the unit and the issuer. Each is claimed by a conditional
UPDATE … WHERE reminded_at IS NULL (overdue_at IS NULL) whose row count says which worker won,
so several workers on PostgreSQL never send a reminder twice. The notices of one sweep are
grouped per unit and campaign: a unit with three accounts owing one repost gets one reminder.
"""

from collections import defaultdict
from datetime import datetime
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from govmedia.notifications.models import NotificationKind
from govmedia.notifications.services import notification_send

from .models import OPEN_STATES, RepostTask
from .services.common import link, notify_unit


class SweepResult(NamedTuple):
    reminded: int
    overdue: int


def sweep_repost_deadlines(now: datetime | None = None) -> str:
    result = sweep(now=now)
    return f"转载提醒 {result.reminded} 个账号，逾期 {result.overdue} 个账号"


def sweep(*, now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    # Overdue first: a task already past its deadline is flagged, not reminded as well.
    late = RepostTask.objects.filter(
        state__in=OPEN_STATES, due_at__lte=now, overdue_at__isnull=True
    ).values_list("pk", flat=True)
    overdue = _claim_and_tell(list(late), "overdue_at", now, _tell_overdue)
    due_soon = RepostTask.objects.filter(
        state__in=OPEN_STATES,
        campaign__remind_at__lte=now,
        due_at__gt=now,
        reminded_at__isnull=True,
        overdue_at__isnull=True,
    ).values_list("pk", flat=True)
    reminded = _claim_and_tell(list(due_soon), "reminded_at", now, _tell_reminder)
    return SweepResult(reminded, overdue)


def _claim_and_tell(ids: list[int], column: str, now: datetime, tell) -> int:
    won = 0
    for start in range(0, len(ids), 200):
        with transaction.atomic():
            claimed = []
            for pk in ids[start : start + 200]:
                if RepostTask.objects.filter(
                    pk=pk, state__in=OPEN_STATES, **{f"{column}__isnull": True}
                ).update(**{column: now}):
                    claimed.append(pk)
            won += len(claimed)
            groups = defaultdict(list)
            rows = RepostTask.objects.filter(pk__in=claimed).select_related(
                "campaign__org", "campaign__issued_by__org", "org", "account"
            )
            for task in rows.order_by("campaign_id", "org_id", "account__name"):
                groups[(task.campaign_id, task.org_id)].append(task)
            for tasks in groups.values():
                tell(tasks)
    return won


def _names(tasks) -> str:
    names = "、".join(t.account.name for t in tasks[:3])
    return names + (f"等 {len(tasks)} 个账号" if len(tasks) > 3 else "")


def _tell_reminder(tasks) -> None:
    campaign = tasks[0].campaign
    due = timezone.localtime(campaign.due_at)
    notify_unit(
        tasks[0].org,
        kind=NotificationKind.REPOST_DUE_SOON,
        obj=campaign,
        url=link("coordination:campaign", campaign_id=campaign.pk),
        message=f"转载任务“{campaign.title[:60]}”将于 {due:%Y-%m-%d %H:%M} 到期，"
        f"{_names(tasks)}尚未转载",
    )


def _tell_overdue(tasks) -> None:
    campaign = tasks[0].campaign
    due = timezone.localtime(campaign.due_at)
    message = (
        f"转载任务“{campaign.title[:60]}”已于 {due:%Y-%m-%d %H:%M} 到期，"
        f"{tasks[0].org.name}的{_names(tasks)}仍未转载"
    )
    url = link("coordination:campaign", campaign_id=campaign.pk)
    told = notify_unit(
        tasks[0].org, kind=NotificationKind.REPOST_OVERDUE, obj=campaign, url=url, message=message
    )
    # The issuer hears of it too (the person who issued the task, in the district office or
    # the issuing unit).
    issuer = campaign.issued_by
    if issuer.is_active and issuer.org_id is not None and issuer not in told:
        notification_send(
            recipient_org=issuer.org,
            recipient_user=issuer,
            kind=NotificationKind.REPOST_OVERDUE,
            obj=campaign,
            link=url,
            message=message,
        )
