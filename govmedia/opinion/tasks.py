"""The sweep of overdue cases (django-q2, every 5 minutes; schedules.py).

A case not yet answered (回应) past its deadline is escalated once to each of: the unit (its
administrators), at the deadline; the district office (platform administrators)
OPINION_ESCALATE_AFTER_HOURS later; 网信 (监督 users) twice as late (timers.escalation_steps).
Each step is claimed with a conditional UPDATE on its own timestamp (… WHERE escalated_x_at IS
NULL): the row count decides which worker sends, so two workers never notify twice, and the
notification is sent inside the claiming transaction.
"""

from django.db import transaction
from django.utils import timezone

from govmedia.audit.services import audit_record
from govmedia.core.roles import Role
from govmedia.notifications.models import NotificationKind

from . import timers
from .lifecycle import PRE_RESPONSE
from .models import EventKind, OpinionCase
from .services.common import notify_oversight, notify_role, notify_unit, record

STEPS = (
    ("escalated_unit_at", "责任单位"),
    ("escalated_district_at", "区政府办公室"),
    ("escalated_oversight_at", "网信部门"),
)


def _notify(field: str, case: OpinionCase, message: str) -> None:
    if field == "escalated_unit_at":
        notify_unit(case.org, kind=NotificationKind.OPINION_OVERDUE, case=case, message=message)
    elif field == "escalated_district_at":
        notify_role(
            Role.PLATFORM_ADMIN, kind=NotificationKind.OPINION_ESCALATED, case=case, message=message
        )
    else:
        notify_oversight(kind=NotificationKind.OPINION_ESCALATED, case=case, message=message)


def sweep_opinion_deadlines(now=None) -> int:
    now = now or timezone.now()
    sent = 0
    for (field, who), after in zip(STEPS, timers.escalation_steps(), strict=True):
        due = OpinionCase.objects.filter(
            state__in=PRE_RESPONSE,
            merged_into__isnull=True,
            due_at__lte=now - after,
            **{f"{field}__isnull": True},
        ).values_list("pk", flat=True)
        for pk in list(due):
            with transaction.atomic():
                claimed = OpinionCase.objects.filter(
                    pk=pk, state__in=PRE_RESPONSE, **{f"{field}__isnull": True}
                ).update(**{field: now})
                if not claimed:
                    continue  # another worker, or answered meanwhile
                case = OpinionCase.objects.select_related("org").get(pk=pk)
                late = now - case.due_at
                hours = int(late.total_seconds() // 3600)
                message = (
                    f"舆情超时未回应（{case.get_level_display()}，已超 {hours} 小时）：{case.title}"
                    f"，责任单位 {case.org.name}"
                )
                _notify(field, case, message)
                record(case, EventKind.ESCALATE, at=now, note=f"超时督办：{who}", step=field)
                audit_record(
                    actor=None,
                    action="opinion.escalate",
                    obj=case,
                    org=case.org,
                    after={"step": field},
                )
                sent += 1
    return sent


def make_scheduled_briefs(now=None) -> int:
    """舆情简报 by the schedule (schedules.py, daily at 08:00): see services.briefs."""
    from .services.briefs import scheduled_briefs

    return len(scheduled_briefs(now))
