"""Writing articles: create, revise, add an image, submit for review, withdraw, delete.

Every change of what would be published (title, body, 原文链接, cover, content class, targets)
is a new immutable Revision, and brings the article back to 草稿: the run under way is void
(已作废) and any publication waiting to go out is cancelled, so an approval never carries over
to a text it did not see. Submitting starts a run of the flow in force (services.flows).
"""

import hashlib
import unicodedata
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from govmedia.audit.services import audit_record
from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.core.scope import get_scoped, may, org_subtree_q
from govmedia.core.text import clean_text
from govmedia.core.versions import check_version
from govmedia.monitoring.services import clean_link
from govmedia.notifications.models import NotificationKind
from govmedia.orgs.models import Organization, OrgStatus
from govmedia.registry.models import AccountStatus, MediaAccount

from .. import findings as screening
from .. import images, inbox, richtext
from ..lifecycle import ARTICLE, active_run, contributor_ids
from ..models import (
    Article,
    ArticleState,
    ArticleTarget,
    ContentClass,
    ReviewRun,
    Revision,
    RevisionImage,
    RunState,
    StepState,
)
from .common import locked_article, notify_users
from .flows import plan_run
from .reviews import activate_step

MAX_TITLE = 64
_UNCHANGED = object()


@dataclass(frozen=True)
class Draft:
    """A revision's content, checked and normalised, before it is stored."""

    title: str
    body_html: str
    body_text: str
    source_url: str
    content_class: str
    accounts: tuple  # MediaAccount, in the order chosen
    cover: RevisionImage | None
    images: tuple  # RevisionImage shown in the body

    @property
    def content_hash(self) -> str:
        return content_hash(
            self.title, self.body_html, self.source_url, self.cover.sha256 if self.cover else ""
        )


def content_hash(title: str, body_html: str, source_url: str = "", cover_sha256: str = "") -> str:
    """sha256 over a canonical form of what is published: the title and the sanitised HTML (NFC,
    so the same characters typed differently hash alike), the 原文链接 and the cover's hash.
    Body images are named by their own sha256 in the HTML, so they are covered too."""
    parts = ("govmedia.revision.v1", title, body_html, source_url, cover_sha256)
    canonical = "\x1f".join(unicodedata.normalize("NFC", part) for part in parts)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- checking the input ----------------------------------------------------------------------


def _clean_title(title) -> str:
    title = " ".join(clean_text(title, field="title", label="标题", multiline=False).split())
    if not title:
        raise ServiceError("请填写标题", field="title")
    if len(title) > MAX_TITLE:
        raise ServiceError(
            f"标题不得超过 {MAX_TITLE} 个字（当前 {len(title)} 个字）", field="title"
        )
    return title


def _clean_body(body_html) -> tuple[str, str]:
    if not isinstance(body_html, str):
        raise ServiceError("正文应为文本", field="body")
    try:
        html = richtext.sanitize(body_html)
        text = richtext.plain_text(html)
    except ValueError as exc:
        raise ServiceError(str(exc), field="body", code="too_large") from None
    if not text.strip() and "<img" not in html:
        raise ServiceError("请填写正文", field="body")
    return html, text


def _clean_class(content_class) -> str:
    if content_class not in ContentClass.values:
        raise ServiceError("请选择内容类别", field="content_class")
    return content_class


def _unit(actor, org_id) -> Organization:
    org = Organization.objects.filter(org_subtree_q(actor, ""), pk=org_id).first()
    if org is None:
        raise Forbidden("只能为本单位及下级单位撰写稿件", field="org")
    if org.status != OrgStatus.ACTIVE:
        raise ServiceError(f"“{org.name}”已撤销或整合，不能再撰写稿件", field="org")
    return org


def _accounts(actor, org: Organization, account_ids) -> tuple:
    """The target accounts, in the order given: running accounts of the unit or its subtree."""
    ids = list(dict.fromkeys(int(pk) for pk in (account_ids or ())))
    accounts = {
        account.pk: account
        for account in MediaAccount.objects.restrict(actor, "view")
        .filter(pk__in=ids)
        .select_related("platform", "host_org")
    }
    for pk in ids:
        account = accounts.get(pk)
        if account is None or not account.host_org.path.startswith(org.path):
            raise ServiceError(
                "只能选择本单位（及下级单位）的政务新媒体作为发布账号", field="targets"
            )
        if account.status != AccountStatus.RUNNING:
            raise ServiceError(
                f"“{account.name}”{account.get_status_display()}，不能发布", field="targets"
            )
    return tuple(accounts[pk] for pk in ids)


