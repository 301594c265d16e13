"""Messages: pulled comments (idempotent by the platform's comment id, threads kept), messages
entered by hand or imported from Excel with attachments, and their handling (分办 with the class
confirmed, 退回, 转办, 无需答复, 办结)."""

import hashlib
import mimetypes
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from govmedia.audit.services import Entry, audit_record, audit_record_many
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may, org_subtree_q
from govmedia.core.spreadsheets import (
    ImportRejected,
    RowError,
    cell_text,
    data_rows,
    header_label,
    header_row,
    open_sheet,
    workbook_bytes,
)
from govmedia.core.text import clean_text
from govmedia.core.uploads import read_at_most
from govmedia.core.versions import check_version
from govmedia.notifications.models import NotificationKind
from govmedia.orgs.models import Organization
from govmedia.platforms.base import Comment
from govmedia.registry.models import MediaAccount
from govmedia.users.models import User

from ..classify import suggest_class
from ..deadlines import limits_for
from ..events import MESSAGES_STORED
from ..lifecycle import MESSAGE
from ..models import (
    ENTERED_SOURCES,
    Attachment,
    Message,
    MessageClass,
    MessageState,
    Reply,
    Source,
)
from .common import district_office_users, district_root, locked_message, notify, notify_unit

MAX_TEXT = 5000
EARLIEST_YEAR = 2010  # the working-day calendar starts in 2004; older is a typing error
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
IMPORT_SHEET = "留言"
IMPORT_COLUMNS = ("来源", "政务新媒体", "留言人", "联系方式", "来件编号", "收到时间", "留言内容")
IMPORT_MAX_ROWS = 2000
SOURCE_BY_LABEL = {label: code for code, label in Source.choices if code in ENTERED_SOURCES}


def _summary(message: Message) -> dict:
    return {
        "org": message.org_id,
        "account": message.account_id,
        "source": message.source,
        "state": message.state,
        "class": message.message_class,
        "handler": message.handler_id,
        "due_at": message.due_at.isoformat() if message.due_at else None,
    }


def _new_message(*, org, account, source, text, received_at, **fields) -> Message:
    suggested = suggest_class(text).message_class
    limits = limits_for(received_at, suggested)
    return Message(
        org=org,
        account=account,
        source=source,
        text=text,
        received_at=received_at,
        suggested_class=suggested,
        due_at=limits.due_at,
        remind_at=limits.remind_at,
        district_due_at=limits.district_due_at,
        **fields,
    )


# --- pulled comments ---------------------------------------------------------------------------


def messages_ingest(*, account: MediaAccount, comments: list[Comment]) -> list[Message]:
    """Store the comments not stored yet (by the platform's comment id) as new messages of the
    account's host unit, link each follow-up to the message it answers (its thread), and
    return the new ones. Overlapping pulls of the same comments store each once: the unique
    (account, comment id) constraint decides, and the loser's rows are simply skipped."""
    received = [c for c in comments if not c.by_account and c.comment_id]
    if not received:
        return []
    # Our own replies come back in some lists (Douyin lists them under the comment like anyone's
    # and tells no author): the id the platform gave the reply marks them.
    ours = set(
        Reply.objects.filter(
            message__account=account,
            platform_reply_id__in=[c.comment_id for c in received],
        ).values_list("platform_reply_id", flat=True)
    )
    received = [c for c in received if c.comment_id not in ours]
    if not received:
        return []
    with transaction.atomic():
        known = set(
            Message.objects.filter(
                account=account, platform_comment_id__in=[c.comment_id for c in received]
            ).values_list("platform_comment_id", flat=True)
        )
        fresh = {c.comment_id: c for c in received if c.comment_id not in known}
        if not fresh:
            return []
        rows = [
            _new_message(
                org=account.host_org,
                account=account,
                source=Source.COMMENT,
                text=(c.text or "")[:MAX_TEXT] or "（空）",
                received_at=c.created_at,
                platform_comment_id=c.comment_id,
                platform_post_id=c.post_id,
                post_excerpt=(c.post_text or "")[:300],
                author_name=(c.author_name or "")[:100],
                is_demo=account.is_demo,
            )
            for c in fresh.values()
        ]
        Message.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(
            Message.objects.filter(
                account=account, platform_comment_id__in=list(fresh), created_by__isnull=True
            )
            .exclude(platform_comment_id__in=known)
            .select_related("org")
        )
        _link_threads(account, created, fresh)
        audit_record_many(
            actor=None,
            action="message.pull",
            entries=[Entry(obj=m, org=m.org, after=_summary(m)) for m in created],
        )
        if created:
            MESSAGES_STORED.publish(message_ids=[m.pk for m in created])
    return created


