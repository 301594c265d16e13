"""Reads of the registry pages: filters, 我的待办, deadlines, history and what a user may do now.

Every queryset here starts from `restrict(user, …)` in the calling view; these functions only
narrow it or describe rows already allowed.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from govmedia.audit.models import AuditEvent
from govmedia.audit.services import snapshot
from govmedia.core.errors import ServiceError
from govmedia.core.roles import Role
from govmedia.core.scope import may, org_subtree_q

from . import services
from .display import display_value
from .models import (
    FORM_FIELDS,
    AccountStatus,
    Filing,
    FilingKind,
    FilingState,
    MediaAccount,
    Platform,
)

# States in which the filing is with the unit, so its deadline still runs.
PENDING_STATES = (FilingState.DRAFT, FilingState.RETURNED)
DUE_SOON_WORKDAYS = 2

FILING_EVENT_LABELS = {
    "filing.create": "新建草稿",
    "filing.update": "修改",
    "filing.submit": "提交",
    "filing.supervisor_approve": "主管单位审核通过",
    "filing.approve": "备案（区政府办公室）",
    "filing.return": "退回",
    "filing.attach_scan": "上传签章扫描件",
}


# ---- accounts -------------------------------------------------------------------------------


def filter_accounts(accounts, params) -> tuple:
    """The accounts matching the list page's filters, and the filters as read."""
    f = {
        key: (params.get(key) or "").strip()
        for key in ("q", "platform", "status", "org", "verified", "numbered")
    }
    if f["q"]:
        accounts = accounts.filter(
            Q(name__icontains=f["q"]) | Q(handle__icontains=f["q"]) | Q(filing_no__icontains=f["q"])
        )
    if f["platform"].isdigit():
        accounts = accounts.filter(platform_id=int(f["platform"]))
    if f["status"] in AccountStatus.values:
        accounts = accounts.filter(status=f["status"])
    if f["org"]:
        accounts = accounts.filter(host_org__name__icontains=f["org"])
    if f["verified"] in ("1", "0"):
        accounts = accounts.filter(verified=f["verified"] == "1")
    if f["numbered"] == "1":
        accounts = accounts.exclude(filing_no__isnull=True).exclude(filing_no="")
    elif f["numbered"] == "0":
        accounts = accounts.filter(Q(filing_no__isnull=True) | Q(filing_no=""))
    return accounts, f


def account_counts(accounts) -> dict[str, int]:
    by_status = dict(accounts.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "total": sum(by_status.values()),
        **{status: by_status.get(status, 0) for status in AccountStatus.values},
        "unnumbered": accounts.filter(Q(filing_no__isnull=True) | Q(filing_no="")).count(),
    }


def may_file_for(user, org) -> bool:
    """Whether the user may start a filing for an account hosted by `org` (filings.change)."""
    if not may(user, "filings.change") or user.role == Role.OVERSIGHT:
        return False
    from govmedia.orgs.models import Organization

    return Organization.objects.filter(org_subtree_q(user, ""), pk=org.pk).exists()


def kinds_for_account(account: MediaAccount) -> list[FilingKind]:
    """The filings an account can receive now: 补办开设备案 while it has no number."""
    if not account.filing_no:
        return [FilingKind.OPEN] if account.status != AccountStatus.CANCELLED else []
    allowed = services.KINDS_FOR_STATUS[account.status]
    return [kind for kind in FilingKind if kind in allowed]


def open_filing(account: MediaAccount) -> Filing | None:
    return account.filings.exclude(state=FilingState.FILED).first()


# ---- filings --------------------------------------------------------------------------------


def todo_q(user) -> Q:
    """我的待办: what waits for this user's hand."""
    nothing = Q(pk__in=[])
    if user.role == Role.OVERSIGHT or not user.is_authenticated:
        return nothing
    if may(user, "filings.approve"):
        # The district office: submitted filings with no supervisor, or co-signed ones.
        return Q(state=FilingState.SUPERVISOR_APPROVED) | Q(
            state=FilingState.SUBMITTED, supervisor__isnull=True
        )
    todo = nothing
    if may(user, "filings.supervise") and user.org_id:
        todo |= Q(state=FilingState.SUBMITTED, supervisor__path__startswith=user.org.path) & ~Q(
            submitted_by=user
        )
    if may(user, "filings.change"):
        todo |= Q(state__in=PENDING_STATES) & org_subtree_q(user, "org")
    return todo


def due_soon_limit(today: date) -> date:
    from govmedia.workdays.calendar import current_calendar

    return current_calendar().add_workdays(today, DUE_SOON_WORKDAYS).date


def filter_filings(filings, params, *, user, today: date) -> tuple:
    f = {
        key: (params.get(key) or "").strip()
        for key in ("q", "state", "kind", "org", "deadline", "todo")
    }
    if f["todo"] == "1":
        filings = filings.filter(todo_q(user))
    if f["q"]:
        filings = filings.filter(
            Q(name__icontains=f["q"])
            | Q(handle__icontains=f["q"])
            | Q(filing_no__icontains=f["q"])
            | Q(account__filing_no__icontains=f["q"])
        )
    if f["state"] in FilingState.values:
        filings = filings.filter(state=f["state"])
    if f["kind"] in FilingKind.values:
        filings = filings.filter(kind=f["kind"])
    if f["org"]:
        filings = filings.filter(org__name__icontains=f["org"])
    if f["deadline"] == "overdue":
        filings = filings.filter(state__in=PENDING_STATES, due_on__lt=today)
    elif f["deadline"] == "due_soon":
        filings = filings.filter(
            state__in=PENDING_STATES, due_on__gte=today, due_on__lte=due_soon_limit(today)
        )
    return filings, f


