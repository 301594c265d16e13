"""Deciding review steps (审核意见) and handing them on (转交).

A decision binds to the revision the run was started for: the caller states the content hash it
saw, and a decision about any other text is refused. Approving needs the four checks of
国办发〔2018〕123号 (政治关、法律关、保密关、文字关) ticked and a reason for every `warn` finding.
谁审查、谁负责: the author (and anyone who wrote a revision of the article) never decides, and
nobody approves twice in one run.

A step requiring one reviewer (任一人) is passed by the first approval; a step requiring all of
them (全部) once every reviewer of the step who has not approved an earlier step of the run has
approved. A return ends the run (the article may be edited and submitted again, from the first
step); a rejection ends it for good.

Two reviewers deciding one step at once: each service locks the article, then the step, and
checks the step's state and version under the lock, so exactly one decision counts and the
other is told the step was already decided.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from govmedia.audit.services import audit_record
from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.core.scope import may, org_subtree_q
from govmedia.core.versions import check_version
from govmedia.notifications.models import NotificationKind
from govmedia.users.models import User
from govmedia.workdays.calendar import current_calendar

from .. import findings as screening
from .. import inbox
from ..deadlines import add_working_time
from ..events import REVIEW_FINISHED
from ..lifecycle import ARTICLE, RUN_STEP, approver_ids, contributor_ids
from ..models import (
    CHECKS,
    Article,
    Decision,
    PublishGrant,
    ReviewDecision,
    ReviewRun,
    ReviewRunStep,
    RunState,
    StepMode,
    StepState,
)
from .common import clean_reason, locked_article, notify_users

# --- steps -----------------------------------------------------------------------------------


def step_due_at(start: datetime, value: int, unit: str) -> datetime:
    calendar = current_calendar()
    local = timezone.localtime(start)
    return add_working_time(local, value, unit, calendar.is_workday)


def activate_step(step: ReviewRunStep, *, now: datetime) -> ReviewRunStep:
    """The step becomes the one under way, due after its time limit in working time."""
    step.state = StepState.ACTIVE
    step.activated_at = now
    step.due_at = step_due_at(now, step.limit_value, step.limit_unit)
    step.version += 1
    step.save(update_fields=["state", "activated_at", "due_at", "version"])
    return step


def _locked_step(actor, run_step_id: int, action: str) -> tuple[Article, ReviewRunStep]:
    """Article, then step, locked in that order (see services.common.locked_article)."""
    if not may(actor, f"publishing.{action}"):
        raise Forbidden("您无权审核稿件")
    visible = ReviewRunStep.objects.filter(run__article__in=Article.objects.restrict(actor, "view"))
    try:
        article_id = visible.values_list("run__article_id", flat=True).get(pk=run_step_id)
    except (ReviewRunStep.DoesNotExist, ValueError, TypeError):
        raise NotFound("对象不存在或您无权访问") from None
    article = locked_article(article_id)
    step = (
        ReviewRunStep.objects.select_for_update(of=("self",))
        .select_related("run")
        .get(pk=run_step_id)
    )
    return article, step


def _check_current(article: Article, step: ReviewRunStep) -> ReviewRun:
    run = step.run
    if article.is_deleted:
        raise Conflict("稿件已删除")
    if run.state != RunState.IN_PROGRESS or run.revision_id != article.current_revision_id:
        raise Conflict("该审核记录已结束（稿件可能已被撤回或修改），请刷新")
    return run


# --- deciding --------------------------------------------------------------------------------


def _clean_checks(checks) -> dict[str, bool]:
    checks = checks if isinstance(checks, dict) else {}
    return {key: checks.get(key) is True for key in CHECKS}


def _clean_acknowledgements(run: ReviewRun, acknowledgements) -> dict[str, dict]:
    """Every warn finding acknowledged with a reason; stored with what it acknowledges."""
    given = acknowledgements if isinstance(acknowledgements, dict) else {}
    cleaned = {}
    for finding in screening.warnings(run.findings):
        reason = " ".join(str(given.get(finding["key"]) or "").split())
        if not reason:
            raise ServiceError(
                f"请对提醒核实的{screening.describe(finding)}说明核实情况后再审核通过"
                "（提醒核实的内容须由审核人逐条确认）",
                field="acknowledgements",
                code="unacknowledged",
            )
        if len(reason) > 500:
            raise ServiceError("核实说明每条不得超过 500 个字", field="acknowledgements")
        cleaned[finding["key"]] = {
            "reason": reason,
            "matched": finding["matched"],
            "category": finding["category"],
            "rule": finding["rule"],
        }
    return cleaned


def review_decide(
    *,
    actor,
    run_step_id: int,
    version: int,
    decision: str,
    revision_hash: str,
    reason: str = "",
    checks: dict | None = None,
    acknowledgements: dict | None = None,
    now: datetime | None = None,
) -> ReviewDecision:
    """通过 / 退回修改 / 驳回 one step of a run, bound to the revision hash the reviewer saw."""
    now = now or timezone.now()
    with transaction.atomic():
        # Who may review first: a user without the right is refused whatever the input.
        article, step = _locked_step(actor, run_step_id, "review")
        if decision not in Decision.values:
            raise ServiceError("请选择审核意见（通过、退回修改或驳回）", field="decision")
        check_version(step, version, noun="审核环节")
        RUN_STEP.check(step, decision, actor)
        run = _check_current(article, step)
        if revision_hash != run.revision_hash:
            raise Conflict(
                "审核意见须针对提交审核的版本：您看到的内容与提交审核的修订不一致，请刷新后重新审核",
                field="revision_hash",
            )
        checked, acknowledged = _clean_checks(checks), {}
        if decision == Decision.APPROVE:
            reason = clean_reason(reason, field="reason", label="审核意见", required=False)
            missing = [label for key, label in CHECKS.items() if not checked[key]]
            if missing:
                raise ServiceError(
                    f"审核通过须逐项确认{'、'.join(CHECKS.values())}，尚未确认：{'、'.join(missing)}",
                    field="checks",
                )
            acknowledged = _clean_acknowledgements(run, acknowledgements)
        else:
            label = "退回理由" if decision == Decision.RETURN else "驳回理由"
            reason = clean_reason(reason, field="reason", label=label, required=True)
        try:
            with transaction.atomic():
                record = ReviewDecision(
                    run=run,
                    run_step=step,
                    reviewer=actor,
                    decision=decision,
                    reason=reason,
                    checks=checked,
                    acknowledgements=acknowledged,
                    revision_hash=run.revision_hash,
                    decided_at=now,
                )
                record.save()
        except IntegrityError:
            raise Conflict("您已在本审核记录中作出过审核意见") from None
        outcome = _apply(actor, article, run, step, record, now)
        inbox.sync(article.pk)
        audit_record(
            actor=actor,
            action=f"review.{decision}",
            obj=step,
            org=article.org,
            after={
                "article": article.pk,
                "run": run.pk,
                "step": step.label,
                "decision": decision,
                "reason": reason,
                "checks": checked,
                "acknowledgements": {k: v["reason"] for k, v in acknowledged.items()},
                "revision_hash": run.revision_hash,
                "outcome": outcome,
            },
        )
    return record


def _finish_run(run: ReviewRun, state: str, now: datetime) -> None:
    run.steps.filter(state__in=[StepState.PENDING, StepState.ACTIVE]).update(
        state=StepState.CANCELLED, completed_at=now
    )
    run.state, run.finished_at = state, now
    run.version += 1
    run.save(update_fields=["state", "finished_at", "version"])


def _close_step(step: ReviewRunStep, state: str, now: datetime) -> None:
    step.state, step.completed_at = state, now
    step.version += 1
    step.save(update_fields=["state", "completed_at", "version"])


def _article_to(article: Article, action: str) -> None:
    transition = ARTICLE.check(article, action)
    article.state = transition.target
    article.version += 1
    article.save(update_fields=["state", "version", "updated_at"])


def _authors(article: Article):
    return User.objects.filter(pk__in=contributor_ids(article.pk), is_active=True).select_related(
        "org"
    )


def _all_approved(step: ReviewRunStep) -> bool:
    """All-of: every reviewer of the step who may still approve it has approved."""
    earlier = approver_ids(step.run_id, exclude_step_id=step.pk)
    needed = set(step.reviewers.values_list("pk", flat=True)) - earlier
    approved = set(
        step.decisions.filter(decision=Decision.APPROVE).values_list("reviewer_id", flat=True)
    )
    return bool(approved) and needed <= approved


def _apply(actor, article, run, step, record, now) -> str:
    """Move the step, the run and the article on; notify who must act next. The outcome."""
    decision = record.decision
    if decision in (Decision.RETURN, Decision.REJECT):
        state = StepState.RETURNED if decision == Decision.RETURN else StepState.REJECTED
        _close_step(step, state, now)
        _finish_run(
            run, RunState.RETURNED if decision == Decision.RETURN else RunState.REJECTED, now
        )
        _article_to(article, decision)
        verb = "退回修改" if decision == Decision.RETURN else "驳回"
        notify_users(
            _authors(article),
            kind=(
                NotificationKind.REVIEW_RETURNED
                if decision == Decision.RETURN
                else NotificationKind.REVIEW_REJECTED
            ),
            obj=article,
            article_id=article.pk,
            message=f"稿件“{article.title}”在{step.label}环节被{actor.name}{verb}：{record.reason}",
        )
        REVIEW_FINISHED.publish(
            article_id=article.pk, state=run.state, reason=record.reason, actor=actor
        )
        return f"run_{run.state}"
    if step.mode == StepMode.ALL and not _all_approved(step):
        step.version += 1
        step.save(update_fields=["version"])
        return "step_waiting"
    _close_step(step, StepState.APPROVED, now)
    following = run.steps.filter(state=StepState.PENDING).order_by("position").first()
    if following is not None:
        activate_step(following, now=now)
        run.version += 1
        run.save(update_fields=["version"])
        notify_users(
            following.reviewers.select_related("org"),
            kind=NotificationKind.REVIEW_REQUESTED,
            obj=article,
            article_id=article.pk,
            message=f"稿件“{article.title}”已通过{step.label}，待您{following.label}，"
            f"请于 {timezone.localtime(following.due_at):%Y-%m-%d %H:%M} 前审核",
        )
        return "step_approved"
    _finish_run(run, RunState.APPROVED, now)
    _article_to(article, "approve")
    notify_users(
        _authors(article),
        kind=NotificationKind.REVIEW_APPROVED,
        obj=article,
        article_id=article.pk,
        message=f"稿件“{article.title}”已审核通过，可由授权发布人发布",
    )
    today = timezone.localdate(now)
    grantees = User.objects.filter(
        is_active=True,
        pk__in=PublishGrant.objects.filter(
            account__article_targets__article=article,
            revoked_at__isnull=True,
            valid_from__lte=today,
            valid_until__gte=today,
        ).values("user_id"),
    ).select_related("org")
    notify_users(
        grantees,
        kind=NotificationKind.PUBLISH_READY,
        obj=article,
        article_id=article.pk,
        message=f"稿件“{article.title}”已审核通过，待您发布",
    )
    REVIEW_FINISHED.publish(article_id=article.pk, state=run.state, reason="", actor=actor)
    return "run_approved"


# --- handing on ------------------------------------------------------------------------------


def review_reassign(
    *,
    actor,
    run_step_id: int,
    version: int,
    to_user_id: int,
    note: str,
    from_user_id: int | None = None,
) -> ReviewRunStep:
    """转交: a reviewer hands their part of the step to another eligible reviewer, with a note;
    the unit administrator may hand on any reviewer's part (`from_user_id`), e.g. after an
    escalation. An all-of step keeps its number of reviewers: the new one replaces the old."""
    note = clean_reason(note, field="note", label="转交说明", required=True)
    with transaction.atomic():
        article, step = _locked_step(actor, run_step_id, "view")
        check_version(step, version, noun="审核环节")
        RUN_STEP.check(step, "reassign", actor)
        run = _check_current(article, step)
        reviewer_ids = set(step.reviewers.values_list("pk", flat=True))
        if from_user_id is None or int(from_user_id) == actor.pk:
            if actor.pk not in reviewer_ids:
                raise ServiceError("请选择要转交其审核任务的审核人", field="from_user")
            giver_id = actor.pk
        else:
            if not (
                may(actor, "publishing.flows")
                and Article.objects.restrict(actor, "flows").filter(pk=article.pk).exists()
            ):
                raise Forbidden("只有单位管理员可以转交他人的审核任务")
            giver_id = int(from_user_id)
            if giver_id not in reviewer_ids:
                raise ServiceError("该人员不是本环节的审核人", field="from_user")
        if step.decisions.filter(reviewer_id=giver_id).exists():
            raise Conflict("已作出审核意见的审核人不能再转交")
        receiver = _receiver(article, step, run, to_user_id)
        if receiver.pk in reviewer_ids and step.mode == StepMode.ALL:
            raise ServiceError(
                f"{receiver.name}已是本环节的审核人（本环节须全部审核人通过），请转交给其他人",
                field="to_user",
            )
        step.reviewers.remove(giver_id)
        step.reviewers.add(receiver)
        step.version += 1
        step.save(update_fields=["version"])
        inbox.sync(article.pk)
        audit_record(
            actor=actor,
            action="review.reassign",
            obj=step,
            org=article.org,
            before={"reviewers": sorted(reviewer_ids)},
            after={
                "reviewers": sorted(step.reviewers.values_list("pk", flat=True)),
                "from": giver_id,
                "to": receiver.pk,
                "note": note,
            },
        )
        notify_users(
            [receiver],
            kind=NotificationKind.REVIEW_REASSIGNED,
            obj=article,
            article_id=article.pk,
            message=f"{actor.name}将稿件“{article.title}”的{step.label}转交给您：{note}",
        )
    return step


def _receiver(article: Article, step: ReviewRunStep, run: ReviewRun, to_user_id) -> User:
    """Someone who may review this article: a reviewing role, active, the article's unit in
    their scope (or eligible under the step's definition), not a contributor, and not an
    approver of an earlier step of this run."""
    from .flows import step_reviewers

    try:
        receiver = User.objects.select_related("org").get(pk=int(to_user_id), is_active=True)
    except (User.DoesNotExist, TypeError, ValueError):
        raise ServiceError("请选择接收转交的审核人", field="to_user") from None
    eligible = may(receiver, "publishing.review") and (
        Article.objects.filter(org_subtree_q(receiver, "org"), pk=article.pk).exists()
        or (
            step.source_step is not None
            and step_reviewers(step.source_step).filter(pk=receiver.pk).exists()
        )
    )
    if not eligible:
        raise ServiceError(f"{receiver.name}不是该稿件的可选审核人", field="to_user")
    if receiver.pk in contributor_ids(article.pk):
        raise ServiceError(f"{receiver.name}是该稿件的作者，不能审核", field="to_user")
    if receiver.pk in approver_ids(run.pk, exclude_step_id=step.pk):
        raise ServiceError(
            f"{receiver.name}已在本审核记录的前一环节审核通过，不能再审核", field="to_user"
        )
    return receiver


def overdue_recipients(step: ReviewRunStep):
    """The reviewers of a step past its limit who have not decided yet."""
    decided = step.decisions.values_list("reviewer_id", flat=True)
    return step.reviewers.filter(is_active=True).exclude(pk__in=decided).select_related("org")
