"""Publishing an approved article (先审后发、授权发布).

`publication_publish` checks, under the article's lock, everything that makes a publication
legitimate — the article is approved and its current revision is the one a finished run
approved, the account is one of its targets and running, the actor is an authorised publisher
valid today — and queues a Publication (or schedules it for `at`). The sending happens in a
background task (publishing.tasks.publish), which checks all of it again at the moment it runs,
so an edit, a withdrawal, a deletion or a revoked grant after the request stops it.

One live publication per revision and account (a unique index): a double submit applies once.
Platforms whose API cannot publish (抖音, 快手 …) are published in their own apps; the publisher
then records who, when and the link (`publication_record_manual`).
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from govmedia.audit.services import audit_record, snapshot
from govmedia.core import request_context
from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.core.scope import get_scoped, may
from govmedia.core.versions import check_version
from govmedia.monitoring.services import clean_link
from govmedia.platforms.base import Publication as Outgoing
from govmedia.platforms.clients import CLIENTS
from govmedia.platforms.weibo import client as weibo
from govmedia.registry.models import AccountStatus

from .. import richtext
from ..lifecycle import ARTICLE, PUBLICATION
from ..models import (
    PENDING_STATES,
    Article,
    ArticleState,
    ArticleTarget,
    Publication,
    PublicationState,
    ReviewRun,
    RunState,
)
from .common import clean_reason, locked_article
from .countersigns import countersign_problem
from .grants import may_publish

AUDITED = [
    "article",
    "revision",
    "account",
    "state",
    "manual",
    "due_at",
    "post_id",
    "url",
    "published_at",
    "error",
    "cancel_reason",
]
WECHAT, WEIBO = "wechat-mp", "weibo"
WECHAT_TITLE_MAX = 32  # draft/add refuses a longer title (45003)


def publishes_through_api(platform_code: str) -> bool:
    client_class = CLIENTS.get(platform_code)
    return bool(client_class and getattr(client_class, "can_publish", False))


def approved_run(article: Article) -> ReviewRun | None:
    """The finished, approved run of the article's current revision, if there is one."""
    if article.current_revision_id is None:
        return None
    return (
        ReviewRun.objects.filter(
            article=article, revision_id=article.current_revision_id, state=RunState.APPROVED
        )
        .order_by("-finished_at")
        .first()
    )


def publish_problem(article: Article, account, user, *, today) -> ServiceError | None:
    """Why this article may not go out to this account for this user today (None if it may):
    the one list of conditions, read by the services and again by the task when it runs."""
    if article.is_deleted:
        return Conflict("稿件已删除", field="target")
    if article.state not in (ArticleState.APPROVED, ArticleState.PUBLISHED):
        return Conflict(
            f"稿件当前为“{article.get_state_display()}”，未经审核通过不得发布", field="target"
        )
    if approved_run(article) is None:
        return Conflict(
            "稿件的当前版本未经审核通过（可能已被修改），须重新审核后发布", field="target"
        )
    if (countersign := countersign_problem(article)) is not None:
        return countersign
    if not ArticleTarget.objects.filter(article=article, account=account).exists():
        return Conflict(f"“{account.name}”不是该稿件的发布账号", field="target")
    if account.status != AccountStatus.RUNNING:
        return Conflict(f"“{account.name}”{account.get_status_display()}，不能发布", field="target")
    if not may_publish(user, account, on=today):
        return Forbidden(
            f"{user.name}不是“{account.name}”的授权发布人，或授权不在有效期内", field="target"
        )
    return None


