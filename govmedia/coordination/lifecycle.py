"""The lifecycle of a repost task (账号转载任务), a table of guarded transitions read by the
services (to refuse) and the pages (`offered(task, actor)`, to show the buttons).

    待转载 ─报送链接→ 已报送待核实 ─(the pull finds the post at that link and it is a repost)→ 已转载
      └──────(the pull finds a repost of the source on the account)─────────────────→ 已转载
    待转载 / 已报送待核实 ─豁免 (the issuer, with a reason)→ 已豁免
    待转载 / 已报送待核实 ─撰写转载稿→ (unchanged: a 转载 draft for the unit's review, review.py)

报送 again corrects the link. 已转载 is late (逾期转载) when the repost went out after the
deadline; a task still open after its deadline is 逾期未转载 (missing) until it is completed.
"""

from govmedia.core.errors import Forbidden
from govmedia.core.scope import may, sees_whole_district
from govmedia.core.transitions import Transition, TransitionTable

from .models import OPEN_STATES, RepostTask, TaskState


def _within(actor, path: str) -> bool:
    return sees_whole_district(actor) or (
        actor.org_id is not None and path.startswith(actor.org.path)
    )


def may_report(actor, task: RepostTask) -> None:
    """The target unit's staff (or above it) report the repost of their account."""
    if not may(actor, "coordination.complete") or not _within(actor, task.org.path):
        raise Forbidden("只有承办单位可以报送转载链接")


def may_exempt(actor, task: RepostTask) -> None:
    """The issuer (its unit or above) exempts a task."""
    if not may(actor, "coordination.issue") or not _within(actor, task.campaign.org.path):
        raise Forbidden("只有下达转载任务的单位可以豁免")


def may_draft(actor, task: RepostTask) -> None:
    """The target unit's staff write the 转载 draft (a task exempted from review needs none)."""
    if task.campaign.review_exempt:
        raise Forbidden("该转载任务已由区政府办公室免于审核，可直接在平台转载")
    if not may(actor, "publishing.write") or not _within(actor, task.org.path):
        raise Forbidden("只有承办单位的编辑可以撰写转载稿")


def no_person(actor, task) -> None:
    """Completion is the pull's, never a person's act."""
    raise Forbidden("转载完成由采集核实，不能手动标记")


TASK = TransitionTable(
    "转载任务",
    # The task stays open: the draft goes through the unit's review, then is published.
    Transition("draft", "撰写转载稿", frozenset(OPEN_STATES), TaskState.OPEN, may_draft),
    Transition("report", "报送转载链接", frozenset(OPEN_STATES), TaskState.CLAIMED, may_report),
    Transition("exempt", "豁免", frozenset(OPEN_STATES), TaskState.EXEMPTED, may_exempt),
    Transition("complete", "确认转载", frozenset(OPEN_STATES), TaskState.COMPLETED, no_person),
)
