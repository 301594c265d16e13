"""催办: a person reminds the target units of open repost tasks (beside the sweep's automatic
reminder before the deadline and its overdue notice, tasks.py).

Who: the issuer (the campaign's unit or above it), and a 行业主管部门 for the tasks of the
企事业单位 it guides (RepostTask.objects.restrict(user, "remind")). Each task is reminded at most
once a working day — claimed by a conditional UPDATE … WHERE urged_on IS DISTINCT FROM that
day, whose row count says who won, so a double click or two issuers at once send one — and each
reminder is one notification per person of the target unit (its nearest administrators), audited.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from govmedia.audit.services import Entry, audit_record_many
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.scope import may
from govmedia.notifications.models import NotificationKind
from govmedia.workdays.calendar import current_calendar

from ..models import OPEN_STATES, RepostTask
from .common import link, notify_unit

MAX_TASKS = 2000


@dataclass(frozen=True)
class RemindResult:
    reminded: list[int]  # the tasks reminded now
    skipped: list[int]  # open tasks already reminded this working day


def urging_day(today: date) -> date:
    """The working day a reminder counts for: today, or the next working day on a holiday."""
    calendar = current_calendar()
    return today if calendar.is_workday(today) else calendar.add_workdays(today, 1).date


def repost_tasks_remind(
    *, actor, campaign_id: int, task_ids=None, now: datetime | None = None
) -> RemindResult:
    """Remind the open tasks of the campaign the actor may remind (all, or those named)."""
    if not may(actor, "coordination.remind"):
        raise Forbidden("您无权催办转载任务")
    now = now or timezone.now()
    day = urging_day(timezone.localdate(now))
    with transaction.atomic():
        mine = RepostTask.objects.restrict(actor, "remind").filter(campaign_id=campaign_id)
        if not mine.exists():
            raise Forbidden(
                "只有下达转载任务的单位（或承办企事业单位的行业主管部门）可以催办",
                field="task_ids",
            )
        tasks = mine.filter(state__in=OPEN_STATES)
        if task_ids is not None:
            try:
                wanted = {int(pk) for pk in task_ids}
            except (TypeError, ValueError):
                raise ServiceError("请选择要催办的账号", field="task_ids") from None
            tasks = tasks.filter(pk__in=wanted)
        ids = list(tasks.order_by("pk").values_list("pk", flat=True)[: MAX_TASKS + 1])
        if len(ids) > MAX_TASKS:
            raise ServiceError(f"一次最多催办 {MAX_TASKS} 个账号", field="task_ids")
        if not ids:
            raise ServiceError("没有可催办的未完成转载任务", field="task_ids")
        won = [
            pk
            for pk in ids
            if RepostTask.objects.filter(pk=pk, state__in=OPEN_STATES)
            .filter(Q(urged_on__isnull=True) | ~Q(urged_on=day))
            .update(urged_on=day)
        ]
        rows = (
            RepostTask.objects.filter(pk__in=won)
            .select_related("campaign", "org", "account")
            .order_by("pk")
        )
        entries = []
        for task in rows:
            due = timezone.localtime(task.due_at)
            state = "已逾期" if task.due_at <= now else f"将于 {due:%Y-%m-%d %H:%M} 到期"
            told = notify_unit(
                task.org,
                kind=NotificationKind.REPOST_REMINDED,
                obj=task.campaign,
                url=link("coordination:campaign", campaign_id=task.campaign_id),
                message=f"【催办】{actor.org.name if actor.org_id else ''}催办："
                f"{task.account.name}的转载任务“{task.campaign.title[:60]}”{state}，请尽快转载",
            )
            entries.append(
                Entry(
                    obj=task,
                    org=task.org,
                    after={"urged_on": day.isoformat(), "recipients": [u.pk for u in told]},
                )
            )
        if entries:
            audit_record_many(actor=actor, action="repost_task.remind", entries=entries)
    return RemindResult(won, [pk for pk in ids if pk not in set(won)])
