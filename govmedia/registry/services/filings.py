"""The filing (备案) workflow and its effect on the registry.

草稿 → 已提交 → (主管单位已审核) → 已备案, or 退回 with a reason and resubmitted. A filing is a
snapshot of the whole form; approval applies it to the MediaAccount in the same transaction,
with its audit events. Every transition is a row of TRANSITIONS, checked in one place.
"""

from dataclasses import dataclass
from datetime import date
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may, org_subtree_q
from govmedia.core.text import clean_text
from govmedia.core.transitions import Transition
from govmedia.core.versions import check_version
from govmedia.orgs.models import Organization, OrgStatus, OrgType

from .. import deadlines, form_rules, notify
from ..events import ACCOUNTS_CHANGED
from ..lifecycle import KINDS_FOR_STATUS, TRANSITIONS
from ..models import (
    FORM_FIELDS,
    AccountStatus,
    Filing,
    FilingKind,
    FilingState,
    MediaAccount,
)
from ..numbering import next_filing_no

AUDITED = FORM_FIELDS + [
    "kind",
    "state",
    "account",
    "org",
    "supervisor",
    "event_date",
    "due_on",
    "due_provisional",
    "filing_no",
    "change_summary",
    "returned_reason",
    "no_scan_reason",
]
ACCOUNT_AUDITED = FORM_FIELDS + ["host_org", "status", "filing_no", "status_changed_on"]


def _publish_filing_changed(filing: Filing) -> None:
    """A filing was created or moved on: its account, and its unit's deadlines, changed."""
    ACCOUNTS_CHANGED.publish(
        account_ids=[filing.account_id] if filing.account_id else [], org_ids=[filing.org_id]
    )


def _locked_filing(actor, filing_id: int, action: str = "view") -> Filing:
    return get_scoped(Filing.objects.select_for_update(of=("self",)), actor, filing_id, action)


def _effective_supervisor(org: Organization) -> Organization | None:
    """The 主管单位 that must co-sign, or None where the district office deals directly."""
    supervisor = org.supervisor
    if supervisor is None or supervisor.org_type == OrgType.DISTRICT:
        return None
    return supervisor


def refuse_retyping_a_host(*, actor, org: Organization, org_type: str) -> None:
    """orgs.ORG_RETYPING: a unit that hosts 政务新媒体 (or has a filing under way) keeps its type
    unless the district office changes it, for the type decides its 集约化 rules."""
    hosts = MediaAccount.objects.filter(host_org=org).active().exists()
    if hosts or Filing.objects.filter(org=org).open().exists():
        raise Forbidden(
            f"“{org.name}”主办有政务新媒体（或有备案正在办理），其单位类型关系集约化管理要求，"
            "只能由区政府办公室（平台管理员）变更；如需调整，请联系区政府办公室",
            field="org_type",
        )


def _form_values(data: dict) -> dict:
    """The form as it is kept, even as a draft: text cleaned (core.text) and no longer than its
    column, or ServiceError naming the field; the other rules wait for the submission."""
    unknown = set(data) - set(FORM_FIELDS)
    if unknown:
        raise ValueError(f"unknown form fields: {sorted(unknown)}")
    for field, value in data.items():
        if isinstance(value, str):
            clean_text(value, field=field, label=form_rules.LABELS[field])  # a lone surrogate
    values = form_rules.normalize_values(data)
    _raise_form_errors(form_rules.length_errors(values))
    return values


def _clean_summary(value) -> str:
    return clean_text(value, field="change_summary", label="变更事项说明", max_length=2000)


def _raise_form_errors(errors: dict[str, str]) -> None:
    if errors:
        field, message = next(iter(errors.items()))
        more = f"（另有 {len(errors) - 1} 处问题）" if len(errors) > 1 else ""
        error = ServiceError(message + more, field=field, code="invalid_form")
        error.errors = errors
        raise error


def _check_host(actor, org: Organization, kind: str) -> Organization:
    """The host org as it is now in the database (the caller's object may be stale)."""
    org = Organization.objects.filter(org_subtree_q(actor, ""), pk=org.pk).first()
    if org is None:
        raise Forbidden("只能为本单位及下级单位办理备案", field="org")
    # 第二部分（一）: accounts of abolished or merged units are to be cancelled, so a 注销 may be
    # filed in the old unit's name; anything else must first move to a live unit by a 变更.
    if org.status != OrgStatus.ACTIVE and kind != FilingKind.CANCEL:
        raise ServiceError(
            f"“{org.name}”已撤销或整合：其政务新媒体应办理注销备案，或以变更备案转至现有单位",
            field="org",
        )
    return org


