"""Writes of the Q&A library: an entry created or edited (a pending revision), the district
office's review (通过 publishes, 退回 returns with a reason), withdrawing and restoring an entry,
importing an exchange file, and recording which suggestion a clerk took.

Each runs in one transaction with its audit event; the owner unit hears of a review's outcome.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from govmedia.audit.services import audit_record
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may, org_subtree_q
from govmedia.core.text import clean_text
from govmedia.core.versions import check_version
from govmedia.notifications.services import notification_send
from govmedia.orgs.models import Organization

from .content import clean_content
from .lifecycle import REVIEW, USE
from .models import EntryState, QAEntry, QARevision, RevisionState, SuggestionRecord

NOTIFY_REVIEW = "qa_review"


def district_org() -> Organization | None:
    """The district at the root of the tree: it answers for district-wide entries."""
    return Organization.objects.filter(parent__isnull=True).order_by("pk").first()


def _owner(actor, owner_org_id) -> Organization | None:
    """The owner unit the actor may write for: within their subtree; district-wide (None) only
    for the district office."""
    if owner_org_id in (None, ""):
        if not may(actor, "qa.review"):
            raise Forbidden("全区通用条目由区政府办公室维护：请选择本单位为责任单位")
        return None
    try:
        return Organization.objects.filter(org_subtree_q(actor, "")).get(pk=owner_org_id)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise ServiceError("责任单位不存在或不在您的管理范围内", field="owner_org") from None


def _notify_reviewers(entry: QAEntry, revision: QARevision) -> None:
    district = district_org()
    if district is not None:
        notification_send(
            recipient_org=district,
            kind=NOTIFY_REVIEW,
            obj=entry,
            link=reverse("qa:entry", args=[entry.pk]),
            message=f"答问条目“{revision.question[:40]}”第{revision.number}版待审核",
        )


def _revise(*, actor, entry: QAEntry, content: dict, owner, note: str) -> QARevision:
    """A new pending revision; one still waiting is replaced (superseded) by it."""
    QARevision.objects.filter(entry=entry, state=RevisionState.PENDING).update(
        state=RevisionState.SUPERSEDED
    )
    number = (entry.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    revision = QARevision.objects.create(
        entry=entry, number=number, owner_org=owner, author=actor, note=note, **content
    )
    entry.pending_revision = revision
    return revision


def entry_create(*, actor, owner_org_id, content: dict, note: str = "") -> QAEntry:
    """A new entry, its first revision waiting for the district office's review."""
    if not may(actor, "qa.change"):
        raise Forbidden("您无权编写答问条目")
    content = clean_content(content)
    note = clean_text(note, field="note", label="修订说明", max_length=200, multiline=False)
    with transaction.atomic():
        owner = _owner(actor, owner_org_id)
        entry = QAEntry(owner_org=owner, created_by=actor)
        entry.set_content(content)
        entry.save()
        revision = _revise(actor=actor, entry=entry, content=content, owner=owner, note=note)
        entry.save(update_fields=["pending_revision"])
        audit_record(
            actor=actor,
            action="qa.entry_create",
            obj=entry,
            org=owner,
            after=content | {"revision": revision.number},
        )
        _notify_reviewers(entry, revision)
    return entry


def entry_update(*, actor, entry_id: int, version, content: dict, note: str = "") -> QARevision:
    """An edit: a new revision for review. A published entry stays published as it was until
    the revision is approved; an entry never published shows the new draft at once."""
    content = clean_content(content)
    note = clean_text(note, field="note", label="修订说明", max_length=200, multiline=False)
    with transaction.atomic():
        entry = get_scoped(
            QAEntry.objects.select_for_update(of=("self",)), actor, entry_id, "change"
        )
        check_version(entry, version, noun="答问条目")
        if entry.state == EntryState.WITHDRAWN:
            raise ServiceError("已停用的条目不能修改：请先恢复发布或新建条目", code="conflict")
        revision = _revise(
            actor=actor, entry=entry, content=content, owner=entry.owner_org, note=note
        )
        fields = ["pending_revision", "version", "changed_at"]
        if not entry.is_published:
            entry.set_content(content)
            entry.state = EntryState.PENDING
            fields += [*content, "search_tokens", "state"]
        entry.version += 1
        entry.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="qa.entry_update",
            obj=entry,
            org=entry.owner_org,
            after=content | {"revision": revision.number},
        )
        _notify_reviewers(entry, revision)
    return revision


