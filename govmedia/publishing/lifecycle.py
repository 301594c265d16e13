"""The lifecycles of review and publishing, each a table of guarded transitions read by the
services (to refuse) and, later, the pages (`offered(obj, actor)`, to show the buttons).

Article (稿件):
    草稿 ─提交→ 审核中 ─(last step approves)→ 已通过 ─发布→ 已发布
                   ├─(a step returns)→ 已退回 ─修改→ 草稿 …
                   ├─(a step rejects)→ 已驳回 (final)
                   └─撤回 (before the first decision)→ 草稿
    Any edit (修改) of a draft, returned, in-review, approved or published article makes a new
    revision and brings it back to 草稿: the run under way is void and a new submission starts
    the flow from its first step. 撤回 is not a state of its own: the run records it.

Review step (审核环节) of a run: 审核中 → 已通过 / 已退回 / 已驳回; 转交 keeps it 审核中.

Publication (发布记录): 定时待发 → 排队中 → 发布中 → 已发布 / 发布失败 / 结果不明, and 定时待发 or
排队中 → 已取消 (by a person, or because the article changed before the job ran).
"""

from django.utils import timezone

from govmedia.core.errors import Conflict, Forbidden
from govmedia.core.scope import may
from govmedia.core.transitions import Transition, TransitionTable

from .models import (
    Article,
    ArticleState,
    Decision,
    PublicationState,
    PublishGrant,
    ReviewDecision,
    ReviewRunStep,
    Revision,
    RunState,
    StepState,
)

# --- who is who ------------------------------------------------------------------------------


def contributor_ids(article_id: int) -> set[int]:
    """Everyone who wrote any revision of the article (and its creator): none of them reviews
    it (谁审查、谁负责 — nobody approves their own text, not even after another's edit)."""
    authors = set(
        Revision.objects.filter(article_id=article_id).values_list("author_id", flat=True)
    )
    creator = Article.objects.filter(pk=article_id).values_list("author_id", flat=True).first()
    return authors | ({creator} if creator else set())


def approver_ids(run_id: int, *, exclude_step_id: int | None = None) -> set[int]:
    approvals = ReviewDecision.objects.filter(run_id=run_id, decision=Decision.APPROVE)
    if exclude_step_id is not None:
        approvals = approvals.exclude(run_step_id=exclude_step_id)
    return set(approvals.values_list("reviewer_id", flat=True))


def active_run(article):
    return article.runs.filter(state=RunState.IN_PROGRESS).first()


# --- article ---------------------------------------------------------------------------------


def may_write(actor, article: Article) -> None:
    if not may(actor, "publishing.write"):
        raise Forbidden("您无权撰写或修改稿件")
    if not Article.objects.restrict(actor, "write").filter(pk=article.pk).exists():
        raise Forbidden("只能修改本单位及下级单位的稿件")


def may_withdraw(actor, article: Article) -> None:
    may_write(actor, article)
    run = active_run(article)
    if run is not None and run.decisions.exists():
        raise Conflict("已有审核人作出审核意见，不能撤回；如需修改，请直接修改稿件（将重新审核）")


def may_publish_article(actor, article: Article) -> None:
    """The actor is an authorised publisher (授权发布人), valid today, of one of its targets."""
    if not may(actor, "publishing.publish"):
        raise Forbidden("您无权发布稿件")
    today = timezone.localdate()
    granted = PublishGrant.objects.filter(
        user=actor,
        account__article_targets__article=article,
        revoked_at__isnull=True,
        valid_from__lte=today,
        valid_until__gte=today,
    )
    if not granted.exists():
        raise Forbidden("您不是该稿件任一发布账号的授权发布人（或授权不在有效期内）")


EDITABLE = frozenset(
    {
        ArticleState.DRAFT,
        ArticleState.IN_REVIEW,
        ArticleState.RETURNED,
        ArticleState.APPROVED,
        ArticleState.PUBLISHED,
    }
)

