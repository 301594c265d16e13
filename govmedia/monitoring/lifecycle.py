"""The 整改 lifecycle of a published-content finding: 待整改 → 已整改 → 已确认, or → 重新整改 → 已整改
…; each transition with its guard, read by the services (to refuse) and the item page (to offer).
The unit corrects; the district office confirms or reopens, never a correction it made itself.
"""

from govmedia.core.errors import Forbidden
from govmedia.core.scope import may
from govmedia.core.transitions import Transition, TransitionTable

from .models import RectificationState


def may_resolve(actor, item) -> None:
    if not may(actor, "rectification.resolve"):
        raise Forbidden("您无权办理整改事项")


def may_reopen(actor, item) -> None:
    if not may(actor, "rectification.confirm"):
        raise Forbidden("您无权办理整改事项")


def may_confirm(actor, item) -> None:
    may_reopen(actor, item)
    if item.resolved_by_id == actor.pk:
        raise Forbidden("不能确认自己提交的整改（谁审查、谁负责）")


TRANSITIONS = TransitionTable(
    "整改事项",
    Transition(
        "resolve",
        "提交整改",
        frozenset({RectificationState.OPEN, RectificationState.REOPENED}),
        RectificationState.RESOLVED,
        guard=may_resolve,
    ),
    Transition(
        "confirm",
        "确认整改",
        frozenset({RectificationState.RESOLVED}),
        RectificationState.CONFIRMED,
        guard=may_confirm,
    ),
    Transition(
        "reopen",
        "重新整改",
        frozenset({RectificationState.RESOLVED}),
        RectificationState.REOPENED,
        guard=may_reopen,
    ),
)