def _locked_revision(actor, revision_id) -> tuple[QARevision, QAEntry]:
    if not may(actor, "qa.review"):
        raise Forbidden("答问条目由区政府办公室审核发布，您无权审核")
    try:
        revision = QARevision.objects.select_for_update().get(pk=revision_id)
    except (QARevision.DoesNotExist, ValueError, TypeError):
        raise ServiceError("对象不存在或您无权访问", code="not_found") from None
    entry = get_scoped(
        QAEntry.objects.select_for_update(of=("self",)), actor, revision.entry_id, "review"
    )
    return revision, entry


def _tell_owner(entry: QAEntry, message: str) -> None:
    recipient = entry.owner_org or district_org()
    if recipient is not None:
        notification_send(
            recipient_org=recipient,
            kind=NOTIFY_REVIEW,
            obj=entry,
            link=reverse("qa:entry", args=[entry.pk]),
            message=message,
        )


def revision_approve(*, actor, revision_id: int, note: str = "") -> QAEntry:
    """Publish the revision: its text replaces what the entry showed, from now on."""
    note = clean_text(note, field="note", label="审核意见", max_length=500)
    with transaction.atomic():
        revision, entry = _locked_revision(actor, revision_id)
        REVIEW.check(revision, "approve", actor)
        before = entry.content()
        now = timezone.now()
        revision.state, revision.reviewed_by, revision.reviewed_at = (
            RevisionState.APPROVED,
            actor,
            now,
        )
        revision.review_note = note
        revision.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
        entry.set_content(revision.content())
        if entry.state != EntryState.WITHDRAWN:
            entry.state = EntryState.PUBLISHED
        entry.published_revision, entry.pending_revision = revision, None
        entry.published_at = now
        entry.version += 1
        entry.save()
        audit_record(
            actor=actor,
            action="qa.revision_approve",
            obj=entry,
            org=entry.owner_org,
            before=before,
            after=entry.content() | {"revision": revision.number},
        )
        _tell_owner(entry, f"答问条目“{entry.question[:40]}”第{revision.number}版已审核发布")
    return entry


def revision_reject(*, actor, revision_id: int, note: str) -> QARevision:
    """Return the revision with the reason; a published entry keeps its published text."""
    with transaction.atomic():
        # Scope first: another unit's revision is "not found", whatever the reason says.
        revision, entry = _locked_revision(actor, revision_id)
        note = clean_text(note, field="note", label="退回理由", required=True, max_length=500)
        REVIEW.check(revision, "reject", actor)
        revision.state, revision.reviewed_by, revision.reviewed_at = (
            RevisionState.REJECTED,
            actor,
            timezone.now(),
        )
        revision.review_note = note
        revision.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
        entry.pending_revision = None
        if entry.state == EntryState.PENDING:
            entry.state = EntryState.RETURNED
        entry.version += 1
        entry.save(update_fields=["pending_revision", "state", "version", "changed_at"])
        audit_record(
            actor=actor,
            action="qa.revision_reject",
            obj=entry,
            org=entry.owner_org,
            after={"revision": revision.number, "note": note},
        )
        _tell_owner(
            entry, f"答问条目“{entry.question[:40]}”第{revision.number}版被退回：{note[:80]}"
        )
    return revision


def _use(*, actor, entry_id: int, version, action: str, reason: str) -> QAEntry:
    reason = clean_text(reason, field="reason", label="理由", required=True, max_length=500)
    with transaction.atomic():
        entry = get_scoped(
            QAEntry.objects.select_for_update(of=("self",)), actor, entry_id, "review"
        )
        check_version(entry, version, noun="答问条目")
        transition = USE.check(entry, action, actor)
        before = entry.state
        entry.state = transition.target
        entry.version += 1
        entry.save(update_fields=["state", "version", "changed_at"])
        audit_record(
            actor=actor,
            action=f"qa.entry_{action}",
            obj=entry,
            org=entry.owner_org,
            before={"state": before},
            after={"state": entry.state, "reason": reason},
        )
    return entry


def entry_withdraw(*, actor, entry_id: int, version, reason: str) -> QAEntry:
    """停用: no longer suggested nor shown to the public (a policy replaced, an office moved)."""
    return _use(actor=actor, entry_id=entry_id, version=version, action="withdraw", reason=reason)


