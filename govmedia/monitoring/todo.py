"""Monitoring's lines of the 工作台 to-do list (core.todo): 整改 items to resolve (the unit) or
to confirm (the district office), and the accounts of the scope that have gone quiet
(单项否决风险, 清理候选)."""

from datetime import date

from django.urls import reverse

from govmedia.core.scope import may, sees_whole_district
from govmedia.core.todo import DUE_SOON_WORKDAYS, TodoItem, TodoKind
from govmedia.workdays.calendar import current_calendar

from . import dormancy
from .models import Rectification, RectificationState
from .selectors import dormant_accounts

LIMIT = 50
TO_CORRECT = (RectificationState.OPEN, RectificationState.REOPENED)


def _item(kind, item: Rectification, label: str, today: date, horizon: date) -> TodoItem:
    waits_for_unit = item.state in TO_CORRECT
    return TodoItem(
        kind=kind,
        label=label,
        title=f"“{item.account.name}”已发布内容：{item.matched}",
        link=reverse("monitoring:rectification", args=[item.pk]),
        org_name=item.org.name,
        due_on=item.due_on if waits_for_unit else None,
        overdue=waits_for_unit and item.due_on < today,
        due_soon=waits_for_unit and today <= item.due_on <= horizon,
        note=f"重新整改理由：{item.reopen_reason}"
        if item.state == RectificationState.REOPENED
        else "",
        ref=f"monitoring.rectification:{item.pk}",
    )


def items(user, *, today: date) -> list[TodoItem]:
    horizon = current_calendar().add_workdays(today, DUE_SOON_WORKDAYS).date
    scoped = Rectification.objects.restrict(user).select_related("org", "account")
    lines = []
    district = sees_whole_district(user)
    if may(user, "rectification.resolve") and not district:
        lines += [
            _item(TodoKind.ACT, r, "整改", today, horizon)
            for r in scoped.filter(state__in=TO_CORRECT).order_by("due_on", "pk")[:LIMIT]
        ]
    if may(user, "rectification.confirm"):
        # 谁审查、谁负责: a correction one made oneself is confirmed by someone else.
        resolved = scoped.filter(state=RectificationState.RESOLVED).exclude(resolved_by=user)
        lines += [
            _item(TodoKind.ACT, r, "确认整改", today, horizon)
            for r in resolved.order_by("resolved_at", "pk")[:LIMIT]
        ]
    if district:
        # The units' corrections about to miss (or past) their deadline.
        late = scoped.filter(state__in=TO_CORRECT, due_on__lte=horizon)
        lines += [
            _item(TodoKind.WATCH, r, "督促整改", today, horizon)
            for r in late.order_by("due_on", "pk")[:LIMIT]
        ]
    if may(user, "registry.change") or district:
        lines += _dormant(user, today)
    return lines


def _dormant(user, today: date) -> list[TodoItem]:
    lines = []
    for level in (dormancy.Level.CLEANUP, dormancy.Level.RISK):
        for account in dormant_accounts(user, level=level, today=today)[:LIMIT]:
            state = getattr(account, "pull_state", None)
            last = state.last_post_at if state else None
            lines.append(
                TodoItem(
                    kind=TodoKind.ACCOUNT,
                    label=f"长期未更新（{dormancy.LEVEL_LABELS[level]}）",
                    title=str(account),
                    link=reverse("registry:account_detail", args=[account.pk]),
                    org_name=account.host_org.name,
                    note=f"最近更新 {last:%Y-%m-%d}" if last else "采集以来未见更新",
                    ref=f"registry.mediaaccount:{account.pk}",
                )
            )
    return lines


def waiting_count(user) -> int:
    """整改 items waiting for the user's hand, beside 内容整改 in the navigation."""
    if not user.is_authenticated:
        return 0
    scoped = Rectification.objects.restrict(user)
    count = 0
    if may(user, "rectification.resolve") and not sees_whole_district(user):
        count += scoped.filter(state__in=TO_CORRECT).count()
    if may(user, "rectification.confirm"):
        count += scoped.filter(state=RectificationState.RESOLVED).exclude(resolved_by=user).count()
    return count
