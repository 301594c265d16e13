"""The lifecycle of a 舆情事件, a table of guarded transitions read by the services (to refuse)
and the pages (`CASE.offered(case, actor)`, to show the buttons).

    预警 ─研判 (等级与理由)→ 研判 ─转办 (一个或多个单位)→ 转办 ─处置 (措施、佐证)→ 处置
      处置 ─回应 (经审核通过的回应稿件，或已发布回应的链接)→ 回应 ─办结 (办结报告)→ 办结
    办结 ─重新打开 (理由)→ 处置;  转办 again from 研判/转办/处置 adds units.

Who: the case's unit (its subtree) and the district office handle; a unit the case is assigned
to handles it too (处置、回应). 转办 within the actor's subtree is the unit administrator's, anywhere
the district office's or 网信's (监督). Raising the level (not a transition: any open stage) is
the unit's, the district office's or 监督's; comments are everyone's who sees the case.
"""

from govmedia.core.errors import Forbidden
from govmedia.core.scope import may, sees_whole_district
from govmedia.core.transitions import Transition, TransitionTable

from .models import CaseState

S = CaseState


def _owns(actor, case) -> bool:
    """The case's unit or above it (or the whole district)."""
    return sees_whole_district(actor) or (
        actor.org_id is not None and case.org.path.startswith(actor.org.path)
    )


def _assigned(actor, case) -> bool:
    if actor.org_id is None:
        return False
    return case.assignments.filter(org__path__startswith=actor.org.path).exists()


def may_handle(actor, case) -> None:
    if not may(actor, "opinion.handle") or not _owns(actor, case):
        raise Forbidden("只有责任单位或区政府办公室可以办理该舆情事件")


def may_work(actor, case) -> None:
    """处置 and 回应: the case's unit, or a unit it was assigned to."""
    if not may(actor, "opinion.handle") or not (_owns(actor, case) or _assigned(actor, case)):
        raise Forbidden("只有责任单位、承办单位或区政府办公室可以处置该舆情事件")


def may_assign(actor, case) -> None:
    if not may(actor, "opinion.assign") or not _owns(actor, case):
        raise Forbidden("只有责任单位、区政府办公室或网信部门可以转办该舆情事件")


def may_raise(actor, case) -> None:
    if not may(actor, "opinion.raise") or not _owns(actor, case):
        raise Forbidden("只有责任单位、区政府办公室或宣传部、网信办可以提升舆情等级")


PRE_RESPONSE = frozenset({S.WARNING, S.ASSESSED, S.ASSIGNED, S.HANDLING})
OPEN = frozenset(PRE_RESPONSE | {S.RESPONDED})

CASE = TransitionTable(
    "舆情事件",
    Transition("assess", "研判", frozenset({S.WARNING}), S.ASSESSED, may_handle),
    Transition(
        "assign", "转办", frozenset({S.ASSESSED, S.ASSIGNED, S.HANDLING}), S.ASSIGNED, may_assign
    ),
    Transition("act", "记录处置", frozenset({S.ASSIGNED, S.HANDLING}), S.HANDLING, may_work),
    Transition("respond", "回应", frozenset({S.HANDLING}), S.RESPONDED, may_work),
    Transition("close", "办结", frozenset({S.RESPONDED}), S.CLOSED, may_handle),
    Transition("reopen", "重新打开", frozenset({S.CLOSED}), S.HANDLING, may_handle),
    # Not a change of stage: the level, at any open stage.
    Transition("raise", "提升等级", OPEN, "", may_raise),
)