def _check_kind(kind: str, account: MediaAccount | None) -> None:
    if kind not in FilingKind.values:
        raise ServiceError("备案类型无效", field="kind")
    if account is None:
        if kind != FilingKind.OPEN:
            raise ServiceError("变更、关停、注销备案须选择已登记的政务新媒体", field="account")
        return
    if kind == FilingKind.OPEN:
        if account.filing_no:
            raise ServiceError(f"该账号已备案（{account.filing_no}），请办理变更备案", field="kind")
        return
    if kind not in KINDS_FOR_STATUS[account.status]:
        raise ServiceError(
            f"“{account.get_status_display()}”的账号不能办理{FilingKind(kind).label}备案",
            field="kind",
        )


def _check_event_date(event_date: date) -> None:
    if event_date > timezone.localdate():
        raise ServiceError("开设/变更/关停/注销日期不能晚于今天", field="event_date")


def _set_deadline(filing: Filing) -> None:
    deadline = deadlines.filing_deadline(filing.kind, filing.event_date)
    filing.due_on, filing.due_provisional = deadline.date, deadline.provisional


def filing_create(
    *,
    actor,
    kind: str,
    org: Organization,
    event_date: date,
    data: dict | None = None,
    account: MediaAccount | None = None,
    change_summary: str = "",
    is_demo: bool = False,
) -> Filing:
    """A draft filing. Without `data`, the form starts from the account's registered values."""
    if not may(actor, "filings.change"):
        raise Forbidden("您无权办理备案")
    with transaction.atomic():
        org = _check_host(actor, org, kind)
        if account is not None:
            account = get_scoped(
                MediaAccount.objects.select_for_update(of=("self",)), actor, account.pk
            )
        _check_kind(kind, account)
        _check_event_date(event_date)
        values = _form_values(
            data if data is not None else account_values(account) if account else {}
        )
        filing = Filing(
            kind=kind,
            org=org,
            account=account,
            event_date=event_date,
            created_by=actor,
            change_summary=_clean_summary(change_summary),
            is_demo=is_demo,
            **values,
        )
        _set_deadline(filing)
        try:
            with transaction.atomic():
                filing.save(force_insert=True)
        except IntegrityError as exc:
            raise Conflict(
                "该账号已有未办结的备案，请先办结或继续编辑那一份", field="account"
            ) from exc
        audit_record(
            actor=actor,
            action="filing.create",
            obj=filing,
            org=org,
            after=snapshot(filing, AUDITED),
        )
        _publish_filing_changed(filing)
    return filing


def account_values(account: MediaAccount) -> dict:
    return {field: getattr(account, field) for field in FORM_FIELDS}


def filing_update(
    *,
    actor,
    filing_id: int,
    version: int,
    data: dict,
    event_date: date | None = None,
    change_summary: str | None = None,
) -> Filing:
    with transaction.atomic():
        filing = _locked_filing(actor, filing_id, "change")
        check_version(filing, version, noun="备案")
        if not filing.is_editable:
            raise Conflict(f"备案已{filing.get_state_display()}，提交后不可修改")
        before = snapshot(filing, AUDITED)
        for field, value in _form_values(data).items():
            setattr(filing, field, value)
        if event_date is not None:
            _check_event_date(event_date)
            filing.event_date = event_date
            _set_deadline(filing)
        if change_summary is not None:
            filing.change_summary = _clean_summary(change_summary)
        filing.version += 1
        filing.save()
        audit_record(
            actor=actor,
            action="filing.update",
            obj=filing,
            org=filing.org,
            before=before,
            after=snapshot(filing, AUDITED),
        )
    return filing


def _check_unique_handle(filing: Filing) -> None:
    clash = MediaAccount.objects.filter(platform=filing.platform, handle=filing.handle).exclude(
        status=AccountStatus.CANCELLED
    )
    if filing.account_id:
        clash = clash.exclude(pk=filing.account_id)
    if clash.exists():
        raise ServiceError(
            f"{filing.platform}上已登记账号“{filing.handle}”，同一账号不能重复登记", field="handle"
        )
    rival = Filing.objects.filter(
        platform=filing.platform,
        handle=filing.handle,
        kind=FilingKind.OPEN,
        state__in=[FilingState.SUBMITTED, FilingState.SUPERVISOR_APPROVED],
    ).exclude(pk=filing.pk)
    if rival.exists():
        raise ServiceError(f"账号“{filing.handle}”已有一份开设备案正在审核", field="handle")