def _images(article: Article | None, body_html: str, cover_image_id) -> tuple:
    """The article's images the body shows, and the cover; a site image of another article (or
    none we stored) is refused, so a revision never depends on a file it does not own."""
    stored = {image.file.url: image for image in article.images.all()} if article else {}
    shown = []
    for src in richtext.image_sources(body_html):
        if src.startswith("/") and src not in stored:
            raise ServiceError("正文中的图片不是本稿件上传的图片，请重新上传后插入", field="body")
        if src in stored and stored[src] not in shown:
            shown.append(stored[src])
    cover = None
    if cover_image_id is not None:
        cover = next((i for i in stored.values() if i.pk == int(cover_image_id)), None)
        if cover is None:
            raise ServiceError("封面须是本稿件上传的图片", field="cover")
    return cover, tuple(shown)


def _draft(
    *, actor, article, org, title, body_html, source_url, content_class, account_ids, cover_id
) -> Draft:
    title = _clean_title(title)
    html, text = _clean_body(body_html)
    source_url = clean_link(source_url, "source_url", "原文链接")
    content_class = _clean_class(content_class)
    accounts = _accounts(actor, org, account_ids)
    cover, shown = _images(article, html, cover_id)
    return Draft(title, html, text, source_url, content_class, accounts, cover, shown)


def _store_revision(actor, article: Article, draft: Draft) -> Revision:
    findings, lexicon_version = screening.screen_revision(
        org=article.org, title=draft.title, body_text=draft.body_text
    )
    number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = Revision(
        article=article,
        number=number,
        title=draft.title,
        body_html=draft.body_html,
        body_text=draft.body_text,
        source_url=draft.source_url,
        content_class=draft.content_class,
        targets=[{"id": a.pk, "name": a.name, "platform": a.platform.code} for a in draft.accounts],
        cover=draft.cover,
        content_hash=draft.content_hash,
        author=actor,
        findings=findings,
        lexicon_version=lexicon_version,
    )
    revision.save()
    if draft.images:
        revision.images.set(draft.images)
    return revision


def _set_targets(article: Article, accounts: tuple) -> None:
    wanted = {account.pk for account in accounts}
    article.targets.exclude(account_id__in=wanted).delete()
    have = set(article.targets.values_list("account_id", flat=True))
    ArticleTarget.objects.bulk_create(
        [ArticleTarget(article=article, account=a) for a in accounts if a.pk not in have]
    )


def _summary(article: Article, revision: Revision) -> dict:
    return {
        "state": article.state,
        "content_class": revision.content_class,
        "revision": revision.number,
        "title": revision.title,
        "content_hash": revision.content_hash,
        "targets": [t["id"] for t in revision.targets],
        "findings": len(revision.findings),
    }


# --- services --------------------------------------------------------------------------------


def article_create(
    *,
    actor,
    org_id: int,
    content_class: str,
    title: str,
    body_html: str,
    target_ids=(),
    source_url: str = "",
    adapted_from_id: int | None = None,
    is_demo: bool = False,
) -> Article:
    """A new article (草稿) with its first revision. `adapted_from_id`: another article of the
    same story, of which this is an adaptation for other platforms."""
    if not may(actor, "publishing.write"):
        raise Forbidden("您无权撰写稿件")
    with transaction.atomic():
        org = _unit(actor, org_id)
        story = None
        if adapted_from_id is not None:
            source = get_scoped(Article.objects.alive(), actor, adapted_from_id, "write")
            story = source.adapted_from or source
        draft = _draft(
            actor=actor,
            article=None,
            org=org,
            title=title,
            body_html=body_html,
            source_url=source_url,
            content_class=content_class,
            account_ids=target_ids,
            cover_id=None,
        )
        article = Article.objects.create(
            org=org,
            adapted_from=story,
            content_class=draft.content_class,
            title=draft.title,
            author=actor,
            is_demo=is_demo,
        )
        revision = _store_revision(actor, article, draft)
        article.current_revision = revision
        article.save(update_fields=["current_revision"])
        _set_targets(article, draft.accounts)
        audit_record(
            actor=actor,
            action="article.create",
            obj=article,
            org=org,
            after=_summary(article, revision),
        )
    return article


