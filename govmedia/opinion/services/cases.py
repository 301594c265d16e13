"""What people do with a 舆情事件: report a signal, assess, raise the level, assign, record
actions, respond, close, reopen, comment. Each is one transaction that locks the case, checks the
version the caller read and the lifecycle's guard, writes the timeline and the audit log, and
notifies whom it concerns."""

from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may, sees_whole_district
from govmedia.core.text import clean_text
from govmedia.core.uploads import check_zip, read_at_most
from govmedia.core.versions import check_version
from govmedia.notifications.models import NotificationKind
from govmedia.orgs.models import Organization
from govmedia.publishing.models import Article, ArticleState

from .. import timers
from ..lifecycle import CASE
from ..models import (
    LEVEL_ORDER,
    Attachment,
    CaseAssignment,
    CaseEvent,
    CaseState,
    EventKind,
    Level,
    OpinionCase,
    OpinionItem,
    SignalKind,
)
from .common import bump, notify_unit, record
from .signals import store_signals

MAX_FILES = 10
MAX_FILE_BYTES = 20 * 1024 * 1024
ALLOWED_EXTENSIONS = {"pdf", "jpg", "jpeg", "png", "docx", "xlsx", "txt", "ofd"}
MAX_NOTE = 5000
AUDIT_FIELDS = ["state", "level", "level_reason", "due_at", "response_url", "closing_report"]


def _locked(actor, case_id, version, action: str) -> OpinionCase:
    case = get_scoped(
        OpinionCase.objects.select_for_update(of=("self",)).select_related("org"), actor, case_id
    )
    check_version(case, version, noun="舆情事件")
    if case.merged_into_id:
        raise ServiceError("该事件已并入另一事件，请在那里办理")
    CASE.check(case, action, actor)
    return case


def _note(value, *, field: str, label: str, required: bool = True) -> str:
    return clean_text(value, field=field, label=label, required=required, max_length=MAX_NOTE)


def _level(value) -> str:
    if value not in Level.values:
        names = "、".join(Level.labels)
        raise ServiceError(f"请选择舆情等级（{names}）", field="level")
    return value


def attachments_read(files) -> list[tuple[str, bytes]]:
    """Uploaded files checked (count, size, type, Office zip bombs) before anything is stored."""
    files = [f for f in (files or []) if f]
    if len(files) > MAX_FILES:
        raise ServiceError(f"附件最多 {MAX_FILES} 个", field="files")
    read = []
    for upload in files:
        name = clean_text(
            getattr(upload, "name", ""), field="files", label="附件名", max_length=200
        )
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in ALLOWED_EXTENSIONS:
            kinds = "、".join(sorted(ALLOWED_EXTENSIONS))
            raise ServiceError(f"附件“{name}”的类型不允许（可上传 {kinds}）", field="files")
        data = read_at_most(upload, MAX_FILE_BYTES)
        if data is None:
            raise ServiceError(
                f"附件“{name}”超过 {MAX_FILE_BYTES // 1024 // 1024} MB", field="files"
            )
        if not data:
            raise ServiceError(f"附件“{name}”是空文件", field="files")
        if extension in ("docx", "xlsx"):
            check_zip(
                data,
                required="[Content_Types].xml",
                not_valid=f"附件“{name}”不是有效的 Office 文件",
                field="files",
            )
        read.append((name, data))
    return read


def _store_files(files: list[tuple[str, bytes]], *, actor, item=None, event=None) -> None:
    for name, data in files:
        attachment = Attachment(
            item=item, event=event, name=name, size=len(data), uploaded_by=actor
        )
        attachment.file.save(name, ContentFile(data), save=False)
        attachment.save()


# ---------------------------------------------------------------- signals by hand


def report_create(
    *,
    actor,
    org_id,
    title: str,
    text: str,
    url: str = "",
    occurred_at: datetime | None = None,
    reporter: str = "",
    files=None,
    now: datetime | None = None,
) -> OpinionItem:
    """人工报送 (a leader's call, a 网信 notice, a 12345 transfer), with attachments."""
    if not may(actor, "opinion.report"):
        raise Forbidden("您无权报送舆情信息")
    org = get_scoped(Organization.objects.all(), actor, org_id)
    title = clean_text(
        title, field="title", label="标题", required=True, max_length=500, multiline=False
    )
    text = _note(text, field="text", label="内容")
    reporter = clean_text(
        reporter, field="reporter", label="报送来源", max_length=200, multiline=False
    )
    url = clean_text(url, field="url", label="链接", max_length=1000, multiline=False)
    if url and not url.startswith(("https://", "http://")):
        raise ServiceError("链接应以 http:// 或 https:// 开头", field="url")
    now = now or timezone.now()
    occurred_at = occurred_at or now
    if timezone.is_naive(occurred_at):  # a time without its zone is Beijing time
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > now:
        raise ServiceError("发生时间不能晚于现在", field="occurred_at")
    read = attachments_read(files)
    with transaction.atomic():
        item = OpinionItem(
            org=org,
            kind=SignalKind.MANUAL,
            title=title,
            text=text,
            url=url,
            occurred_at=occurred_at,
            reporter=reporter,
            created_by=actor,
            created_at=now,
        )
        [item] = store_signals([item], now=now)
        _store_files(read, actor=actor, item=item)
        audit_record(
            actor=actor,
            action="opinion.report",
            obj=item,
            org=org,
            after=snapshot(item, ["title", "reporter", "url"]),
        )
    return item


