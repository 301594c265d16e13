"""The counterfeit case (假冒账号), after 通知第五部分（二）: 对发现的假冒政务新媒体，要及时要求
第三方运营平台立即关停并通报有关部门依法依规处置.

发现 → 核实 → 要求平台关停 (a DOCX letter generated from the case) → 通报网信 → 已关停 (confirmed
when the platform no longer finds the account), or 排除 with a reason. Every transition is a row
of TRANSITIONS, checked in one place; every write is audited in its own transaction.

`actor=None` is the platform itself (the discovery task, the public report form).
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may
from govmedia.core.text import clean_text
from govmedia.core.transitions import Transition
from govmedia.core.versions import check_version
from govmedia.notifications.models import NotificationKind
from govmedia.notifications.services import notification_send_each
from govmedia.platforms.base import NotFound, PlatformError
from govmedia.registry.models import AccountStatus, MediaAccount, Platform
from govmedia.users.models import User

from . import letter, platform_access, selectors
from .lifecycle import TRANSITIONS
from .models import SuspectAccount, SuspectReport, SuspectSource, SuspectState

AUDITED = [
    "platform",
    "handle",
    "display_name",
    "verified",
    "verified_reason",
    "source",
    "score",
    "matched_account",
    "state",
    "report_count",
    "verify_note",
    "cac_reported_on",
    "cac_recipient",
    "cac_note",
    "closed_check",
    "excluded_reason",
]
SYSTEM_ACTORS = {
    SuspectSource.SEARCH: "系统（平台搜索）",
    SuspectSource.PUBLIC_REPORT: "公众举报",
    SuspectSource.IMPORT: "系统（导入）",
    SuspectSource.REPORT: "系统",
}
CONTACT_UNIT_SUFFIX = "人民政府办公室电子政务中心"


@dataclass(frozen=True)
class Created:
    suspect: SuspectAccount
    created: bool  # False: the report was added to an existing case


def office_name() -> str:
    return f"{settings.DISTRICT_NAME}人民政府办公室"


# ---------------------------------------------------------------- helpers


def _actor_label(actor, source: str):
    return actor if actor is not None else SYSTEM_ACTORS.get(source, "系统")


def _audit(actor, action: str, suspect: SuspectAccount, *, before=None, after=None, **extra):
    org = suspect.matched_account.host_org if suspect.matched_account_id else None
    audit_record(
        actor=actor,
        action=action,
        obj=suspect,
        org=org,
        before=before,
        after=(after if after is not None else snapshot(suspect, AUDITED)) | extra,
    )


def _locked(actor, suspect_id: int, version: int) -> SuspectAccount:
    """The case, locked, if the actor may act on it and it is still the version they saw."""
    if not may(actor, "counterfeit.change"):
        raise Forbidden("只有区政府办公室（平台管理员）可以处置假冒账号")
    suspect = get_scoped(
        SuspectAccount.objects.select_for_update(of=("self",)), actor, suspect_id, "change"
    )
    check_version(suspect, version, noun="线索")
    return suspect


def _notify_moved(suspect: SuspectAccount) -> None:
    """A case moved on: the unit whose account it imitates and the people who reported it hear
    of it, once each (in the step's transaction)."""
    reporters = User.objects.filter(
        is_active=True,
        pk__in=SuspectReport.objects.filter(suspect=suspect).values("reported_by"),
    ).select_related("org")
    host = suspect.matched_account.host_org if suspect.matched_account_id else None
    notification_send_each(
        recipients=[host, *reporters],
        kind=NotificationKind.COUNTERFEIT_MOVED,
        message=f"假冒账号线索“{suspect.display_name}”（{suspect.platform.name}）"
        f"{suspect.get_state_display()}（依据：通知第五部分（二））",
        link=reverse("counterfeit:detail", args=[suspect.pk]),
        obj=suspect,
    )


def _move(suspect: SuspectAccount, transition: Transition) -> dict:
    before = snapshot(suspect, AUDITED)
    suspect.state = transition.target
    suspect.version += 1
    return before


def _active_platform(platform) -> Platform:
    platform_id = platform.pk if isinstance(platform, Platform) else platform
    found = Platform.objects.filter(pk=platform_id, is_active=True).first()
    if found is None:
        raise ServiceError("请选择运行平台", field="platform")
    return found


def _live_account(account_id: int) -> MediaAccount:
    account = (
        MediaAccount.objects.exclude(status=AccountStatus.CANCELLED)
        .select_related("host_org")
        .filter(pk=account_id)
        .first()
    )
    if account is None:
        raise ServiceError("所选政务新媒体不存在或已注销", field="matched_account")
    return account


def _existing_case(platform: Platform, handle: str, display_name: str):
    cases = SuspectAccount.objects.select_for_update(of=("self",)).filter(platform=platform)
    cases = cases.exclude(state=SuspectState.CLOSED)
    if handle:
        return cases.filter(handle=handle).first()
    # Reported by name only: the same name on the same platform is the same case.
    return cases.filter(handle="", display_name=display_name).first()


# ---------------------------------------------------------------- creating


def suspect_create(
    *,
    actor,
    platform,
    display_name: str,
    handle: str = "",
    verified: bool | None = None,
    verified_reason: str = "",
    source: str,
    description: str = "",
    reporter_contact: str = "",
    is_demo: bool = False,
    context: selectors.ScoringContext | None = None,
) -> Created:
    """A new case scored against the registry, or the report added to the open case of the same
    account (same platform and handle; by name when the reporter knew no handle)."""
    if source not in SuspectSource.values:
        raise ServiceError("来源无效", field="source")
    if actor is not None and not may(actor, "counterfeit.report"):
        raise Forbidden("您无权报告假冒账号")
    if source == SuspectSource.IMPORT and (actor is None or not may(actor, "counterfeit.change")):
        raise Forbidden("只有平台管理员可以导入假冒账号线索")
    platform = _active_platform(platform)
    handle = clean_text(handle, field="handle", label="账号", max_length=100)
    display_name = clean_text(display_name, field="display_name", label="账号名称", max_length=100)
    display_name = display_name or handle
    if not display_name:
        raise ServiceError("请填写账号名称或账号（ID）", field="display_name")
    description = clean_text(description, field="description", label="情况说明", max_length=2000)
    reporter_contact = clean_text(
        reporter_contact, field="reporter_contact", label="联系方式", max_length=100
    )
    verified_reason = clean_text(
        verified_reason, field="verified_reason", label="认证主体", max_length=200
    )
    assessment = selectors.assess(
        platform_code=platform.code,
        handle=handle,
        display_name=display_name,
        verified=verified,
        reason=verified_reason,
        context=context,
    )
    if assessment.genuine:
        raise ServiceError(
            f"该账号即已登记的政务新媒体“{assessment.matched.name}”，不是假冒账号", field="handle"
        )
    report = SuspectReport(
        source=source,
        reported_by=actor if getattr(actor, "pk", None) else None,
        reporter_contact=reporter_contact,
        note=description,
    )
    with transaction.atomic():
        existing = _existing_case(platform, handle, display_name)
        if existing is None:
            suspect = SuspectAccount(
                platform=platform,
                handle=handle,
                display_name=display_name,
                verified=verified,
                verified_reason=verified_reason,
                source=source,
                description=description,
                score=assessment.score,
                reasons=assessment.reasons_json(),
                matched_account_id=assessment.matched.account_id if assessment.matched else None,
                is_demo=is_demo,
            )
            try:
                with transaction.atomic():
                    suspect.save(force_insert=True)
            except IntegrityError:  # another report of the same account won the race
                existing = _existing_case(platform, handle, display_name)
                if existing is None:
                    raise
        if existing is not None:
            return Created(_add_report(actor, existing, report, source), created=False)
        report.suspect = suspect
        report.save()
        _audit(_actor_label(actor, source), "suspect.create", suspect)
    return Created(suspect, created=True)


def _add_report(actor, suspect: SuspectAccount, report: SuspectReport, source: str):
    report.suspect = suspect
    report.save()
    suspect.report_count += 1
    suspect.last_seen_at = timezone.now()
    suspect.save(update_fields=["report_count", "last_seen_at", "updated_at"])
    _audit(
        _actor_label(actor, source),
        "suspect.report",
        suspect,
        after={"report_count": suspect.report_count, "source": source},
    )
    return suspect


# ---------------------------------------------------------------- the workflow


def suspect_verify(
    *,
    actor,
    suspect_id: int,
    version: int,
    note: str,
    matched_account_id: int | None = None,
    handle: str | None = None,
) -> SuspectAccount:
    """核实: a person has looked at the account and confirms it poses as a government account.

    The reviewer may name the registered account it imitates (or correct the scorer's guess) and
    must know its handle on the platform: the letter names it and the closing check needs it.
    """
    note = clean_text(note, field="note", label="核实意见", max_length=2000, required=True)
    with transaction.atomic():
        suspect = _locked(actor, suspect_id, version)
        transition = TRANSITIONS.check(suspect, "verify")
        new_handle = (
            clean_text(handle, field="handle", label="账号", max_length=100) or suspect.handle
        )
        if not new_handle:
            raise ServiceError(
                "请填写该账号在平台上的账号（ID）：关停函须写明，确认关停时也要据此核查",
                field="handle",
            )
        if new_handle != suspect.handle:
            clash = SuspectAccount.objects.filter(platform=suspect.platform, handle=new_handle)
            clash = clash.exclude(state=SuspectState.CLOSED).exclude(pk=suspect.pk).first()
            if clash is not None:
                raise Conflict(
                    f"该账号已有线索（编号 {clash.pk}），请在该线索中处理", field="handle"
                )
        before = _move(suspect, transition)
        suspect.handle = new_handle
        if matched_account_id is not None:
            suspect.matched_account = _live_account(matched_account_id)
        suspect.verify_note = note
        suspect.verified_at = timezone.now()
        suspect.save()
        _audit(actor, "suspect.verify", suspect, before=before)
        _notify_moved(suspect)
    return suspect


def letter_data(suspect: SuspectAccount, *, today: date | None = None) -> letter.LetterData:
    """The letter's contents, copied from the case (and the registry as it is now)."""
    platform = suspect.platform
    if suspect.verified is None:
        verification = "不详"
    elif suspect.verified:
        verification = f"已认证（认证主体：{suspect.verified_reason or '未公开'}）"
    else:
        verification = "未认证"
    genuine = None
    if suspect.matched_account_id:
        account = suspect.matched_account
        genuine = letter.GenuineLine(
            platform=account.platform.name,
            handle=account.handle,
            name=account.name,
            filing_no=account.filing_no or "（备案办理中）",
            host_org=account.host_org.name,
        )
    return letter.LetterData(
        case_no=suspect.pk,
        operator=letter.operator_for(platform.code, platform.name),
        counterfeit=letter.CounterfeitLine(
            platform=platform.name,
            handle=suspect.handle,
            name=suspect.display_name,
            verification=verification,
        ),
        genuine=genuine,
        office_name=office_name(),
        contact_unit=f"{settings.DISTRICT_NAME}{CONTACT_UNIT_SUFFIX}",
        dated=today or timezone.localdate(),
        findings=[suspect.verify_note] if suspect.verify_note else [],
    )


def suspect_request_takedown(*, actor, suspect_id: int, version: int) -> SuspectAccount:
    """要求平台关停: the letter to the platform is generated and kept with the case."""
    with transaction.atomic():
        suspect = _locked(actor, suspect_id, version)
        transition = TRANSITIONS.check(suspect, "request_takedown")
        suspect = SuspectAccount.objects.select_related(
            "platform", "matched_account__host_org", "matched_account__platform"
        ).get(pk=suspect.pk)
        content = letter.render_letter_docx(letter_data(suspect))
        before = _move(suspect, transition)
        # Our own file name: nothing a reporter typed reaches the file system.
        suspect.letter.save(f"suspect-{suspect.pk}-letter.docx", ContentFile(content), save=False)
        suspect.letter_generated_at = timezone.now()
        suspect.save()
        _audit(
            actor,
            "suspect.request_takedown",
            suspect,
            before=before,
            letter=suspect.letter.name,
            letter_sha256=hashlib.sha256(content).hexdigest(),
        )
        _notify_moved(suspect)
    return suspect


def suspect_report_to_cac(
    *,
    actor,
    suspect_id: int,
    version: int,
    reported_on: date,
    recipient: str,
    note: str = "",
) -> SuspectAccount:
    """通报网信: record when the case was passed to whom (通报有关部门依法依规处置)."""
    recipient = clean_text(
        recipient, field="recipient", label="通报对象", max_length=100, required=True
    )
    note = clean_text(note, field="note", label="通报说明", max_length=2000)
    if reported_on is None:
        raise ServiceError("请填写通报日期", field="reported_on")
    if reported_on > timezone.localdate():
        raise ServiceError("通报日期不能晚于今天", field="reported_on")
    with transaction.atomic():
        suspect = _locked(actor, suspect_id, version)
        transition = TRANSITIONS.check(suspect, "report_to_cac")
        requested_on = timezone.localtime(suspect.letter_generated_at).date()
        if reported_on < requested_on:
            raise ServiceError(
                f"通报日期不能早于要求平台关停的日期 {requested_on.isoformat()}",
                field="reported_on",
            )
        before = _move(suspect, transition)
        suspect.cac_reported_on, suspect.cac_recipient, suspect.cac_note = (
            reported_on,
            recipient,
            note,
        )
        suspect.save()
        _audit(actor, "suspect.report_to_cac", suspect, before=before)
        _notify_moved(suspect)
    return suspect


def platform_check(suspect: SuspectAccount) -> str:
    """Ask the platform for the account: the closing evidence, or ServiceError if it is there.

    Done before the case is locked: an HTTP call must not hold a row lock.
    """
    platform = suspect.platform
    client = platform_access.client_for(platform.code)
    if client is None:
        raise ServiceError(
            f"暂不能向{platform.name}核查账号：该平台未接入", code="platform_unsupported"
        )
    try:
        profile = platform_access.find_account(client, suspect.handle, suspect.display_name)
    except NotFound:
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        return f"{stamp} 向{platform.name}查询账号“{suspect.handle}”：平台已查不到该账号"
    except PlatformError as exc:
        raise ServiceError(
            f"无法向{platform.name}核查：{exc.message}。请稍后重试", code="platform_error"
        ) from None
    raise ServiceError(
        f"{platform.name}上仍能找到账号“{suspect.handle}”（名称：{profile.display_name}），"
        "尚未关停：请督促平台处理后再确认",
        code="still_exists",
    )


def suspect_confirm_closed(*, actor, suspect_id: int, version: int) -> SuspectAccount:
    """已关停: only when the platform itself no longer finds the account."""
    suspect = _locked_preview(actor, suspect_id, version, "confirm_closed")
    evidence = platform_check(suspect)
    with transaction.atomic():
        suspect = _locked(actor, suspect_id, version)
        transition = TRANSITIONS.check(suspect, "confirm_closed")
        before = _move(suspect, transition)
        suspect.closed_confirmed_at = timezone.now()
        suspect.closed_check = evidence[:300]
        suspect.save()
        _audit(actor, "suspect.confirm_closed", suspect, before=before)
        _notify_moved(suspect)
    return suspect


def _locked_preview(actor, suspect_id: int, version: int, action: str) -> SuspectAccount:
    """The same checks as the locked step, without a lock: refuse early, before calling out."""
    with transaction.atomic():
        suspect = _locked(actor, suspect_id, version)
        TRANSITIONS.check(suspect, action)
    return SuspectAccount.objects.select_related("platform").get(pk=suspect.pk)


def suspect_exclude(*, actor, suspect_id: int, version: int, reason: str) -> SuspectAccount:
    """排除: not a counterfeit (e.g. a genuine account not yet filed, a namesake), with why."""
    reason = clean_text(reason, field="reason", label="排除理由", max_length=2000, required=True)
    with transaction.atomic():
        suspect = _locked(actor, suspect_id, version)
        transition = TRANSITIONS.check(suspect, "exclude")
        before = _move(suspect, transition)
        suspect.excluded_reason = reason
        suspect.save()
        _audit(actor, "suspect.exclude", suspect, before=before)
        _notify_moved(suspect)
    return suspect


def suspect_reopen(*, actor, suspect_id: int, version: int, reason: str) -> SuspectAccount:
    """An excluded case looked at again (new reports, new facts): back to 发现."""
    reason = clean_text(
        reason, field="reason", label="重新核查的理由", max_length=2000, required=True
    )
    with transaction.atomic():
        suspect = _locked(actor, suspect_id, version)
        transition = TRANSITIONS.check(suspect, "reopen")
        before = _move(suspect, transition)
        suspect.save()
        _audit(actor, "suspect.reopen", suspect, before=before, reopen_reason=reason)
        _notify_moved(suspect)
    return suspect