def article_revise(
    *,
    actor,
    article_id: int,
    version: int,
    title: str,
    body_html: str,
    content_class: str | None = None,
    target_ids=None,
    source_url: str | None = None,
    cover_image_id=_UNCHANGED,
) -> Article:
    """A new revision. The run under way (if any) is void and pending publications are
    cancelled; the article is a draft again and must be submitted to be reviewed."""
    with transaction.atomic():
        article = _locked(actor, article_id, "write")
        check_version(article, version, noun="稿件")
        ARTICLE.check(article, "revise", actor)
        current = article.current_revision
        draft = _draft(
            actor=actor,
            article=article,
            org=article.org,
            title=title,
            body_html=body_html,
            source_url=current.source_url if source_url is None else source_url,
            content_class=current.content_class if content_class is None else content_class,
            account_ids=([t["id"] for t in current.targets] if target_ids is None else target_ids),
            cover_id=current.cover_id if cover_image_id is _UNCHANGED else cover_image_id,
        )
        if (
            draft.content_hash == current.content_hash
            and draft.content_class == current.content_class
            and [a.pk for a in draft.accounts] == [t["id"] for t in current.targets]
        ):
            raise ServiceError("稿件没有任何修改", field="body", code="unchanged")
        before = _summary(article, current)
        revision = _store_revision(actor, article, draft)
        voided = _void_run(article, RunState.CANCELLED)
        cancelled = _cancel_pending_publications(article, "稿件已修改，须重新审核后发布")
        article.current_revision = revision
        article.title, article.content_class = revision.title, revision.content_class
        article.state = ArticleState.DRAFT
        article.version += 1
        article.save()
        _set_targets(article, draft.accounts)
        inbox.sync(article.pk)
        audit_record(
            actor=actor,
            action="article.revise",
            obj=article,
            org=article.org,
            before=before,
            after=_summary(article, revision)
            | {"voided_run": voided, "cancelled_publications": cancelled},
        )
    return article


def article_image_add(*, actor, article_id: int, upload) -> RevisionImage:
    """Store an image for the article's body or cover (checked by its bytes, ≤ 2 MB). The
    article's version is left alone: uploading is not an edit until a revision shows it."""
    if not may(actor, "publishing.write"):
        raise Forbidden("您无权上传稿件图片")
    name = str(getattr(upload, "name", "") or "")[:200]
    data = _read_upload(upload)
    checked = images.check_image(name, data)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        article = _locked(actor, article_id, "write")
        if article.state == ArticleState.REJECTED:
            raise Conflict("稿件已被驳回，不能再修改")
        existing = article.images.filter(sha256=digest).first()
        if existing is not None:
            return existing
        path = f"publishing/{article.pk}/{digest}.{checked.extension}"
        # Named by its content: a file left by an upload whose transaction rolled back holds
        # these very bytes, and is taken as it is.
        if default_storage.exists(path):
            stored_name = path
        else:
            stored_name = default_storage.save(path, ContentFile(data))
        try:
            image = RevisionImage(
                article=article,
                sha256=digest,
                content_type=checked.content_type,
                size=len(data),
                width=checked.width,
                height=checked.height,
                original_name=name,
                uploaded_by=actor,
            )
            image.file.name = stored_name
            image.save()
        except IntegrityError:  # the same image, uploaded at the same moment by someone else
            raise Conflict("该图片正在由他人上传，请刷新后重试", field="image") from None
        audit_record(
            actor=actor,
            action="article.image_add",
            obj=article,
            org=article.org,
            after={"image": image.pk, "file": stored_name, "sha256": digest, "size": len(data)},
        )
    return image


def _read_upload(upload) -> bytes:
    if isinstance(upload, bytes | bytearray):
        return bytes(upload)
    if hasattr(upload, "seek"):
        upload.seek(0)
    chunks, size = [], 0
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        size += len(chunk)
        if size > images.MAX_BYTES:
            raise ServiceError(
                f"图片超过 2 MB（当前至少 {size / 1024 / 1024:.1f} MB），请压缩后再上传",
                field="image",
            )
        chunks.append(chunk)
    return b"".join(chunks)


