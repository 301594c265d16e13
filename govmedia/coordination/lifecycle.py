"""The lifecycle of a repost task (账号转载任务), a table of guarded transitions read by the
services (to refuse) and the pages (`offered(task, actor)`, to show the buttons).

    待转载 ─报送链接→ 已报送待核实 ─(the pull finds the post at that link and it is a repost)→ 已转载
      └──────(the pull finds a repost of the source on the account)─────────────────→ 已转载
    待转载 / 已报送待核实 ─豁免 (the issuer, with a reason)→ 已豁免
    待转载 / 已报送待核实 ─撰写转载稿→ (unchanged: a 转载 draft for the unit's review, review.py)

报送 again corrects the link. 已转载 is late (逾期转载) when the repost went out after the
deadline; a task still open after its deadline is 逾期未转载 (missing) until it is completed.

A publishing request (发布申请), `REQUEST`:

    待受理 ─受理 (the district office: the district article enters the district's review flow)→ 区级审核中
      │        ─(the district's review approves)→ 审核通过待发布
      │                ─(the pull finds the post; or the office records the link)→ 已发布
      │        ─(the district's review returns or rejects it, with the reviewer's reason)→ 已退回
      ├─退回 (the district office, with a reason; also while in review or approved)→ 已退回
      └─撤回 (the requesting unit, before it is accepted)→ 已撤回

已退回 and 已撤回 are final: the unit may submit the article again as a new request.
"""

from govmedia.core.errors import Forbidden
from govmedia.core.scope import may, sees_whole_district
from govmedia.core.transitions import Transition, TransitionTable

from .models import (
    OPEN_REQUEST_STATES,
    OPEN_STATES,
    PublishRequest,
    RepostTask,
    RequestState,
    TaskState,
)


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


# --- 发布申请 ----------------------------------------------------------------------------------


def may_withdraw_request(actor, request: PublishRequest) -> None:
    """The requesting unit's staff (or above it) take back a request not yet accepted."""
    if not may(actor, "coordination.request") or not _within(actor, request.org.path):
        raise Forbidden("只有申请单位可以撤回发布申请")


def may_handle_request(actor, request: PublishRequest) -> None:
    """The district office accepts, returns and records the publication."""
    if not may(actor, "coordination.handle_request"):
        raise Forbidden("只有区政府办公室可以办理发布申请")


def by_review(actor, request) -> None:
    """Taken by the district's review (a decision on the district article), never a button."""
    raise Forbidden("由区级审核结果决定")


REQUEST = TransitionTable(
    "发布申请",
    Transition(
        "accept",
        "受理",
        frozenset({RequestState.SUBMITTED}),
        RequestState.IN_REVIEW,
        may_handle_request,
    ),
    Transition(
        "return",
        "退回",
        frozenset(OPEN_REQUEST_STATES),
        RequestState.RETURNED,
        may_handle_request,
    ),
    Transition(
        "publish",
        "登记发布链接",
        frozenset({RequestState.APPROVED}),
        RequestState.PUBLISHED,
        may_handle_request,
    ),
    Transition(
        "withdraw",
        "撤回",
        frozenset({RequestState.SUBMITTED}),
        RequestState.WITHDRAWN,
        may_withdraw_request,
    ),
    Transition(
        "approve", "审核通过", frozenset({RequestState.IN_REVIEW}), RequestState.APPROVED, by_review
    ),
    Transition(
        "review_return",
        "区级审核退回",
        frozenset({RequestState.IN_REVIEW}),
        RequestState.RETURNED,
        by_review,
    ),
)