# ---------------------------------------------------------------- the lifecycle


def case_assess(*, actor, case_id, version, level, reason, now=None) -> OpinionCase:
    """研判: the level and the reason; the deadline follows the level (timers)."""
    now = now or timezone.now()
    with transaction.atomic():
        case = _locked(actor, case_id, version, "assess")
        level = _level(level)
        reason = _note(reason, field="reason", label="研判理由")
        before = snapshot(case, AUDIT_FIELDS)
        bump(
            case,
            state=CaseState.ASSESSED,
            level=level,
            level_reason=reason,
            assessed_at=now,
            due_at=timers.due_after_level(case.due_at, now, level),
        )
        record(case, EventKind.ASSESS, actor=actor, at=now, note=reason, level=level)
        audit_record(
            actor=actor,
            action="opinion.assess",
            obj=case,
            org=case.org,
            before=before,
            after=snapshot(case, AUDIT_FIELDS),
        )
    return case


def case_raise(*, actor, case_id, version, level, reason, now=None) -> OpinionCase:
    """提升等级: only upwards; the remaining time shortens by the rule in timers."""
    now = now or timezone.now()
    with transaction.atomic():
        case = _locked(actor, case_id, version, "raise")
        level = _level(level)
        if LEVEL_ORDER[level] <= LEVEL_ORDER[case.level]:
            raise ServiceError(f"新等级应高于当前等级（{case.get_level_display()}）", field="level")
        reason = _note(reason, field="reason", label="提升理由")
        before = snapshot(case, AUDIT_FIELDS)
        due = timers.due_after_level(case.due_at, now, level)
        bump(case, level=level, level_reason=reason, due_at=due)
        record(
            case,
            EventKind.RAISE,
            actor=actor,
            at=now,
            note=reason,
            level=level,
            before=before["level"],
        )
        audit_record(
            actor=actor,
            action="opinion.raise",
            obj=case,
            org=case.org,
            before=before,
            after=snapshot(case, AUDIT_FIELDS),
        )
        message = f"舆情等级提升为{case.get_level_display()}：{case.title}，回应时限 {timezone.localtime(due):%m-%d %H:%M}"
        notify_unit(
            case.org, kind=NotificationKind.OPINION_LEVEL_RAISED, case=case, message=message
        )
    return case


def case_assign(*, actor, case_id, version, org_ids, note="", now=None) -> OpinionCase:
    """转办 to one or more units: within the actor's subtree, or anywhere for the district office
    and 网信 (监督)."""
    now = now or timezone.now()
    with transaction.atomic():
        case = _locked(actor, case_id, version, "assign")
        ids = sorted({int(i) for i in org_ids or [] if str(i).strip().isdigit()})
        if not ids:
            raise ServiceError("请选择承办单位", field="org_ids")
        orgs = list(Organization.objects.filter(pk__in=ids, status="active"))
        if len(orgs) != len(ids):
            raise ServiceError("承办单位不存在或已撤销", field="org_ids")
        if not sees_whole_district(actor):
            outside = [o.name for o in orgs if not o.path.startswith(actor.org.path)]
            if outside:
                raise Forbidden(
                    f"只能转办给本单位及下属单位；转办给{'、'.join(outside)}请报区政府办公室或网信部门"
                )
        note = _note(note, field="note", label="转办要求", required=False)
        new = [o for o in orgs if not case.assignments.filter(org=o).exists()]
        if not new:
            raise ServiceError("所选单位均已转办", field="org_ids")
        CaseAssignment.objects.bulk_create(
            [
                CaseAssignment(case=case, org=o, note=note, assigned_by=actor, assigned_at=now)
                for o in new
            ]
        )
        state = CaseState.ASSIGNED if case.state == CaseState.ASSESSED else case.state
        bump(case, state=state)
        names = "、".join(o.name for o in new)
        record(
            case,
            EventKind.ASSIGN,
            actor=actor,
            at=now,
            note=note,
            orgs=[o.pk for o in new],
            names=names,
        )
        audit_record(
            actor=actor,
            action="opinion.assign",
            obj=case,
            org=case.org,
            after={"orgs": [o.pk for o in new], "note": note},
        )
        for org in new:
            notify_unit(
                org,
                kind=NotificationKind.OPINION_ASSIGNED,
                case=case,
                message=f"舆情转办：{case.title}（{case.get_level_display()}），请及时处置",
            )
    return case


