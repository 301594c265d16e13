"""Background work of publishing, run by django-q2 (see schedules.py).

- `publish(publication_id)`: sends one queued publication through the platform's client. At the
  moment it runs it takes the article's lock and checks everything again (publications.
  publish_problem): the revision is still the approved one, the article is not deleted, edited
  or withdrawn, the publisher's grant is valid today, the publication was not cancelled. If any
  fails the publication is cancelled and the platform is never called. Otherwise it is marked
  发布中 in that same transaction (so a second run of the task does nothing) and sent.
- `publish_due()` (every minute): scheduled publications whose time has come, each claimed by a
  conditional UPDATE (定时待发 → 排队中) whose row count says which worker won, then published.
  A due time kept in a column, not a django-q schedule per publication: it survives restarts,
  and the job re-reads the state when it runs.
- `poll_due()` / `poll_publication()`: WeChat publishes asynchronously; its publish_id is asked
  about until the article is out or has failed.
- `sweep_review_deadlines()`: each review step past its time limit reminds its reviewers once,
  and after a second period of the same length, the unit administrators once (claims by
  conditional UPDATE … WHERE reminded_at IS NULL / escalated_at IS NULL).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from govmedia.audit.services import audit_record
from govmedia.monitoring.clients import client_for
from govmedia.monitoring.credentials import account_ref
from govmedia.notifications.models import NotificationKind
from govmedia.platforms.base import (
    OutcomeUnknown,
    PlatformError,
    PublishResult,
    PublishTicket,
)
from govmedia.platforms.base import Publication as Outgoing

from . import richtext
from .models import Publication, PublicationState, ReviewRunStep, StepState
from .services.common import locked_article, notify_users, unit_administrators
from .services.publications import mark_published, publish_problem
from .services.reviews import overdue_recipients, step_due_at

logger = logging.getLogger(__name__)

POLL_FIRST = timedelta(seconds=5)
POLL_EVERY = timedelta(minutes=1)
POLL_LEASE = timedelta(minutes=5)
MAX_POLLS = 120  # two hours of answers "still publishing": then a person must look
WECHAT = "wechat-mp"


# --- publishing ------------------------------------------------------------------------------


def publish(publication_id: int, now: datetime | None = None) -> str:
    now = now or timezone.now()
    started = _start(publication_id, now)
    if isinstance(started, str):
        return started
    publication = started
    account = publication.account
    try:
        client = client_for(account.platform.code)
        ref = account_ref(account)
        outgoing = _outgoing(publication)
    except Exception as exc:  # noqa: BLE001 - nothing was sent: a plain failure
        message = getattr(exc, "message", "") or f"{type(exc).__name__}: {exc}"
        if isinstance(exc, KeyError):
            message = f"未配置{account.platform.name}的接口地址"
        return _finish(publication.pk, PublicationState.FAILED, error=message, now=now)
    try:
        answer = client.publish(ref, outgoing)
    except OutcomeUnknown as exc:
        return _finish(
            publication.pk, PublicationState.UNKNOWN, error=exc.message, code=exc.code, now=now
        )
    except PlatformError as exc:
        return _finish(
            publication.pk, PublicationState.FAILED, error=exc.message, code=exc.code, now=now
        )
    except Exception as exc:  # noqa: BLE001 - the request may have gone out: never retried
        logger.exception("发布 %s 时出现意外错误", publication.pk)
        return _finish(
            publication.pk,
            PublicationState.UNKNOWN,
            error=f"发布过程中出现意外错误（{type(exc).__name__}），请到平台核实是否已发布",
            now=now,
        )
    return _record_answer(publication.pk, answer, now)


def _start(publication_id: int, now: datetime) -> Publication | str:
    """Claim a queued publication (→ 发布中) after checking it may still go out."""
    row = Publication.objects.filter(pk=publication_id).values("article_id", "state").first()
    if row is None or row["state"] != PublicationState.QUEUED:
        return "无需发布"
    with transaction.atomic():
        article = locked_article(row["article_id"])
        publication = (
            Publication.objects.select_for_update(of=("self",))
            .select_related("account__platform", "requested_by", "revision")
            .get(pk=publication_id)
        )
        if publication.state != PublicationState.QUEUED:
            return "无需发布"
        problem = publish_problem(
            article, publication.account, publication.requested_by, today=timezone.localdate(now)
        )
        if problem is None and publication.revision_id != article.current_revision_id:
            problem_message = "稿件已修改，排队中的旧版本不再发布"
        else:
            problem_message = problem.message if problem else ""
        if problem_message:
            _cancel(publication, article, problem_message, now)
            return f"已取消：{problem_message}"
        publication.state, publication.started_at = PublicationState.PUBLISHING, now
        publication.version += 1
        publication.save(update_fields=["state", "started_at", "version"])
    return publication


def _cancel(publication: Publication, article, reason: str, now: datetime) -> None:
    publication.state = PublicationState.CANCELLED
    publication.cancelled_at, publication.cancel_reason = now, reason[:300]
    publication.version += 1
    publication.save(update_fields=["state", "cancelled_at", "cancel_reason", "version"])
    audit_record(
        actor=None,
        action="publication.cancel",
        obj=publication,
        org=article.org,
        after={"state": publication.state, "cancel_reason": publication.cancel_reason},
    )
    notify_users(
        [publication.requested_by],
        kind=NotificationKind.PUBLICATION_CANCELLED,
        obj=publication,
        article_id=article.pk,
        message=f"稿件“{article.title}”发布到“{publication.account.name}”已取消：{reason}",
    )


def _read(image) -> bytes:
    with default_storage.open(image.file.name, "rb") as handle:
        return handle.read()


def _outgoing(publication: Publication) -> Outgoing:
    """What the client sends: the approved revision, its images read from storage."""
    revision = publication.revision
    stored = {image.file.url: image for image in revision.images.all()}
    sources = [src for src in richtext.image_sources(revision.body_html) if src in stored]
    images = {src: _read(stored[src]) for src in dict.fromkeys(sources)}
    cover_image = revision.cover
    if cover_image is None and publication.account.platform.code == WECHAT and sources:
        cover_image = stored[sources[0]]  # WeChat needs a cover: the first picture of the body
    return Outgoing(
        title=revision.title,
        html=revision.body_html,
        text=revision.body_text,
        cover=_read(cover_image) if cover_image else None,
        cover_name=cover_image.file.name.rsplit("/", 1)[-1] if cover_image else "cover.jpg",
        images=images,
        source_url=revision.source_url,
        user_ip=publication.requested_ip or "",
    )


def _record_answer(publication_id: int, answer, now: datetime) -> str:
    if isinstance(answer, PublishTicket):
        return _finish(
            publication_id,
            PublicationState.PUBLISHING,
            ticket=answer.ticket,
            next_poll_at=now + POLL_FIRST,
            now=now,
        )
    return _record_result(publication_id, answer, now)


def _record_result(publication_id: int, result: PublishResult, now: datetime) -> str:
    if result.state == "published":
        return _finish(
            publication_id,
            PublicationState.PUBLISHED,
            post_id=result.post_id,
            url=result.url,
            now=now,
        )
    if result.state == "failed":
        return _finish(
            publication_id,
            PublicationState.FAILED,
            post_id=result.post_id,
            error=result.message,
            code=result.code,
            now=now,
        )
    # Accepted, still publishing, with nothing to ask about (Weibo answering late): the next
    # pull of the account shows the status, and the matcher ties it to the revision.
    return _finish(publication_id, PublicationState.PUBLISHING, error=result.message, now=now)


def _finish(
    publication_id: int,
    state: str,
    *,
    now: datetime,
    error: str = "",
    code=None,
    ticket: str = "",
    post_id: str = "",
    url: str = "",
    next_poll_at: datetime | None = None,
) -> str:
    """Record where a publication under way (发布中) stands now, with its audit event."""
    with transaction.atomic():
        article_id = Publication.objects.values_list("article_id", flat=True).get(pk=publication_id)
        article = locked_article(article_id)
        publication = (
            Publication.objects.select_for_update(of=("self",))
            .select_related("account", "requested_by")
            .get(pk=publication_id)
        )
        if publication.state != PublicationState.PUBLISHING:
            return "状态已变化"
        publication.state = state
        publication.ticket = ticket or publication.ticket
        publication.post_id = post_id or publication.post_id
        publication.url = url or publication.url
        publication.error = (error or "")[:500]
        publication.error_code = "" if code is None else str(code)[:40]
        publication.next_poll_at = next_poll_at
        if state == PublicationState.PUBLISHED:
            publication.published_at = now
            mark_published(article)
        publication.version += 1
        publication.save()
        outcome = {
            PublicationState.PUBLISHED: "published",
            PublicationState.FAILED: "fail",
            PublicationState.UNKNOWN: "unknown",
            PublicationState.PUBLISHING: "submitted",
        }[state]
        audit_record(
            actor=None,
            action=f"publication.{outcome}",
            obj=publication,
            org=article.org,
            after={
                "state": state,
                "ticket": publication.ticket,
                "post_id": publication.post_id,
                "url": publication.url,
                "error": publication.error,
            },
        )
        _tell(publication, article, state)
    return publication.get_state_display()


def _tell(publication: Publication, article, state: str) -> None:
    where = f"稿件“{article.title}”发布到“{publication.account.name}”"
    if state == PublicationState.PUBLISHED:
        kind, message = NotificationKind.PUBLICATION_DONE, f"{where}已完成：{publication.url}"
    elif state == PublicationState.FAILED:
        kind, message = NotificationKind.PUBLICATION_FAILED, f"{where}失败：{publication.error}"
    elif state == PublicationState.UNKNOWN:
        kind = NotificationKind.PUBLICATION_FAILED
        message = f"{where}结果不明：{publication.error}。请到平台核实，切勿直接重发"
    else:
        return
    notify_users(
        [publication.requested_by],
        kind=kind,
        obj=publication,
        article_id=article.pk,
        message=message,
    )


def poll_publication(publication_id: int, now: datetime | None = None) -> str:
    """Ask the platform where an asynchronous publication (WeChat's publish_id) stands."""
    now = now or timezone.now()
    publication = (
        Publication.objects.select_related("account__platform").filter(pk=publication_id).first()
    )
    if publication is None or publication.state != PublicationState.PUBLISHING:
        return "无需查询"
    if not publication.ticket:
        return "无发布任务号"
    try:
        client = client_for(publication.account.platform.code)
        result = client.publish_status(
            account_ref(publication.account), PublishTicket(publication.ticket)
        )
    except PlatformError as exc:  # a read: asked again on the next round
        result = PublishResult("publishing", message=exc.message, code=exc.code)
    except Exception as exc:  # noqa: BLE001 - a client bug must fail one poll, not the worker
        logger.exception("查询发布 %s 时出现意外错误", publication_id)
        result = PublishResult("publishing", message=f"{type(exc).__name__}")
    if result.state != "publishing":
        return _record_result(publication_id, result, now)
    polls = publication.polls + 1
    if polls >= MAX_POLLS:
        return _finish(
            publication_id,
            PublicationState.UNKNOWN,
            error="平台长时间未返回发布结果，请到平台核实",
            now=now,
        )
    Publication.objects.filter(pk=publication_id, state=PublicationState.PUBLISHING).update(
        polls=polls, next_poll_at=now + POLL_EVERY
    )
    return "发布中"


def publish_due(now: datetime | None = None) -> str:
    """Every minute: the scheduled publications whose time has come."""
    now = now or timezone.now()
    due = Publication.objects.filter(state=PublicationState.SCHEDULED, due_at__lte=now).values_list(
        "pk", flat=True
    )
    done = 0
    for pk in list(due):
        claimed = Publication.objects.filter(pk=pk, state=PublicationState.SCHEDULED).update(
            state=PublicationState.QUEUED
        )
        if claimed:  # this worker won it; another sweep's UPDATE matched nothing
            publish(pk, now=now)
            done += 1
    return f"定时发布 {done} 篇"


def poll_due(now: datetime | None = None) -> str:
    now = now or timezone.now()
    due = (
        Publication.objects.filter(state=PublicationState.PUBLISHING, next_poll_at__lte=now)
        .exclude(ticket="")
        .values_list("pk", "next_poll_at")
    )
    polled = 0
    for pk, next_poll_at in list(due):
        claimed = Publication.objects.filter(pk=pk, next_poll_at=next_poll_at).update(
            next_poll_at=now + POLL_LEASE
        )
        if claimed:
            poll_publication(pk, now=now)
            polled += 1
    return f"查询发布结果 {polled} 篇"


# --- review deadlines ------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    reminded: int
    escalated: int


def sweep_review_deadlines(now: datetime | None = None) -> str:
    result = sweep(now=now)
    return f"审核超时提醒 {result.reminded} 个环节，督办 {result.escalated} 个环节"


def sweep(*, now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    overdue = ReviewRunStep.objects.filter(
        state=StepState.ACTIVE, due_at__lt=now, reminded_at__isnull=True
    ).values_list("pk", flat=True)
    reminded = sum(_remind(pk, now) for pk in list(overdue))
    escalate = ReviewRunStep.objects.filter(
        Q(escalate_at__lte=now),
        state=StepState.ACTIVE,
        escalated_at__isnull=True,
    ).values_list("pk", flat=True)
    escalated = sum(_escalate(pk, now) for pk in list(escalate))
    return SweepResult(reminded, escalated)


def _step(pk: int) -> ReviewRunStep:
    return ReviewRunStep.objects.select_related("run__article__org").get(pk=pk)


def _remind(pk: int, now: datetime) -> int:
    with transaction.atomic():
        step = _step(pk)
        # The unit administrators are told once the step is late by a second period as long.
        escalate_at = step_due_at(step.due_at, step.limit_value, step.limit_unit)
        won = ReviewRunStep.objects.filter(
            pk=pk, state=StepState.ACTIVE, reminded_at__isnull=True
        ).update(reminded_at=now, escalate_at=escalate_at)
        if not won:
            return 0
        article = step.run.article
        notify_users(
            overdue_recipients(step),
            kind=NotificationKind.REVIEW_OVERDUE,
            obj=article,
            article_id=article.pk,
            message=f"稿件“{article.title}”的{step.label}已超过审核期限 "
            f"{timezone.localtime(step.due_at):%Y-%m-%d %H:%M}，请尽快审核",
        )
    return 1


def _escalate(pk: int, now: datetime) -> int:
    with transaction.atomic():
        won = ReviewRunStep.objects.filter(
            pk=pk, state=StepState.ACTIVE, escalated_at__isnull=True
        ).update(escalated_at=now)
        if not won:
            return 0
        step = _step(pk)
        article = step.run.article
        names = "、".join(user.name for user in overdue_recipients(step)) or "审核人"
        notify_users(
            unit_administrators(article.org),
            kind=NotificationKind.REVIEW_ESCALATED,
            obj=article,
            article_id=article.pk,
            message=f"稿件“{article.title}”的{step.label}（{names}）已超过审核期限 "
            f"{timezone.localtime(step.due_at):%Y-%m-%d %H:%M}，仍未审核，请督办或转交",
        )
    return 1
