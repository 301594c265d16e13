"""发布申请 (PublishRequest): a unit asks the 政府网 accounts to publish its article.

The district's review is the publishing app's, not a second engine: accepting a request makes a
district article (the district office's, a copy of the requested revision, targeting the chosen
政府网 accounts) and submits it, so the flow in force for the district office's articles applies
(resolve_flow), with its steps, deadlines, reminders and the 先审后发 proof. The request follows
that article: publishing's REVIEW_FINISHED tells it the run's outcome (on_review_finished) and
the pull's post-to-revision matcher tells it the post that published it (on_posts_ingested).
"""

import re
from datetime import datetime

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.roles import Role
from govmedia.core.scope import get_scoped, may
from govmedia.core.text import clean_text
from govmedia.core.versions import check_version
from govmedia.notifications.models import NotificationKind
from govmedia.notifications.services import notification_send_each
from govmedia.publishing.models import Article, ArticleState, MatchState, PostMatch, RunState
from govmedia.publishing.services.articles import (
    article_create,
    article_delete,
    article_image_add,
    article_revise,
    article_submit,
)
from govmedia.registry.models import AccountStatus, MediaAccount
from govmedia.users.models import User

from ..lifecycle import REQUEST
from ..models import OPEN_REQUEST_STATES, PublishedVia, PublishRequest, RequestState
from .common import link, notify_unit, save_audited
from .tasks import clean_url

MAX_NOTE = 2000
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
AUDITED = [
    "state",
    "proposed_at",
    "district_article",
    "return_reason",
    "post",
    "published_url",
    "published_at",
    "published_via",
]
# Articles the unit has approved itself (先审后发 at the unit first) may be requested.
REQUESTABLE = (ArticleState.APPROVED, ArticleState.PUBLISHED)


def government_site_accounts():
    """The 政府网 accounts a request may name: marked in the registry, running."""
    return MediaAccount.objects.filter(
        is_government_site=True, status=AccountStatus.RUNNING
    ).select_related("platform", "host_org")


def district_office():
    """Who handles requests: the district office's platform administrators."""
    return User.objects.filter(is_active=True, role=Role.PLATFORM_ADMIN).select_related("org")


def _request_link(request: PublishRequest) -> str:
    return link("coordination:request", request_id=request.pk)


def _settle(request: PublishRequest, before: dict, *, actor, action: str, outcome: str = ""):
    """The request's change saved and audited; its outcome, if any, told to the requesting
    unit: the person who asked and the unit's administrators, one notification each."""
    save_audited(request, before, actor=actor, action=action, org=request.org, fields=AUDITED)
    if outcome:
        asker = request.requested_by if request.requested_by.is_active else None
        notify_unit(
            request.org,
            kind=NotificationKind.PUBLISH_REQUEST_OUTCOME,
            obj=request,
            url=_request_link(request),
            message=outcome,
            also=[asker],
        )