def _link_threads(account, created: list[Message], comments: dict[str, Comment]) -> None:
    """A follow-up (a comment answering another) joins the thread of the message it answers,
    and its unit: the same netizen's matter stays with whoever handles it."""
    wanted = {comments[m.platform_comment_id].reply_to_id for m in created} - {""}
    if not wanted:
        return
    parents = {
        m.platform_comment_id: m
        for m in Message.objects.filter(account=account, platform_comment_id__in=wanted)
    }
    for message in created:
        parent = parents.get(comments[message.platform_comment_id].reply_to_id)
        if parent is None or parent.pk == message.pk:
            continue
        message.parent = parent
        message.thread_root_id = parent.thread_root_id or parent.pk
        message.org_id = parent.org_id
        message.save(update_fields=["parent", "thread_root", "org"])


# --- entered by hand and imported --------------------------------------------------------------


def _clean_entry(
    actor, *, org_id, account_id, source, text, received_at, author_name, author_contact, reference
):
    if source not in ENTERED_SOURCES:
        raise ServiceError("请选择来源（私信、12345转办、来信或其他）", field="source")
    text = clean_text(text, field="text", label="留言内容", required=True, max_length=MAX_TEXT)
    author_name = clean_text(
        author_name, field="author_name", label="留言人", max_length=100, multiline=False
    )
    author_contact = clean_text(
        author_contact, field="author_contact", label="联系方式", max_length=100, multiline=False
    )
    reference = clean_text(
        reference, field="reference", label="来件编号", max_length=60, multiline=False
    )
    if not isinstance(received_at, datetime):
        raise ServiceError("请填写收到时间", field="received_at")
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    if received_at > timezone.now():
        raise ServiceError("收到时间不能晚于现在", field="received_at")
    if received_at.year < EARLIEST_YEAR:
        raise ServiceError(f"收到时间不能早于 {EARLIEST_YEAR} 年", field="received_at")
    account = None
    if account_id:
        account = get_scoped(MediaAccount.objects.all(), actor, account_id)
        org = account.host_org
    else:
        try:
            org = Organization.objects.restrict(actor).get(pk=org_id)
        except (Organization.DoesNotExist, ValueError, TypeError):
            raise ServiceError("请选择承办单位（本单位或下级单位）", field="org") from None
    if not Organization.objects.filter(org_subtree_q(actor, ""), pk=org.pk).exists():
        raise Forbidden("只能为本单位及下级单位登记留言", field="org")
    return dict(
        org=org,
        account=account,
        source=source,
        text=text,
        received_at=received_at,
        author_name=author_name,
        author_contact=author_contact,
        reference=reference,
    )


def _read_attachment(upload) -> tuple[str, bytes, str]:
    name = str(getattr(upload, "name", "") or "附件")[:200]
    data = read_at_most(upload, MAX_ATTACHMENT_BYTES)
    if data is None:
        raise ServiceError(
            f"附件“{name}”超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB", field="attachments"
        )
    if not data:
        raise ServiceError(f"附件“{name}”为空", field="attachments")
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return name, data, kind


def message_create(
    *,
    actor,
    source: str,
    text: str,
    received_at: datetime,
    org_id: int | None = None,
    account_id: int | None = None,
    author_name: str = "",
    author_contact: str = "",
    reference: str = "",
    attachments=(),
    is_demo: bool = False,
) -> Message:
    """A message that came by no API (私信, 12345 转办, 来信), entered by hand with its files."""
    if not may(actor, "interaction.handle"):
        raise Forbidden("您无权登记留言")
    if len(attachments) > MAX_ATTACHMENTS:
        raise ServiceError(f"附件最多 {MAX_ATTACHMENTS} 个", field="attachments")
    files = [_read_attachment(upload) for upload in attachments]
    with transaction.atomic():
        fields = _clean_entry(
            actor,
            org_id=org_id,
            account_id=account_id,
            source=source,
            text=text,
            received_at=received_at,
            author_name=author_name,
            author_contact=author_contact,
            reference=reference,
        )
        message = _new_message(**fields, created_by=actor, is_demo=is_demo)
        message.save()
        for name, data, kind in files:
            digest = hashlib.sha256(data).hexdigest()[:16]
            attachment = Attachment(
                message=message, name=name, size=len(data), content_type=kind, uploaded_by=actor
            )
            attachment.file.save(f"{message.pk}-{digest}-{name[-60:]}", ContentFile(data), False)
            attachment.save()
        audit_record(
            actor=actor,
            action="message.create",
            obj=message,
            org=message.org,
            after=_summary(message) | {"attachments": [name for name, _, _ in files]},
        )
        MESSAGES_STORED.publish(message_ids=[message.pk])
    return message