def filing_counts(filings, *, user, today: date) -> dict[str, int]:
    pending = filings.filter(state__in=PENDING_STATES)
    return {
        "todo": filings.filter(todo_q(user)).count(),
        "overdue": pending.filter(due_on__lt=today).count(),
        "due_soon": pending.filter(due_on__gte=today, due_on__lte=due_soon_limit(today)).count(),
    }


@dataclass(frozen=True)
class DeadlineInfo:
    due_on: date
    provisional: bool
    overdue: bool  # still with the unit and past its due date
    text: str  # 剩余 3 个工作日 / 今日到期 / 已逾期 2 个工作日 / 按期提交 / 逾期 1 个工作日提交


def deadline_info(filing: Filing, today: date) -> DeadlineInfo:
    from govmedia.workdays.calendar import current_calendar

    calendar, due = current_calendar(), filing.due_on

    def workdays(a, b):
        try:
            return calendar.workdays_between(a, b)
        except (TypeError, ValueError):  # outside the calendar's range: say it in dates only
            return None

    if filing.state in PENDING_STATES or filing.submitted_at is None:
        if today > due:
            late = workdays(due, today)
            text = f"已逾期 {late} 个工作日" if late else "已过备案期限"
            return DeadlineInfo(due, filing.due_provisional, True, text)
        left = workdays(today, due)
        text = "今日到期" if left == 0 else f"剩余 {left} 个工作日" if left else "未到期"
        return DeadlineInfo(due, filing.due_provisional, False, text)
    submitted = timezone.localdate(filing.submitted_at)
    if submitted <= due:
        return DeadlineInfo(due, filing.due_provisional, False, "按期提交")
    late = workdays(due, submitted)
    return DeadlineInfo(
        due, filing.due_provisional, False, f"逾期 {late} 个工作日提交" if late else "逾期提交"
    )


def filing_history(filing: Filing) -> list[dict]:
    """The filing's state history from the audit log (the filing itself is already in scope)."""
    events = AuditEvent.objects.filter(
        object_type="registry.filing", object_id=str(filing.pk)
    ).order_by("seq")
    return [
        {
            "at": event.created_at,
            "actor": event.actor_label,
            "label": FILING_EVENT_LABELS.get(event.action, event.action),
            "action": event.action,
            "reason": (event.after or {}).get("returned_reason", "")
            if event.action == "filing.return"
            else "",
        }
        for event in events
    ]


def allowed_actions(user, filing: Filing) -> list[str]:
    """The transitions this user may take on the filing right now (the services decide again)."""
    actions: list[str] = []
    if user.role == Role.OVERSIGHT:
        return actions
    state = filing.state
    if state in services.TRANSITIONS["submit"].sources and (
        Filing.objects.restrict(user, "change").filter(pk=filing.pk).exists()
    ):
        actions.append("submit")
    if state == FilingState.SUBMITTED and filing.supervisor_id and _may_co_sign(user, filing):
        actions += ["supervisor_approve", "return"]
    awaiting_office = state == FilingState.SUPERVISOR_APPROVED or (
        state == FilingState.SUBMITTED and not filing.supervisor_id
    )
    if awaiting_office and may(user, "filings.approve"):
        actions += ["approve", "return"]
    return list(dict.fromkeys(actions))


def _may_co_sign(user, filing: Filing) -> bool:
    if not may(user, "filings.supervise"):
        return False
    try:
        services._check_supervisor_actor(user, filing)
    except ServiceError:
        return False
    return True


# ---- 变更: what the filing changes ------------------------------------------------------------


@dataclass(frozen=True)
class DiffRow:
    label: str
    registered: str
    filed: str


def change_rows(filing: Filing, *, full_phones: bool) -> list[DiffRow] | None:
    """登记信息 vs 本次备案 for a 变更; None when it cannot be told (an old filed filing)."""
    if filing.kind != FilingKind.CHANGE or filing.account_id is None:
        return []
    if filing.state != FilingState.FILED:
        return [
            DiffRow(
                change.label,
                display_value(change.field, change.registered, full_phones=full_phones),
                display_value(change.field, change.filed, full_phones=full_phones),
            )
            for change in services.change_diff(filing)
        ]
    return _filed_change_rows(filing, full_phones=full_phones)


def _filed_change_rows(filing: Filing, *, full_phones: bool) -> list[DiffRow] | None:
    """Once filed the account equals the filing, so compare with the account as it was just
    before: the approval wrote that snapshot to the audit log in the same transaction."""
    approve = (
        AuditEvent.objects.filter(
            object_type="registry.filing", object_id=str(filing.pk), action="filing.approve"
        )
        .order_by("-seq")
        .first()
    )
    applied = (
        approve
        and AuditEvent.objects.filter(
            seq=approve.seq - 1, action="account.apply_filing", object_id=str(filing.account_id)
        ).first()
    )
    if not applied or not applied.before:
        return None
    before, after = applied.before, snapshot(filing, FORM_FIELDS)
    platforms = dict(Platform.objects.values_list("pk", "name"))
    rows = []
    for field in FORM_FIELDS:
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        if field == "platform":
            old, new = platforms.get(old, old), platforms.get(new, new)
        rows.append(
            DiffRow(
                services.form_rules.LABELS[field],
                display_value(field, old, full_phones=full_phones),
                display_value(field, new, full_phones=full_phones),
            )
        )
    if before.get("host_org") not in (None, filing.org_id):
        from govmedia.orgs.models import Organization

        old_org = Organization.objects.filter(pk=before["host_org"]).first()
        rows.append(DiffRow("主办单位", old_org.name if old_org else "", filing.org.name))
    return rows