def _save_transition(
    actor, filing: Filing, transition: Transition, *, after: dict, before=None
) -> Filing:
    """Move the filing to the transition's state and record it: one audit event, and the
    compliance findings of its unit refreshed once the change commits."""
    filing.state = transition.target
    filing.version += 1
    # A new step: its stall reminders (registry.stalls) start afresh.
    filing.step_reminded_at = filing.step_escalated_at = None
    filing.save()
    audit_record(
        actor=actor,
        action=f"filing.{transition.action}",
        obj=filing,
        org=filing.org,
        before=before,
        after={"state": filing.state} | after,
    )
    _publish_filing_changed(filing)
    return filing


def filing_submit(*, actor, filing_id: int, version: int) -> Filing:
    with transaction.atomic():
        filing = _locked_filing(actor, filing_id, "change")
        check_version(filing, version, noun="备案")
        transition = TRANSITIONS.check(filing, "submit", actor)
        _raise_form_errors(
            form_rules.form_errors(account_values(filing), today=timezone.localdate())
        )
        if filing.kind == FilingKind.CHANGE and filing.account and not change_diff(filing):
            raise ServiceError("变更备案与已登记信息相比没有任何变化", field="change_summary")
        _check_unique_handle(filing)
        org = Organization.objects.select_related("supervisor").get(pk=filing.org_id)
        _check_host(actor, org, filing.kind)
        before = snapshot(filing, AUDITED)
        filing.supervisor = _effective_supervisor(org)
        filing.submitted_at, filing.submitted_by = timezone.now(), actor
        filing.returned_reason = ""
        filing.state = transition.target  # so the snapshot below shows the submitted filing
        _save_transition(actor, filing, transition, before=before, after=snapshot(filing, AUDITED))
        notify.submitted(filing)
        return filing


def filing_supervisor_approve(*, actor, filing_id: int, version: int) -> Filing:
    """主管单位签章; who may give it is the lifecycle's guard (lifecycle.may_co_sign)."""
    with transaction.atomic():
        filing = _locked_filing(actor, filing_id)
        check_version(filing, version, noun="备案")
        transition = TRANSITIONS.check(filing, "supervisor_approve", actor)
        filing.supervisor_reviewed_at, filing.supervisor_reviewed_by = timezone.now(), actor
        _save_transition(actor, filing, transition, after={})
        notify.co_signed(filing)
        return filing


NO_SCAN_MESSAGE = (
    "尚未上传经签字盖章的备案表扫描件：请先上传扫描件，或填写未上传扫描件即准予备案的理由"
)


def filing_approve(*, actor, filing_id: int, version: int, no_scan_reason: str = "") -> Filing:
    """准予备案 by the district office: the form is applied to the registry, the number assigned.

    The signed and stamped form (签章扫描件) should be on file first; approving without it needs
    a stated reason, kept on the filing and in the audit event.
    """
    if not may(actor, "filings.approve"):
        raise Forbidden("只有区政府办公室（平台管理员）可以办理备案")
    no_scan_reason = clean_text(
        no_scan_reason, field="no_scan_reason", label="未上传扫描件的理由", max_length=1000
    )
    with transaction.atomic():
        filing = _locked_filing(actor, filing_id)
        check_version(filing, version, noun="备案")
        transition = TRANSITIONS.check(filing, "approve", actor)
        if filing.scanned_copy:
            no_scan_reason = ""  # the scan is the record; a reason typed anyway is not needed
        elif not no_scan_reason:
            raise ServiceError(NO_SCAN_MESSAGE, field="no_scan_reason", code="scan_required")
        _check_unique_handle(filing)
        account = _apply_to_registry(actor, filing)
        filing.account, filing.filing_no = account, account.filing_no
        filing.filed_at, filing.filed_by = timezone.now(), actor
        filing.no_scan_reason = no_scan_reason
        after = {"filing_no": filing.filing_no, "account": account.pk}
        after |= (
            {"scanned_copy": filing.scanned_copy.name}
            if filing.scanned_copy
            else {"no_scan_reason": no_scan_reason}
        )
        _save_transition(actor, filing, transition, after=after)
        notify.approved(filing)
        return filing