def message_import(*, actor, upload, org_id: int | None = None) -> list[Message]:
    """Messages from the Excel template (sheet 留言: 来源, 政务新媒体, 留言人, 联系方式, 来件编号,
    收到时间, 留言内容), all or none: any row in error rejects the file with every error listed."""
    if not may(actor, "interaction.handle"):
        raise Forbidden("您无权导入留言")
    data = workbook_bytes(upload)
    rows, errors = [], []
    accounts = {a.name: a.pk for a in MediaAccount.objects.restrict(actor)}
    with open_sheet(data, IMPORT_SHEET) as sheet:
        header = tuple(header_label(v) for v in header_row(sheet))
        if header[: len(IMPORT_COLUMNS)] != IMPORT_COLUMNS:
            raise ServiceError(
                "表头应为：" + "、".join(IMPORT_COLUMNS) + "（请使用导入模板）", field="file"
            )
        for number, values in data_rows(sheet, width=len(IMPORT_COLUMNS), max_rows=IMPORT_MAX_ROWS):
            values = list(values) + [None] * (len(IMPORT_COLUMNS) - len(values))
            source = SOURCE_BY_LABEL.get(cell_text(values[0]))
            account_name = cell_text(values[1])
            received = values[5]
            if source is None:
                errors.append(RowError(number, "来源", "应为 私信、12345转办、来信 或 其他"))
                continue
            if account_name and account_name not in accounts:
                errors.append(RowError(number, "政务新媒体", f"找不到“{account_name}”"))
                continue
            if not isinstance(received, datetime):
                errors.append(RowError(number, "收到时间", "应为日期时间，如 2026-11-30 09:30"))
                continue
            rows.append((number, source, accounts.get(account_name), values))
    if errors:
        raise ImportRejected(errors)
    made = []
    with transaction.atomic():
        for number, source, account_id, values in rows:
            try:
                made.append(
                    message_create(
                        actor=actor,
                        source=source,
                        account_id=account_id,
                        org_id=org_id or actor.org_id,
                        author_name=cell_text(values[2]),
                        author_contact=cell_text(values[3]),
                        reference=cell_text(values[4]),
                        received_at=values[5],
                        text=cell_text(values[6]),
                    )
                )
            except ServiceError as exc:
                errors.append(RowError(number, exc.field or "留言内容", exc.message))
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportRejected(errors)
    return made


# --- handling ----------------------------------------------------------------------------------


def _set_class(message: Message, message_class: str, actor) -> None:
    if message_class not in MessageClass.values:
        raise ServiceError("请选择分类", field="message_class")
    message.message_class = message_class
    message.class_confirmed_by = actor
    limits = limits_for(message.received_at, message_class)
    # From the receipt, never from now: a reclassification or a 转办 does not restart the clock.
    message.due_at, message.remind_at = limits.due_at, limits.remind_at
    message.district_due_at = limits.district_due_at