def article_submit(*, actor, article_id: int, version: int, now=None) -> ReviewRun:
    """Start a run of the flow in force for the current revision (先审后发).

    Refused while the text has a `block` finding (screened again now, with the lexicons of the
    moment), while it has no target, and when the flow has a step nobody may act on."""
    now = now or timezone.now()
    with transaction.atomic():
        article = _locked(actor, article_id, "write")
        check_version(article, version, noun="稿件")
        ARTICLE.check(article, "submit", actor)
        revision = article.current_revision
        accounts = list(article.targets.select_related("account"))
        if not accounts:
            raise ServiceError("请至少选择一个发布账号", field="targets")
        for target in accounts:
            if target.account.status != AccountStatus.RUNNING:
                raise ServiceError(
                    f"发布账号“{target.account.name}”{target.account.get_status_display()}，"
                    "请修改发布账号",
                    field="targets",
                )
        findings, lexicon_version = _findings_now(article, revision)
        blocked = screening.blocking(findings)
        if blocked:
            raise screening.block_error(blocked)
        plan = plan_run(article, exclude=contributor_ids(article.pk))
        try:
            with transaction.atomic():
                run = ReviewRun.objects.create(
                    article=article,
                    revision=revision,
                    revision_hash=revision.content_hash,
                    flow=plan.flow,
                    flow_version=plan.flow.version if plan.flow else 0,
                    flow_name=plan.flow.name if plan.flow else "",
                    submitted_by=actor,
                    started_at=now,
                    findings=findings,
                    lexicon_version=lexicon_version,
                )
        except IntegrityError:
            raise Conflict("该稿件已在审核中") from None
        steps = plan.create_steps(run)
        first = activate_step(steps[0], now=now)
        article.state = ArticleState.IN_REVIEW
        article.version += 1
        article.save(update_fields=["state", "version", "updated_at"])
        inbox.sync(article.pk)
        audit_record(
            actor=actor,
            action="article.submit",
            obj=article,
            org=article.org,
            after={
                "state": article.state,
                "run": run.pk,
                "revision": revision.number,
                "content_hash": revision.content_hash,
                "flow": run.flow_name,
                "steps": [f"{s.label}（{s.get_mode_display()}）" for s in steps],
                "warn_findings": len(screening.warnings(findings)),
            },
        )
        notify_users(
            first.reviewers.select_related("org"),
            kind=NotificationKind.REVIEW_REQUESTED,
            obj=article,
            article_id=article.pk,
            message=f"稿件“{article.title}”待您{first.label}，"
            f"请于 {timezone.localtime(first.due_at):%Y-%m-%d %H:%M} 前审核",
        )
    return run


def _findings_now(article: Article, revision: Revision) -> tuple[list[dict], int]:
    """The revision screened again with the lexicons of the moment: a term the district office
    added since the text was saved still stops it, and the run keeps these findings (each
    approving reviewer acknowledges their `warn`s)."""
    return screening.screen_revision(
        org=article.org, title=revision.title, body_text=revision.body_text
    )


def article_withdraw(*, actor, article_id: int, version: int) -> Article:
    """撤回: the author takes a submitted article back before any reviewer has decided."""
    with transaction.atomic():
        article = _locked(actor, article_id, "write")
        check_version(article, version, noun="稿件")
        ARTICLE.check(article, "withdraw", actor)
        run_id = _void_run(article, RunState.WITHDRAWN)
        article.state = ArticleState.DRAFT
        article.version += 1
        article.save(update_fields=["state", "version", "updated_at"])
        inbox.sync(article.pk)
        audit_record(
            actor=actor,
            action="article.withdraw",
            obj=article,
            org=article.org,
            after={"state": article.state, "run": run_id},
        )
    return article


def article_delete(*, actor, article_id: int, version: int) -> Article:
    """Soft deletion: the article and its history stay (audit), it is never published again.
    A published article is not deleted: what went out stays on record (先审后发 proof)."""
    with transaction.atomic():
        article = _locked(actor, article_id, "write")
        check_version(article, version, noun="稿件")
        ARTICLE.check(article, "delete", actor)
        run_id = _void_run(article, RunState.CANCELLED)
        cancelled = _cancel_pending_publications(article, "稿件已删除")
        article.deleted_at, article.deleted_by = timezone.now(), actor
        article.version += 1
        article.save(update_fields=["deleted_at", "deleted_by", "version", "updated_at"])
        inbox.sync(article.pk)
        audit_record(
            actor=actor,
            action="article.delete",
            obj=article,
            org=article.org,
            after={"run": run_id, "cancelled_publications": cancelled},
        )
    return article


# --- helpers ---------------------------------------------------------------------------------


def _locked(actor, article_id: int, action: str) -> Article:
    """The live article within the actor's scope, locked (NotFound otherwise)."""
    if not may(actor, f"publishing.{action}"):
        raise Forbidden("您无权修改稿件")
    article = get_scoped(Article.objects.alive(), actor, article_id, action)
    article = locked_article(article.pk)
    if article.is_deleted:  # deleted between the two reads
        raise NotFound("对象不存在或您无权访问")
    return article


def _void_run(article: Article, state: str) -> int | None:
    """End the run under way (withdrawn or cancelled) and its open steps; its id, or None."""
    run = active_run(article)
    if run is None:
        return None
    now = timezone.now()
    run.steps.filter(state__in=[StepState.PENDING, StepState.ACTIVE]).update(
        state=StepState.CANCELLED, completed_at=now
    )
    run.state, run.finished_at = state, now
    run.version += 1
    run.save(update_fields=["state", "finished_at", "version"])
    return run.pk


def _cancel_pending_publications(article: Article, reason: str) -> list[int]:
    """Publications not yet handed to a platform are cancelled (the article changed)."""
    from .publications import cancel_pending

    return cancel_pending(article, reason)