def _preflight(revision, account) -> None:
    """What the platform would refuse for certain, said before anything is queued (its limits
    as docs/platforms/ describe them; the platform may still refuse for its own reasons)."""
    code = account.platform.code
    if code == WECHAT:
        if revision.cover_id is None and not revision.images.exists():
            raise ServiceError(
                "发布到微信公众号须有封面图片：请在稿件中上传图片并设为封面", field="cover"
            )
        if len(revision.title) > WECHAT_TITLE_MAX:
            raise ServiceError(
                f"微信公众号文章标题不超过 {WECHAT_TITLE_MAX} 个字（当前 {len(revision.title)} 个字）"
                "，请为微信改编一个短标题",
                field="title",
            )
        if len(revision.body_text) >= richtext.WECHAT_MAX_TEXT_CHARS:
            raise ServiceError(
                f"微信公众号文章正文须少于 {richtext.WECHAT_MAX_TEXT_CHARS} 字", field="body"
            )
    elif code == WEIBO:
        status = weibo.share_text(
            Outgoing(title=revision.title, text=revision.body_text, source_url=revision.source_url)
        )
        if weibo.status_length(status) > weibo.STATUS_LIMIT:
            raise ServiceError(
                f"微博正文（含原文链接）不超过 {weibo.STATUS_LIMIT} 字，当前约 "
                f"{weibo.status_length(status)} 字：请为微博改编一篇短稿（可从本稿件改编）",
                field="body",
            )


def _target(article: Article, target_id) -> ArticleTarget:
    try:
        return ArticleTarget.objects.select_related("account__platform", "account__host_org").get(
            pk=int(target_id), article=article
        )
    except (ArticleTarget.DoesNotExist, TypeError, ValueError):
        raise NotFound("该发布账号不是本稿件的发布账号", field="target") from None


def _locked_for_publishing(actor, article_id: int) -> Article:
    if not may(actor, "publishing.publish"):
        raise Forbidden("您无权发布稿件")
    article = get_scoped(Article.objects.alive(), actor, article_id, "publish")
    return locked_article(article.pk)


def _insert(publication: Publication, account) -> Publication:
    try:
        with transaction.atomic():
            publication.save(force_insert=True)
    except IntegrityError:
        raise Conflict(
            f"该稿件的当前版本已发布或正在发布到“{account.name}”", field="target"
        ) from None
    return publication


def publication_publish(
    *,
    actor,
    article_id: int,
    target_id: int,
    version: int,
    at: datetime | None = None,
    now: datetime | None = None,
) -> Publication:
    """Queue the approved revision for one target account (at once, or at `at`)."""
    now = now or timezone.now()
    with transaction.atomic():
        article = _locked_for_publishing(actor, article_id)
        check_version(article, version, noun="稿件")
        ARTICLE.check(article, "publish")  # the state; the grant is checked per account below
        target = _target(article, target_id)
        account = target.account
        problem = publish_problem(article, account, actor, today=timezone.localdate(now))
        if problem:
            raise problem
        if not publishes_through_api(account.platform.code):
            raise ServiceError(
                f"{account.platform.name}不支持通过接口发布：请在该平台的客户端发布后登记发布记录",
                field="target",
                code="manual_only",
            )
        revision = article.current_revision
        _preflight(revision, account)
        if at is not None and timezone.is_naive(at):
            raise ServiceError("定时发布时间须带时区", field="at")
        scheduled = at is not None and at > now
        publication = _insert(
            Publication(
                article=article,
                revision=revision,
                account=account,
                state=PublicationState.SCHEDULED if scheduled else PublicationState.QUEUED,
                requested_by=actor,
                requested_at=now,
                requested_ip=request_context.current().ip,
                due_at=at if scheduled else now,
            ),
            account,
        )
        audit_record(
            actor=actor,
            action="publication.schedule" if scheduled else "publication.request",
            obj=publication,
            org=article.org,
            after=snapshot(publication, AUDITED) | {"content_hash": revision.content_hash},
        )
        if not scheduled:
            pk = publication.pk
            transaction.on_commit(lambda: _enqueue(pk))
    return publication


def _enqueue(publication_id: int) -> None:
    from django_q.tasks import async_task

    async_task(
        "govmedia.publishing.tasks.publish",
        publication_id,
        q_options={"task_name": f"发布稿件 {publication_id}", "group": "publishing"},
    )