def _apply_to_registry(actor, filing: Filing) -> MediaAccount:
    account = (
        MediaAccount.objects.select_for_update().get(pk=filing.account_id)
        if filing.account_id
        else None
    )
    before = snapshot(account, ACCOUNT_AUDITED) if account else None
    if filing.kind in (FilingKind.OPEN, FilingKind.CHANGE):
        account = account or MediaAccount(host_org=filing.org, is_demo=filing.is_demo)
        for field, value in account_values(filing).items():
            setattr(account, field, value)
        account.host_org = filing.org  # a 变更 by another unit transfers the account to it
    elif filing.kind == FilingKind.SUSPEND:
        account.status = AccountStatus.SUSPENDED
    elif filing.kind == FilingKind.CANCEL:
        account.status = AccountStatus.CANCELLED
    if filing.kind in (FilingKind.SUSPEND, FilingKind.CANCEL):
        account.status_changed_on = filing.event_date
    if not account.filing_no:
        account.filing_no = next_filing_no(timezone.localdate().year)
    if account.pk:
        account.version += 1
    account.save()
    audit_record(
        actor=actor,
        action=f"account.{'create' if before is None else 'apply_filing'}",
        obj=account,
        org=account.host_org,
        before=before,
        after=snapshot(account, ACCOUNT_AUDITED),
    )
    return account


def filing_return(*, actor, filing_id: int, reason: str, version: int) -> Filing:
    reason = clean_text(
        reason,
        field="reason",
        label="退回理由",
        required=True,
        required_message="请填写退回理由，告知备案单位需要修改什么",
    )
    with transaction.atomic():
        filing = _locked_filing(actor, filing_id)
        check_version(filing, version, noun="备案")
        transition = TRANSITIONS.check(filing, "return", actor)
        filing.returned_reason = reason[:1000]
        _save_transition(
            actor, filing, transition, after={"returned_reason": filing.returned_reason}
        )
        notify.returned(filing)
        return filing


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    registered: object
    filed: object


def change_diff(filing: Filing) -> list[FieldChange]:
    """What a filing changes against the account as registered now, field by field."""
    if filing.account_id is None:
        return []
    account = filing.account
    changes = [
        FieldChange(
            field, form_rules.LABELS[field], getattr(account, field), getattr(filing, field)
        )
        for field in FORM_FIELDS
        if getattr(account, field) != getattr(filing, field)
    ]
    if account.host_org_id != filing.org_id:
        changes.append(FieldChange("host_org", "主办单位", account.host_org, filing.org))
    return changes


def filing_act(
    *, actor, filing_id: int, action: str, version: int, reason: str = "", no_scan_reason: str = ""
) -> Filing:
    """One transition as a page asks for it (提交, 主管单位审核通过, 准予备案, 退回), refused unless
    the filing is still the version the page showed: a double click or a stale page changes
    nothing."""
    services = {
        "submit": filing_submit,
        "supervisor_approve": filing_supervisor_approve,
        "approve": partial(filing_approve, no_scan_reason=no_scan_reason),
        "return": partial(filing_return, reason=reason),
    }
    if action not in services:
        raise ServiceError("操作无效", field="action")
    return services[action](actor=actor, filing_id=filing_id, version=version)


def filing_attach_scan(*, actor, filing_id: int, upload) -> Filing:
    """Keep the signed and stamped paper form (签章扫描件) with the filing.

    The scan is an attachment, not part of the form, so the filing's version is left alone: a
    reviewer's open page stays valid. A replaced scan stays on disk; the audit log names both.
    """
    import hashlib

    from .. import scans

    if not may(actor, "filings.change"):
        raise Forbidden("您无权上传签章扫描件")
    with transaction.atomic():
        filing = _locked_filing(actor, filing_id, "change")
        kind = scans.scan_kind(upload.name or "", upload.size or 0, scans.read_head(upload))
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        before = {"scanned_copy": filing.scanned_copy.name or ""}
        # Our own file name: the uploader's name never reaches the file system.
        filing.scanned_copy.save(f"filing-{filing.pk}-scan.{kind}", upload, save=False)
        filing.save(update_fields=["scanned_copy"])
        audit_record(
            actor=actor,
            action="filing.attach_scan",
            obj=filing,
            org=filing.org,
            before=before,
            after={
                "scanned_copy": filing.scanned_copy.name,
                "size": upload.size,
                "sha256": digest.hexdigest(),
            },
        )
    return filing
