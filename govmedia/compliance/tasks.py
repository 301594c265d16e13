"""Background work of the compliance domain, run by django-q2 (see schedules.py).

sweep_filing_deadlines claims each filing with a conditional UPDATE (… WHERE reminded_at IS NULL)
whose row count says who won, and sends the notification in the same transaction: however many
workers sweep at once, each filing is reminded once and flagged overdue once.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from govmedia.notifications.models import NotificationKind
from govmedia.notifications.services import notification_send
from govmedia.orgs.models import Organization
from govmedia.registry.models import Filing, FilingState
from govmedia.workdays.calendar import current_calendar

from . import rules, services

REMIND_WITHIN_WORKDAYS = 2
NOT_SUBMITTED = (FilingState.DRAFT, FilingState.RETURNED)


def refresh(account_ids=None, org_ids=None) -> str:
    result = services.compliance_refresh(account_ids=account_ids, org_ids=org_ids)
    return f"新发现 {result.opened} 条，消除 {result.resolved} 条"


FULL_BUDGET_SECONDS = 480  # within the task timeout (Q_CLUSTER["timeout"], 600 s)


def refresh_all() -> str:
    """Daily: deadlines pass with the date alone, with no change to trigger a refresh. In chunks
    (services._full_refresh); a run that reaches its budget queues the next, which resumes."""
    result = services.compliance_refresh(budget_seconds=FULL_BUDGET_SECONDS)
    summary = f"新发现 {result.opened} 条，消除 {result.resolved} 条（{result.chunks} 批）"
    if not result.complete:
        from django_q.tasks import async_task

        async_task(
            "govmedia.compliance.tasks.refresh_all",
            q_options={"task_name": "合规检查（续）", "group": "compliance"},
        )
        summary += "，未完成的部分已排队继续"
    return summary


@dataclass(frozen=True)
class SweepResult:
    reminded: int
    flagged: int


def _filing_link(filing: Filing) -> str:
    try:
        return reverse("registry:filing_detail", kwargs={"filing_id": filing.pk})
    except NoReverseMatch:  # the registry pages are not mounted (a trimmed deployment)
        return f"{reverse('compliance:findings')}?org={filing.org_id}"


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def sweep_filing_deadlines(today: date | None = None) -> str:
    result = sweep(today=today)
    return f"到期提醒 {result.reminded} 件，逾期通报 {result.flagged} 件"


def sweep(*, today: date | None = None) -> SweepResult:
    today = today or timezone.localdate()
    horizon = current_calendar().add_workdays(today, REMIND_WITHIN_WORKDAYS).date
    due_soon = Filing.objects.filter(
        state__in=NOT_SUBMITTED, reminded_at__isnull=True, due_on__gte=today, due_on__lte=horizon
    ).values_list("pk", flat=True)
    reminded = sum(_remind(pk) for pk in list(due_soon))
    # Not submitted by its deadline: never submitted, or (returned) last submitted after it.
    overdue = Filing.objects.filter(
        state__in=NOT_SUBMITTED, overdue_flagged_at__isnull=True, due_on__lt=today
    ).values_list("pk", "due_on", "submitted_at")
    flagged_orgs = [
        org_id
        for pk, due_on, submitted_at in list(overdue)
        if submitted_at is None or submitted_at > _end_of(due_on)
        if (org_id := _flag_overdue(pk)) is not None
    ]
    if flagged_orgs:  # show them on the compliance page now, not at the nightly check
        services.compliance_refresh(org_ids=flagged_orgs, today=today)
    flagged = len(flagged_orgs)
    return SweepResult(reminded, flagged)


def _claim(pk: int, field: str) -> Filing | None:
    """Take the filing for this sweep, or None if another worker (or an earlier run) has."""
    won = Filing.objects.filter(Q(pk=pk), Q(**{f"{field}__isnull": True})).update(
        **{field: timezone.now()}
    )
    return Filing.objects.select_related("org").get(pk=pk) if won else None


def _remind(pk: int) -> int:
    with transaction.atomic():
        filing = _claim(pk, "reminded_at")
        if filing is None:
            return 0
        kind = rules.KIND_LABELS.get(filing.kind, filing.kind)
        notification_send(
            recipient_org=filing.org,
            kind=NotificationKind.FILING_DUE_SOON,
            obj=filing,
            link=_filing_link(filing),
            message=f"{kind}备案“{filing.name}”的备案期限为 {filing.due_on.isoformat()}，"
            "请在期限内提交（依据：通知附件备注1、2）",
        )
    return 1


def _flag_overdue(pk: int) -> int | None:
    """The filing's org if this sweep flagged it, None if someone else had."""
    with transaction.atomic():
        filing = _claim(pk, "overdue_flagged_at")
        if filing is None:
            return None
        kind = rules.KIND_LABELS.get(filing.kind, filing.kind)
        link = _filing_link(filing)
        notification_send(
            recipient_org=filing.org,
            kind=NotificationKind.FILING_OVERDUE,
            obj=filing,
            link=link,
            message=f"{kind}备案“{filing.name}”已超过备案期限 {filing.due_on.isoformat()}，"
            "请尽快提交（依据：通知附件备注1、2）",
        )
        district = Organization.objects.filter(parent__isnull=True).first()
        if district is not None and district.pk != filing.org_id:
            notification_send(
                recipient_org=district,
                kind=NotificationKind.FILING_OVERDUE,
                obj=filing,
                link=link,
                message=f"{filing.org.name}的{kind}备案“{filing.name}”已超过备案期限 "
                f"{filing.due_on.isoformat()}，尚未提交",
            )
    return filing.org_id
