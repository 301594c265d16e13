"""The 假冒账号 case lifecycle: 发现 → 核实 → 要求平台关停 → 通报网信 → 已关停, or 排除 (and 重新核查);
each transition with its guard, read by the services (to refuse) and the case page (to offer)."""

from govmedia.core.errors import Forbidden
from govmedia.core.scope import may
from govmedia.core.transitions import Transition, TransitionTable

from .models import OPEN_STATES, SuspectState


def may_handle(actor, suspect) -> None:
    """The district office verifies cases, writes to the platform and informs 网信."""
    if not may(actor, "counterfeit.change"):
        raise Forbidden("只有区政府办公室（平台管理员）可以处置假冒账号")


TRANSITIONS = TransitionTable(
    "线索",
    Transition(
        "verify",
        "核实",
        frozenset({SuspectState.FOUND}),
        SuspectState.VERIFIED,
        guard=may_handle,
    ),
    Transition(
        "request_takedown",
        "要求平台关停",
        frozenset({SuspectState.VERIFIED}),
        SuspectState.TAKEDOWN_REQUESTED,
        guard=may_handle,
    ),
    Transition(
        "report_to_cac",
        "通报网信",
        frozenset({SuspectState.TAKEDOWN_REQUESTED}),
        SuspectState.REPORTED,
        guard=may_handle,
    ),
    Transition(
        "confirm_closed",
        "确认已关停",
        frozenset({SuspectState.REPORTED}),
        SuspectState.CLOSED,
        guard=may_handle,
    ),
    Transition("exclude", "排除", frozenset(OPEN_STATES), SuspectState.EXCLUDED, guard=may_handle),
    Transition(
        "reopen",
        "重新核查",
        frozenset({SuspectState.EXCLUDED}),
        SuspectState.FOUND,
        guard=may_handle,
    ),
)