ARTICLE = TransitionTable(
    "稿件",
    Transition("revise", "修改", EDITABLE, ArticleState.DRAFT, guard=may_write),
    Transition(
        "submit",
        "提交审核",
        frozenset({ArticleState.DRAFT, ArticleState.RETURNED}),
        ArticleState.IN_REVIEW,
        guard=may_write,
    ),
    Transition(
        "withdraw",
        "撤回",
        frozenset({ArticleState.IN_REVIEW}),
        ArticleState.DRAFT,
        guard=may_withdraw,
    ),
    Transition(
        "publish",
        "发布",
        frozenset({ArticleState.APPROVED, ArticleState.PUBLISHED}),
        ArticleState.PUBLISHED,
        guard=may_publish_article,
    ),
    Transition(
        "delete",
        "删除",
        frozenset(ArticleState) - {ArticleState.PUBLISHED},
        ArticleState.DRAFT,  # the state stays; deleted_at marks it
        guard=may_write,
    ),
    # Taken by the run's outcome, never offered as a button (the decision is the act).
    Transition("approve", "审核通过", frozenset({ArticleState.IN_REVIEW}), ArticleState.APPROVED),
    Transition("return", "退回", frozenset({ArticleState.IN_REVIEW}), ArticleState.RETURNED),
    Transition("reject", "驳回", frozenset({ArticleState.IN_REVIEW}), ArticleState.REJECTED),
)
# Transitions a person takes on an article (the others follow a review decision).
ARTICLE_ACTIONS = ("revise", "submit", "withdraw", "publish", "delete")


def offered(article: Article, actor) -> list[str]:
    """The buttons of an article page for this actor (a deleted article offers none)."""
    if article.is_deleted:
        return []
    return [action for action in ARTICLE.offered(article, actor) if action in ARTICLE_ACTIONS]


# --- review step -----------------------------------------------------------------------------


def _reviewer_of_step(actor, step: ReviewRunStep) -> None:
    if not may(actor, "publishing.review"):
        raise Forbidden("您无权审核稿件")
    if not step.reviewers.filter(pk=actor.pk).exists():
        raise Forbidden(f"您不是审核环节“{step.label}”的审核人")


def may_decide(actor, step: ReviewRunStep) -> None:
    """Who may approve, return or reject this step: one of its reviewers, never a contributor
    of the article, once per step, and (approving) not someone who approved it earlier."""
    _reviewer_of_step(actor, step)
    if actor.pk in contributor_ids(step.run.article_id):
        raise Forbidden("稿件作者（含修改过该稿件的人）不能审核该稿件（谁审查、谁负责）")
    if step.decisions.filter(reviewer=actor).exists():
        raise Conflict(f"您已对审核环节“{step.label}”作出审核意见")


def may_approve(actor, step: ReviewRunStep) -> None:
    may_decide(actor, step)
    if actor.pk in approver_ids(step.run_id, exclude_step_id=step.pk):
        raise Forbidden("同一审核记录中，同一人只能审核通过一次（不能既初审又终审）")


def may_reassign(actor, step: ReviewRunStep) -> None:
    """A reviewer of the step hands it on; the unit administrator hands on another's share."""
    if step.reviewers.filter(pk=actor.pk).exists() and may(actor, "publishing.review"):
        return
    article = step.run.article
    if may(actor, "publishing.flows") and (
        Article.objects.restrict(actor, "flows").filter(pk=article.pk).exists()
    ):
        return
    raise Forbidden(f"只有审核环节“{step.label}”的审核人或单位管理员可以转交")


RUN_STEP = TransitionTable(
    "审核环节",
    Transition(
        Decision.APPROVE, "审核通过", frozenset({StepState.ACTIVE}), StepState.APPROVED, may_approve
    ),
    Transition(
        Decision.RETURN, "退回修改", frozenset({StepState.ACTIVE}), StepState.RETURNED, may_decide
    ),
    Transition(
        Decision.REJECT, "驳回", frozenset({StepState.ACTIVE}), StepState.REJECTED, may_decide
    ),
    Transition("reassign", "转交", frozenset({StepState.ACTIVE}), StepState.ACTIVE, may_reassign),
)


def offered_step(step: ReviewRunStep, actor) -> list[str]:
    return RUN_STEP.offered(step, actor)


# --- publication -----------------------------------------------------------------------------


def may_cancel_publication(actor, publication) -> None:
    if actor.pk == publication.requested_by_id:
        return
    if may(actor, "publishing.grants") and (
        Article.objects.restrict(actor, "grants").filter(pk=publication.article_id).exists()
    ):
        return
    raise Forbidden("只有发布人本人或单位管理员可以取消定时发布")


PUBLICATION = TransitionTable(
    "发布记录",
    Transition(
        "cancel",
        "取消发布",
        frozenset({PublicationState.SCHEDULED, PublicationState.QUEUED}),
        PublicationState.CANCELLED,
        may_cancel_publication,
    ),
)
