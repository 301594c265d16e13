"""The registry's lines of the 工作台 to-do list (core.todo): filings waiting for the user's hand
(提交, 主管单位审核, 准予备案), the filings of the user's scope that are overdue or due soon
while with someone else, and the accounts of the scope that have no 备案号 yet."""

from datetime import date

from django.conf import settings
from django.urls import reverse

from govmedia.core.scope import may
from govmedia.core.todo import DUE_SOON_WORKDAYS, TodoItem, TodoKind
from govmedia.workdays.calendar import current_calendar

from .filters import PENDING_STATES, due_soon_q, overdue_q, todo_q, unnumbered_q
from .models import Filing, FilingState, MediaAccount
from .stalls import step_started

LIMIT = 50  # lines per kind; the filing list (我的待办) has them all

STEP_LABELS = {
    FilingState.DRAFT: "提交备案",
    FilingState.RETURNED: "按退回理由修改后重新提交",
    FilingState.SUPERVISOR_APPROVED: "准予备案",
}


def _label(filing: Filing) -> str:
    if filing.state == FilingState.SUBMITTED:
        return "主管单位审核" if filing.supervisor_id else "准予备案"
    return STEP_LABELS[filing.state]


def _due(filing: Filing, calendar) -> date | None:
    """A filing with its unit is due by its 备案期限; one waiting at a review step, by the day
    it would start to stall (FILING_STALL_WORKDAYS after reaching the step)."""
    if filing.state in PENDING_STATES:
        return filing.due_on
    started = step_started(filing)
    try:
        return (
            calendar.add_workdays(started, settings.FILING_STALL_WORKDAYS).date if started else None
        )
    except (TypeError, ValueError):  # outside the calendar's years
        return None


def _item(kind: TodoKind, filing: Filing, today: date, horizon: date, calendar) -> TodoItem:
    due = _due(filing, calendar)
    return TodoItem(
        kind=kind,
        label=_label(filing),
        title=f"{filing.get_kind_display()}备案：{filing.name or '（未填写名称）'}",
        link=reverse("registry:filing_detail", args=[filing.pk]),
        org_name=filing.org.name,
        due_on=due,
        overdue=due is not None and due < today,
        due_soon=due is not None and today <= due <= horizon,
        note=f"退回理由：{filing.returned_reason}" if filing.state == FilingState.RETURNED else "",
        ref=f"registry.filing:{filing.pk}",
    )


def items(user, *, today: date) -> list[TodoItem]:
    calendar = current_calendar()
    horizon = calendar.add_workdays(today, DUE_SOON_WORKDAYS).date
    scoped = Filing.objects.restrict(user).select_related("org")
    mine = todo_q(user)
    lines = [
        _item(TodoKind.ACT, f, today, horizon, calendar)
        for f in scoped.filter(mine).order_by("due_on", "pk")[:LIMIT]
    ]
    if oversees_registry(user):
        # Someone else's filing of my scope about to miss (or past) its deadline: worth a call.
        others = scoped.filter(overdue_q(today) | due_soon_q(today)).exclude(mine)
        lines += [
            _item(TodoKind.WATCH, f, today, horizon, calendar)
            for f in others.order_by("due_on", "pk")[:LIMIT]
        ]
        lines += _unfiled_accounts(user)
    return lines


def oversees_registry(user) -> bool:
    """Those who answer for the accounts of their scope: unit administrators, the district office
    and 监督. An 编辑 or 审核人 sees their own work only."""
    return may(user, "registry.change") or user.sees_whole_district


def _unfiled_accounts(user) -> list[TodoItem]:
    """Accounts of the scope without a 备案号 and with no filing under way: 补办开设备案."""
    accounts = (
        MediaAccount.objects.restrict(user)
        .active()
        .filter(unnumbered_q())
        .exclude(filings__state__in=[s for s in FilingState.values if s != FilingState.FILED])
        .select_related("host_org", "platform")
        .order_by("host_org__path", "pk")[:LIMIT]
    )
    may_file = may(user, "filings.change")
    return [
        TodoItem(
            kind=TodoKind.ACCOUNT,
            label="未备案：补办开设备案" if may_file else "未备案",
            title=str(account),
            link=reverse("registry:account_detail", args=[account.pk]),
            org_name=account.host_org.name,
            note="依据：通知第二部分（一）“先备案、后开设”",
            ref=f"registry.mediaaccount:{account.pk}",
        )
        for account in accounts
    ]


def waiting_count(user) -> int:
    """Filings waiting for the user's hand, beside 备案管理 in the navigation."""
    if not user.is_authenticated:
        return 0
    return Filing.objects.restrict(user).filter(todo_q(user)).count()