def entry_restore(*, actor, entry_id: int, version, reason: str) -> QAEntry:
    return _use(actor=actor, entry_id=entry_id, version=version, action="restore", reason=reason)


def suggestion_record(
    *, actor, entry_id: int | None, message_ref: str, rank: int | None
) -> SuggestionRecord:
    """The clerk's choice for a message: the entry taken (None: none fitted) and the rank at
    which it was suggested (None: found elsewhere), so the ranking can be measured."""
    if not may(actor, "qa.suggest"):
        raise Forbidden("您无权答复留言")
    message_ref = clean_text(
        message_ref,
        field="message_ref",
        label="留言",
        required=True,
        max_length=100,
        multiline=False,
    )
    if rank is not None and (isinstance(rank, bool) or not 1 <= int(rank) <= 100):
        raise ServiceError("推荐名次应为 1–100 的整数", field="rank")
    with transaction.atomic():
        entry = None
        if entry_id is not None:
            entry = get_scoped(QAEntry.objects.published(), actor, entry_id)
        record = SuggestionRecord.objects.create(
            org=actor.org, actor=actor, entry=entry, message_ref=message_ref, rank=rank
        )
        audit_record(
            actor=actor,
            action="qa.suggestion_record",
            obj=record,
            object_repr=f"{message_ref} → {entry_id}",
            org=actor.org,
            after={"entry": entry_id, "rank": rank, "message_ref": message_ref},
        )
    return record


def entries_import(*, actor, rows, errors=()) -> list[QAEntry]:
    """Import an exchange file's rows as published entries, on the district office's authority
    (`actor` None: the `qa_import` command, run by the server's administrator). All or nothing:
    any bad line rejects the file with every line's error (ImportRejected)."""
    from govmedia.audit.services import Entry, audit_record_many
    from govmedia.core.spreadsheets import ImportRejected, RowError

    from .content import LABELS

    if actor is not None and not may(actor, "qa.review"):
        raise Forbidden("答问库导入须由区政府办公室办理")
    errors = list(errors)
    by_code = {
        org.credit_code: org
        for org in Organization.objects.exclude(credit_code="").only("pk", "credit_code", "path")
    }
    cleaned = []
    for number, item in rows:
        try:
            content = clean_content(item)
        except ServiceError as exc:
            errors.append(RowError(number, LABELS.get(exc.field, exc.field or ""), exc.message))
            continue
        code = item.get("owner_org") or ""
        if not isinstance(code, str):
            errors.append(RowError(number, "owner_org", "应为单位的统一社会信用代码（文本）"))
            continue
        owner = by_code.get(code.strip().upper()) if code.strip() else None
        if code.strip() and owner is None:
            errors.append(RowError(number, "owner_org", f"找不到统一社会信用代码为 {code} 的单位"))
            continue
        cleaned.append((content, owner))
    if errors:
        raise ImportRejected(errors, what="答问条目")
    if not cleaned:
        raise ServiceError("文件中没有答问条目", field="file")
    now = timezone.now()
    with transaction.atomic():
        entries = []
        for content, owner in cleaned:
            entry = QAEntry(
                owner_org=owner, state=EntryState.PUBLISHED, published_at=now, created_by=actor
            )
            entry.set_content(content)
            entries.append(entry)
        entries = QAEntry.objects.bulk_create(entries, batch_size=1000)
        revisions = QARevision.objects.bulk_create(
            [
                QARevision(
                    entry=entry,
                    number=1,
                    state=RevisionState.APPROVED,
                    owner_org=owner,
                    author=actor,
                    reviewed_by=actor,
                    reviewed_at=now,
                    note="导入",
                    review_note="经区政府办公室导入发布",
                    **content,
                )
                for entry, (content, owner) in zip(entries, cleaned, strict=True)
            ],
            batch_size=1000,
        )
        for entry, revision in zip(entries, revisions, strict=True):
            entry.published_revision = revision
        QAEntry.objects.bulk_update(entries, ["published_revision"], batch_size=1000)
        audit_record_many(
            actor=actor,
            action="qa.import",
            entries=[
                Entry(obj=entry, org=entry.owner_org, after=entry.content()) for entry in entries
            ],
        )
    return entries
