"""The filing (备案) lifecycle: 草稿 → 已提交 → (主管单位已审核) → 已备案, or 退回 with a reason and
resubmitted; each transition with its guard, read by the services (to refuse) and the pages (to
offer). Which kinds of filing an account may receive in each status is part of the lifecycle too.
"""

from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.core.scope import may
from govmedia.core.transitions import Transition, TransitionTable

from .models import AccountStatus, CoSigner, Filing, FilingKind, FilingState


def may_change(actor, filing: Filing) -> None:
    """The filing's unit (or one above it) prepares and submits it."""
    if not Filing.objects.restrict(actor, "change").filter(pk=filing.pk).exists():
        raise Forbidden("只能提交本单位及下级单位的备案")


def is_designated(actor) -> bool:
    """A 审核人 whom the unit designated to co-sign filings (registry.CoSigner)."""
    return (
        may(actor, "filings.designated_co_sign")
        and CoSigner.objects.filter(user_id=actor.pk).exists()
    )


def may_co_sign(actor, filing: Filing) -> None:
    """主管单位签章: the supervising unit's 主管单位审核人, 单位管理员 or designated 审核人, never
    the one who submitted it."""
    if not (may(actor, "filings.supervise") or is_designated(actor)):
        raise Forbidden("您无权审核备案")
    if filing.supervisor_id is None:
        raise ServiceError("该备案无需主管单位审核，由区政府办公室直接备案")
    supervisor = filing.supervisor
    if not (actor.sees_whole_district or supervisor.path.startswith(actor.org.path)):
        raise Forbidden(f"只有主管单位“{supervisor.name}”可以审核")
    if actor.pk == filing.submitted_by_id:
        raise Forbidden("不能审核自己提交的备案（谁审查、谁负责）")


def may_file(actor, filing: Filing) -> None:
    """Final 备案 is the district office's, after the supervising unit where there is one."""
    if not may(actor, "filings.approve"):
        raise Forbidden("只有区政府办公室（平台管理员）可以办理备案")
    if filing.supervisor_id and filing.state != FilingState.SUPERVISOR_APPROVED:
        raise Conflict(f"须先经主管单位“{filing.supervisor.name}”审核")


def may_return(actor, filing: Filing) -> None:
    """Whoever must act on it now may send it back: the supervising unit, then the office."""
    if filing.state == FilingState.SUBMITTED and filing.supervisor_id:
        may_co_sign(actor, filing)
    elif not may(actor, "filings.approve"):
        raise Forbidden("只有区政府办公室（平台管理员）可以退回该备案")


TRANSITIONS = TransitionTable(
    "备案",
    Transition(
        "submit",
        "提交",
        frozenset({FilingState.DRAFT, FilingState.RETURNED}),
        FilingState.SUBMITTED,
        guard=may_change,
    ),
    Transition(
        "supervisor_approve",
        "主管单位审核通过",
        frozenset({FilingState.SUBMITTED}),
        FilingState.SUPERVISOR_APPROVED,
        guard=may_co_sign,
    ),
    Transition(
        "approve",
        "准予备案",
        frozenset({FilingState.SUBMITTED, FilingState.SUPERVISOR_APPROVED}),
        FilingState.FILED,
        guard=may_file,
    ),
    Transition(
        "return",
        "退回",
        frozenset({FilingState.SUBMITTED, FilingState.SUPERVISOR_APPROVED}),
        FilingState.RETURNED,
        guard=may_return,
    ),
)

# Which kinds of filing an account in each status may receive.
KINDS_FOR_STATUS = {
    AccountStatus.RUNNING: {FilingKind.CHANGE, FilingKind.SUSPEND, FilingKind.CANCEL},
    AccountStatus.SUSPENDED: {FilingKind.CHANGE, FilingKind.CANCEL},
    AccountStatus.CANCELLED: set(),
}
