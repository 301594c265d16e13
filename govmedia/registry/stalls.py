"""No silent stall: a filing that waits longer than FILING_STALL_WORKDAYS working days at one
step (主管单位审核, or 区政府办公室备案) reminds whoever must act; waiting twice as long, it tells
the district office. Each reminder is sent once per step: claimed by a conditional UPDATE on the
filing (… WHERE step_reminded_at IS NULL AND state = the step) whose row count says which worker
won, and sent in the same transaction. Moving the filing on clears both flags.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from govmedia.notifications.models import NotificationKind
from govmedia.notifications.services import notification_send_each
from govmedia.workdays.calendar import current_calendar

from .models import Filing, FilingState
from .next_step import DISTRICT_OFFICE, district_office, next_step

WAITING = (FilingState.SUBMITTED, FilingState.SUPERVISOR_APPROVED)


@dataclass(frozen=True)
class StallResult:
    reminded: int
    escalated: int


def step_started(filing: Filing) -> date | None:
    """The local day the filing reached the step it waits at."""
    at = (
        filing.supervisor_reviewed_at
        if filing.state == FilingState.SUPERVISOR_APPROVED
        else filing.submitted_at
    )
    return timezone.localdate(at) if at else None


def waits_for_district(filing: Filing) -> bool:
    return filing.state == FilingState.SUPERVISOR_APPROVED or not filing.supervisor_id


def sweep_stalled_filings(today: date | None = None) -> str:
    result = sweep(today=today)
    return f"超时提醒 {result.reminded} 件，督办 {result.escalated} 件"


def sweep(*, today: date | None = None) -> StallResult:
    today = today or timezone.localdate()
    days = settings.FILING_STALL_WORKDAYS
    calendar = current_calendar()
    reminded = escalated = 0
    candidates = Filing.objects.filter(state__in=WAITING, step_escalated_at__isnull=True)
    for filing in candidates.only(
        "pk", "state", "supervisor", "submitted_at", "supervisor_reviewed_at", "step_reminded_at"
    ):
        started = step_started(filing)
        if started is None:
            continue
        try:
            remind_after = calendar.add_workdays(started, days).date
            escalate_after = calendar.add_workdays(started, 2 * days).date
        except (TypeError, ValueError):  # outside the calendar's years: nothing to count by
            continue
        if filing.step_reminded_at is None and today > remind_after:
            reminded += _remind(filing.pk, filing.state, started)
        elif filing.step_reminded_at is not None and today > escalate_after:
            escalated += _escalate(filing.pk, filing.state, started)
    return StallResult(reminded, escalated)


def _claim(pk: int, state: str, field: str, *, also: tuple[str, ...] = ()) -> Filing | None:
    """Take the step's reminder for this sweep, or None if another worker (or the filing moving
    on meanwhile) got there first."""
    now = timezone.now()
    won = Filing.objects.filter(pk=pk, state=state, **{f"{field}__isnull": True}).update(
        **{name: now for name in (field, *also)}
    )
    return Filing.objects.select_related("org", "supervisor").get(pk=pk) if won else None


def _message(filing: Filing, started: date, who: str) -> str:
    return (
        f"{filing.org.name}的{filing.get_kind_display()}备案“{filing.name}”自 "
        f"{started:%Y-%m-%d} 起{who}，已超过 {settings.FILING_STALL_WORKDAYS} 个工作日，请尽快办理"
    )


def _send(filing: Filing, kind: str, message: str, recipients) -> None:
    notification_send_each(
        recipients=recipients,
        kind=kind,
        message=message,
        link=reverse("registry:filing_detail", args=[filing.pk]),
        obj=filing,
    )


def _remind(pk: int, state: str, started: date) -> int:
    with transaction.atomic():
        filing = Filing.objects.get(pk=pk)
        # Where the district office itself must act, its reminder is the escalation too.
        also = ("step_escalated_at",) if waits_for_district(filing) else ()
        filing = _claim(pk, state, "step_reminded_at", also=also)
        if filing is None:
            return 0
        step = next_step(filing)
        _send(
            filing,
            NotificationKind.FILING_STALLED,
            _message(filing, started, step.text),
            [step.org],
        )
    return 1


def _escalate(pk: int, state: str, started: date) -> int:
    with transaction.atomic():
        filing = _claim(pk, state, "step_escalated_at")
        if filing is None:
            return 0
        step = next_step(filing)
        _send(
            filing,
            NotificationKind.FILING_STALLED,
            _message(filing, started, step.text)
            + f"（已提醒{step.org.name}，请{DISTRICT_OFFICE}督办）",
            [district_office()],
        )
    return 1