def case_act(*, actor, case_id, version, note, files=None, now=None) -> OpinionCase:
    """处置: an action taken, with evidence."""
    now = now or timezone.now()
    read = attachments_read(files)
    with transaction.atomic():
        case = _locked(actor, case_id, version, "act")
        note = _note(note, field="note", label="处置措施")
        bump(case, state=CaseState.HANDLING)
        event = record(case, EventKind.ACT, actor=actor, at=now, note=note)
        _store_files(read, actor=actor, event=event)
        audit_record(
            actor=actor,
            action="opinion.act",
            obj=case,
            org=case.org,
            after={"note": note, "files": [n for n, _ in read]},
        )
    return case


RESPONSE_READY = (ArticleState.APPROVED, ArticleState.PUBLISHED)


def case_respond(
    *, actor, case_id, version, article_id=None, url="", note="", now=None
) -> OpinionCase:
    """回应: the public response is an Article that passed review (drafted and reviewed through
    publishing's flow), or, for one published elsewhere, recorded with its link. A response
    that has not passed review is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        case = _locked(actor, case_id, version, "respond")
        url = clean_text(url, field="url", label="回应链接", max_length=1000, multiline=False)
        note = _note(note, field="note", label="回应说明", required=False)
        article = None
        if article_id not in (None, ""):
            article = get_scoped(Article.objects.all(), actor, article_id)
            if article.state not in RESPONSE_READY:
                raise ServiceError(
                    f"回应稿件“{article.title}”尚未通过审核（当前：{article.get_state_display()}），"
                    "须经审核通过后才能作为回应发布",
                    field="article_id",
                )
        elif not url:
            raise ServiceError(
                "请选择审核通过的回应稿件，或填写已发布回应的链接", field="article_id"
            )
        if url and not url.startswith(("https://", "http://")):
            raise ServiceError("回应链接应以 http:// 或 https:// 开头", field="url")
        if article is None and not note:
            raise ServiceError("以链接登记回应时，请说明回应由谁、在哪里发布", field="note")
        bump(
            case,
            state=CaseState.RESPONDED,
            responded_at=now,
            response_article=article,
            response_url=url,
            response_note=note,
        )
        record(
            case,
            EventKind.RESPOND,
            actor=actor,
            at=now,
            note=note,
            article=article.pk if article else None,
            url=url,
        )
        audit_record(
            actor=actor,
            action="opinion.respond",
            obj=case,
            org=case.org,
            after={"article": article.pk if article else None, "url": url},
        )
    return case


def case_close(*, actor, case_id, version, report, now=None) -> OpinionCase:
    """办结: the closing report is required."""
    now = now or timezone.now()
    with transaction.atomic():
        case = _locked(actor, case_id, version, "close")
        report = clean_text(
            report,
            field="report",
            label="办结报告",
            max_length=20000,
            required=True,
            required_message="办结须填写办结报告（处置经过、回应情况、结果）",
        )
        bump(case, state=CaseState.CLOSED, closed_at=now, closing_report=report)
        record(case, EventKind.CLOSE, actor=actor, at=now, note=report)
        audit_record(
            actor=actor,
            action="opinion.close",
            obj=case,
            org=case.org,
            after={"report": report[:500]},
        )
    return case


def case_reopen(*, actor, case_id, version, reason, now=None) -> OpinionCase:
    now = now or timezone.now()
    with transaction.atomic():
        case = _locked(actor, case_id, version, "reopen")
        reason = _note(reason, field="reason", label="重新打开理由")
        bump(case, state=CaseState.HANDLING, closed_at=None)
        record(case, EventKind.REOPEN, actor=actor, at=now, note=reason)
        audit_record(
            actor=actor, action="opinion.reopen", obj=case, org=case.org, after={"reason": reason}
        )
    return case


def case_comment(*, actor, case_id, text, now=None) -> CaseEvent:
    """意见: anyone who sees the case (监督 above all) comments on it."""
    if not may(actor, "opinion.comment"):
        raise Forbidden("您无权发表意见")
    now = now or timezone.now()
    with transaction.atomic():
        case = get_scoped(OpinionCase.objects.select_related("org"), actor, case_id)
        text = _note(text, field="text", label="意见")
        event = record(case, EventKind.COMMENT, actor=actor, at=now, note=text)
        audit_record(
            actor=actor,
            action="opinion.comment",
            obj=case,
            org=case.org,
            after={"text": text[:500]},
        )
        if actor.role == "oversight":
            notify_unit(
                case.org,
                kind=NotificationKind.OPINION_ALERT,
                case=case,
                message=f"监督意见：{case.title}：{text[:100]}",
            )
    return event