def publication_cancel(
    *, actor, publication_id: int, version: int, reason: str = ""
) -> Publication:
    """Cancel a publication that has not gone out yet (定时待发 or 排队中)."""
    reason = clean_reason(reason, field="reason", label="取消原因", required=False)[:300]
    with transaction.atomic():
        found = get_scoped(Publication.objects.all(), actor, publication_id, "view")
        locked_article(found.article_id)
        publication = Publication.objects.select_for_update(of=("self",)).get(pk=found.pk)
        check_version(publication, version, noun="发布记录")
        PUBLICATION.check(publication, "cancel", actor)
        _cancel(publication, reason or f"{actor.name}取消")
        audit_record(
            actor=actor,
            action="publication.cancel",
            obj=publication,
            org=publication.article.org,
            after={"state": publication.state, "cancel_reason": publication.cancel_reason},
        )
    return publication


def _cancel(publication: Publication, reason: str) -> None:
    publication.state = PublicationState.CANCELLED
    publication.cancelled_at = timezone.now()
    publication.cancel_reason = reason[:300]
    publication.version += 1
    publication.save(update_fields=["state", "cancelled_at", "cancel_reason", "version"])


def cancel_pending(article: Article, reason: str) -> list[int]:
    """Cancel the article's publications that have not gone out (call with the article locked):
    an edit, a withdrawal or a deletion must never be followed by the old text going out."""
    pending = list(
        Publication.objects.select_for_update(of=("self",)).filter(
            article=article, state__in=PENDING_STATES
        )
    )
    for publication in pending:
        _cancel(publication, reason)
    return [publication.pk for publication in pending]


def publication_record_manual(
    *,
    actor,
    article_id: int,
    target_id: int,
    version: int,
    url: str,
    published_at: datetime | None,
    now: datetime | None = None,
) -> Publication:
    """Record a publication made in the platform's own app (抖音, 快手 …): who, when, the link."""
    now = now or timezone.now()
    with transaction.atomic():
        # Who may publish first: a user without the right is refused whatever the input.
        article = _locked_for_publishing(actor, article_id)
        url = clean_link(url, "url", "发布链接")
        if not url:
            raise ServiceError("请填写发布后的作品链接", field="url")
        if not isinstance(published_at, datetime) or timezone.is_naive(published_at):
            raise ServiceError("请填写发布时间", field="published_at")
        if published_at > now:
            raise ServiceError("发布时间不能晚于现在", field="published_at")
        check_version(article, version, noun="稿件")
        ARTICLE.check(article, "publish")
        target = _target(article, target_id)
        account = target.account
        if publishes_through_api(account.platform.code):
            raise ServiceError(
                f"{account.platform.name}应通过本平台发布（先审后发），不能人工登记",
                field="target",
            )
        problem = publish_problem(article, account, actor, today=timezone.localdate(published_at))
        if problem:
            raise problem
        run = approved_run(article)
        if published_at < run.finished_at:
            raise ServiceError(
                "发布时间早于审核通过时间：未经审核的发布不能登记为本稿件的发布（先审后发）",
                field="published_at",
            )
        publication = _insert(
            Publication(
                article=article,
                revision=article.current_revision,
                account=account,
                state=PublicationState.PUBLISHED,
                manual=True,
                requested_by=actor,
                requested_at=now,
                requested_ip=request_context.current().ip,
                due_at=published_at,
                url=url,
                published_at=published_at,
            ),
            account,
        )
        mark_published(article)
        audit_record(
            actor=actor,
            action="publication.record_manual",
            obj=publication,
            org=article.org,
            after=snapshot(publication, AUDITED),
        )
    return publication


def mark_published(article: Article) -> None:
    """已发布: at least one target published (call with the article locked)."""
    if article.state == ArticleState.APPROVED:
        article.state = ArticleState.PUBLISHED
        article.version += 1
        article.save(update_fields=["state", "version", "updated_at"])