def _accounts(account_ids) -> list[MediaAccount]:
    try:
        ids = list(dict.fromkeys(int(pk) for pk in (account_ids or ())))
    except (TypeError, ValueError):
        raise ServiceError("请选择政府网账号", field="account_ids") from None
    if not ids:
        raise ServiceError("请至少选择一个政府网账号", field="account_ids")
    found = {a.pk: a for a in government_site_accounts().filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ServiceError(
            "只能向区政府办公室登记的、正常运行的政府网账号提交发布申请", field="account_ids"
        )
    return [found[pk] for pk in ids]


def _clean_proposed(value, now: datetime) -> datetime:
    if not isinstance(value, datetime):
        raise ServiceError("请填写拟发布时间", field="proposed_at")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value < now.replace(second=0, microsecond=0):
        raise ServiceError("拟发布时间不能早于现在", field="proposed_at")
    return value


def publish_request_submit(
    *,
    actor,
    article_id: int,
    account_ids,
    proposed_at: datetime,
    note: str = "",
    now: datetime | None = None,
) -> PublishRequest:
    """The unit asks the 政府网 accounts to publish its approved article. A second submit of the
    same article while a request is open returns that request (a double click makes one)."""
    if not may(actor, "coordination.request") or not may(actor, "publishing.write"):
        raise Forbidden("您无权提交发布申请")
    now = now or timezone.now()
    note = clean_text(note, field="note", label="申请说明", max_length=MAX_NOTE)
    with transaction.atomic():
        get_scoped(Article.objects.alive(), actor, article_id, "write")
        # The article's row lock serialises two submits of it (the unique index backs it up).
        article = (
            Article.objects.select_for_update(of=("self",))
            .select_related("org", "current_revision")
            .get(pk=article_id)
        )
        existing = PublishRequest.objects.filter(
            article=article, state__in=OPEN_REQUEST_STATES
        ).first()
        if existing is not None:
            return existing
        if article.state not in REQUESTABLE:
            raise ServiceError(
                "稿件须先经本单位审核通过，才能申请由政府网账号发布", field="article_id"
            )
        accounts = _accounts(account_ids)
        proposed_at = _clean_proposed(proposed_at, now)
        try:
            with transaction.atomic():
                request = PublishRequest.objects.create(
                    org=article.org,
                    article=article,
                    revision=article.current_revision,
                    title=article.current_revision.title,
                    proposed_at=proposed_at,
                    note=note,
                    requested_by=actor,
                    requested_at=now,
                    is_demo=article.is_demo,
                )
        except IntegrityError:
            return PublishRequest.objects.get(article=article, state__in=OPEN_REQUEST_STATES)
        request.accounts.set(accounts)
        audit_record(
            actor=actor,
            action="publish_request.submit",
            obj=request,
            org=request.org,
            after={
                **snapshot(request, AUDITED),
                "article": article.pk,
                "revision": request.revision.number,
                "accounts": [a.pk for a in accounts],
            },
        )
        names = "、".join(a.name for a in accounts)
        notification_send_each(
            recipients=list(district_office()),
            kind=NotificationKind.PUBLISH_REQUESTED,
            obj=request,
            link=_request_link(request),
            message=f"{request.org.name}申请在{names}发布“{request.title}”，"
            f"拟于 {timezone.localtime(proposed_at):%Y-%m-%d %H:%M} 发布，请受理",
        )
    return request


def _locked(
    actor, request_id: int, *, scope: str, version, transition: str
) -> tuple[PublishRequest, dict]:
    """The request within the actor's scope (404 otherwise), locked, at the version the actor
    saw and allowed the transition; with its audited fields as they are before the change."""
    get_scoped(PublishRequest.objects.all(), actor, request_id, scope)
    request = (
        PublishRequest.objects.select_for_update(of=("self",))
        .select_related("org", "requested_by", "revision", "district_article")
        .get(pk=request_id)
    )
    check_version(request, version, noun="发布申请")
    REQUEST.check(request, transition, actor)
    return request, snapshot(request, AUDITED)


def publish_request_accept(
    *, actor, request_id: int, version, now: datetime | None = None
) -> PublishRequest:
    """受理: the district article is made from the requested revision and submitted to the
    district's review flow."""
    now = now or timezone.now()
    with transaction.atomic():
        request, before = _locked(
            actor, request_id, scope="view", version=version, transition="accept"
        )
        district_article = _district_copy(actor, request)
        article_submit(
            actor=actor, article_id=district_article.pk, version=district_article.version, now=now
        )
        request.state = RequestState.IN_REVIEW
        request.district_article = district_article
        request.accepted_by, request.accepted_at = actor, now
        _settle(
            request,
            before,
            actor=actor,
            action="publish_request.accept",
            outcome=f"发布申请“{request.title}”已受理，进入区级审核",
        )
    return request


def _district_copy(actor, request: PublishRequest) -> Article:
    """The district article: the requested revision (title, body, 原文链接, pictures and cover)
    as an article of the district office for the chosen accounts. Its pictures are the
    unit's files stored again for it (an article shows only its own images)."""
    revision = request.revision
    pictures = list(revision.images.all())
    if revision.cover_id is not None and revision.cover not in pictures:
        pictures.append(revision.cover)
    common = {
        "title": revision.title,
        "source_url": revision.source_url,
    }
    article = article_create(
        actor=actor,
        org_id=actor.org_id,
        content_class=revision.content_class,
        body_html=_IMG.sub("", revision.body_html) if pictures else revision.body_html,
        target_ids=list(request.accounts.values_list("pk", flat=True)),
        is_demo=request.is_demo,
        **common,
    )
    if not pictures:
        return article
    body, cover_id = revision.body_html, None
    for picture in pictures:
        with picture.file.open("rb") as stored:
            upload = File(stored, name=picture.original_name or picture.file.name)
            copy = article_image_add(actor=actor, article_id=article.pk, upload=upload)
        body = body.replace(f'src="{picture.file.url}"', f'src="{copy.file.url}"')
        if picture.pk == revision.cover_id:
            cover_id = copy.pk
    return article_revise(
        actor=actor,
        article_id=article.pk,
        version=Article.objects.get(pk=article.pk).version,
        body_html=body,
        cover_image_id=cover_id,
        **common,
    )


def publish_request_return(
    *, actor, request_id: int, version, reason: str, now: datetime | None = None
) -> PublishRequest:
    """The district office returns the request with its reason (its district article, if any
    and not published, is withdrawn from review by deleting it)."""
    reason = clean_text(
        reason, field="reason", label="退回理由", required=True, max_length=MAX_NOTE
    )
    now = now or timezone.now()
    with transaction.atomic():
        request, before = _locked(
            actor, request_id, scope="view", version=version, transition="return"
        )
        draft = request.district_article
        if draft is not None and not draft.is_deleted and draft.state != ArticleState.PUBLISHED:
            article_delete(actor=actor, article_id=draft.pk, version=draft.version)
        outcome = _returned(request, reason=reason, by=actor, now=now)
        _settle(request, before, actor=actor, action="publish_request.return", outcome=outcome)
    return request


def _returned(request: PublishRequest, *, reason: str, by, now: datetime) -> str:
    """The request returned with the reason; what the unit is told."""
    request.state = RequestState.RETURNED
    request.return_reason, request.returned_by, request.returned_at = reason, by, now
    return f"发布申请“{request.title}”已退回：{reason[:200]}"


def publish_request_withdraw(*, actor, request_id: int, version) -> PublishRequest:
    """The requesting unit takes its request back before the district office accepts it."""
    with transaction.atomic():
        request, before = _locked(
            actor, request_id, scope="request", version=version, transition="withdraw"
        )
        request.state = RequestState.WITHDRAWN
        _settle(request, before, actor=actor, action="publish_request.withdraw")
    return request


def publish_request_mark_published(
    *, actor, request_id: int, version, url: str, now: datetime | None = None
) -> PublishRequest:
    """The district office records the link of the publication (a platform the pull does not
    reach, or before the pull comes)."""
    now = now or timezone.now()
    with transaction.atomic():
        # Who may record it first: a user without the right is refused whatever the link.
        request, before = _locked(
            actor, request_id, scope="view", version=version, transition="publish"
        )
        url = clean_url(url)
        outcome = _published(request, url=url, at=now, via=PublishedVia.MARKED)
        _settle(request, before, actor=actor, action="publish_request.publish", outcome=outcome)
    return request


def _published(request: PublishRequest, *, url: str, at: datetime, via: str, post=None) -> str:
    """The request published at the link; what the unit is told."""
    request.state = RequestState.PUBLISHED
    request.published_url, request.published_at, request.published_via = url, at, via
    request.post = post
    return f"发布申请“{request.title}”已发布：{url}"


# --- following the district article --------------------------------------------------------


def on_review_finished(*, article_id: int, state: str, reason: str, actor) -> None:
    """Subscriber of publishing's REVIEW_FINISHED, inside the deciding transaction."""
    request = (
        PublishRequest.objects.select_for_update(of=("self",))
        .select_related("org", "requested_by")
        .filter(district_article_id=article_id, state=RequestState.IN_REVIEW)
        .first()
    )
    if request is None:
        return
    before = snapshot(request, AUDITED)
    if state == RunState.APPROVED:
        REQUEST.check(request, "approve")
        request.state = RequestState.APPROVED
        action = "publish_request.approve"
        outcome = f"发布申请“{request.title}”已通过区级审核，待政府网账号发布"
    else:
        REQUEST.check(request, "review_return")
        verb = "驳回" if state == RunState.REJECTED else "退回"
        action = "publish_request.return"
        outcome = _returned(
            request, reason=f"区级审核{verb}：{reason}", by=actor, now=timezone.now()
        )
    _settle(request, before, actor=actor, action=action, outcome=outcome)


def confirm_published(post_ids) -> int:
    """The posts the matcher of 先审后发 matched to an approved district article of a request
    publish it: the request is 已发布 with the post's link. How many requests it confirmed."""
    matches = (
        PostMatch.objects.filter(
            post_id__in=list(post_ids),
            state=MatchState.MATCHED,
            revision__article_id__in=PublishRequest.objects.filter(
                state=RequestState.APPROVED
            ).values("district_article_id"),
        )
        .select_related("post", "revision")
        .order_by("published_at", "pk")
    )
    confirmed = 0
    for match in matches:
        with transaction.atomic():
            request = (
                PublishRequest.objects.select_for_update(of=("self",))
                .select_related("org", "requested_by")
                .filter(district_article_id=match.revision.article_id, state=RequestState.APPROVED)
                .first()
            )
            if request is None:
                continue
            before = snapshot(request, AUDITED)
            post = match.post
            outcome = _published(
                request,
                url=post.link or post.url,
                at=post.published_at,
                via=PublishedVia.PULL,
                post=post,
            )
            _settle(request, before, actor=None, action="publish_request.publish", outcome=outcome)
            confirmed += 1
    return confirmed