def message_assign(
    *,
    actor,
    message_id: int,
    version: int,
    message_class: str,
    handler_id: int | None = None,
    no_reply_reason: str = "",
) -> Message:
    """分办: confirm the class and name the handler; 无需答复 closes it, with a reason."""
    with transaction.atomic():
        message = locked_message(actor, message_id, "assign")
        check_version(message, version, noun="留言")
        before = _summary(message)
        if message_class == MessageClass.NO_REPLY:
            MESSAGE.check(message, "dismiss", actor)
            reason = clean_text(
                no_reply_reason,
                field="no_reply_reason",
                label="无需答复理由",
                required=True,
                max_length=200,
                required_message="选择“无需答复”须填写理由（如广告、辱骂、无实际内容）",
            )
            _set_class(message, message_class, actor)
            message.no_reply_reason = reason
            message.state = MessageState.CLOSED
            message.closed_at = timezone.now()
        else:
            MESSAGE.check(message, "assign", actor)
            _set_class(message, message_class, actor)
            handler = None
            if handler_id:
                handler = (
                    User.objects.filter(pk=handler_id, is_active=True, role__in=_HANDLER_ROLES)
                    .filter(org_subtree_q(actor, "org"), org__isnull=False)
                    .select_related("org")
                    .first()
                )
                if handler is None:
                    raise ServiceError("经办人应为本单位的编辑或单位管理员", field="handler")
            message.handler = handler
            message.state = MessageState.HANDLING
        message.version += 1
        message.save()
        audit_record(
            actor=actor,
            action="message.assign",
            obj=message,
            org=message.org,
            before=before,
            after=_summary(message),
        )
        if message.handler is not None and message.handler_id != getattr(actor, "pk", None):
            notify(
                [message.handler],
                kind=NotificationKind.MESSAGE_ASSIGNED,
                message=message,
                text=f"留言“{message.text[:40]}”已分办给您，请于 "
                f"{timezone.localtime(message.due_at):%Y-%m-%d %H:%M} 前答复",
            )
    return message


_HANDLER_ROLES = ("editor", "unit_admin", "platform_admin")


def message_return(*, actor, message_id: int, version: int, reason: str) -> Message:
    """退回: not this unit's matter; back to the district office to 转办 (the receipt time
    stays, so the public's wait keeps counting)."""
    with transaction.atomic():
        message = locked_message(actor, message_id, "assign")
        check_version(message, version, noun="留言")
        MESSAGE.check(message, "return", actor)
        reason = clean_text(reason, field="reason", label="退回理由", required=True, max_length=200)
        before = _summary(message)
        root = district_root()
        message.org = root or message.org
        message.state = MessageState.NEW
        message.handler = None
        message.return_reason = reason
        message.version += 1
        message.save()
        audit_record(
            actor=actor,
            action="message.return",
            obj=message,
            org=message.org,
            before=before,
            after=_summary(message) | {"reason": reason},
        )
        notify(
            district_office_users(),
            kind=NotificationKind.MESSAGE_RETURNED,
            message=message,
            text=f"留言“{message.text[:40]}”被退回：{reason}，请转办",
        )
    return message


def message_transfer(
    *, actor, message_id: int, version: int, org_id: int, reason: str = ""
) -> Message:
    """转办 (the district office): the message goes to another unit, 待分办 there; its receipt
    time and time limit stay as they were."""
    with transaction.atomic():
        message = locked_message(actor, message_id, "dispatch")
        check_version(message, version, noun="留言")
        MESSAGE.check(message, "transfer", actor)
        try:
            org = Organization.objects.active().get(pk=org_id)
        except (Organization.DoesNotExist, ValueError, TypeError):
            raise ServiceError("请选择承办单位（在用的单位）", field="org") from None
        if org.pk == message.org_id:
            raise ServiceError("转办单位与当前承办单位相同", field="org")
        reason = clean_text(reason, field="reason", label="转办说明", max_length=200)
        before = _summary(message)
        message.org = org
        message.state = MessageState.NEW
        message.handler = None
        message.transfers += 1
        message.version += 1
        message.save()
        audit_record(
            actor=actor,
            action="message.transfer",
            obj=message,
            org=org,
            before=before,
            after=_summary(message) | {"reason": reason},
        )
        notify_unit(
            org,
            kind=NotificationKind.MESSAGE_TRANSFERRED,
            message=message,
            text=f"区政府办公室转办留言“{message.text[:40]}”，请于 "
            f"{timezone.localtime(message.due_at):%Y-%m-%d %H:%M} 前答复",
        )
    return message


def message_close(*, actor, message_id: int, version: int) -> Message:
    """办结: the answer is out and nothing is left to follow up."""
    with transaction.atomic():
        message = locked_message(actor, message_id, "handle")
        check_version(message, version, noun="留言")
        MESSAGE.check(message, "close", actor)
        before = _summary(message)
        message.state = MessageState.CLOSED
        message.closed_at = timezone.now()
        message.version += 1
        message.save()
        audit_record(
            actor=actor,
            action="message.close",
            obj=message,
            org=message.org,
            before=before,
            after=_summary(message),
        )
    return message
