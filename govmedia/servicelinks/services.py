"""Writes of 掌上办事入口: a unit keeps its accounts' service links, and works the findings
(功能无法使用) the checker opens: 待整改 → 已整改 → 已确认, or → 重新整改, by the 整改 transition
table of monitoring (the unit corrects, the district office confirms, never its own correction).
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may
from govmedia.core.text import clean_text
from govmedia.core.versions import check_version
from govmedia.monitoring.lifecycle import TRANSITIONS
from govmedia.monitoring.services import clean_link
from govmedia.notifications.services import notification_send
from govmedia.orgs.models import Organization
from govmedia.registry.models import MediaAccount
from govmedia.workdays.calendar import deadline

from .models import LinkFinding, LinkFindingStep, LinkKind, ServiceLink

LINK_FIELDS = ["kind", "name", "url", "service_name", "active"]
FINDING_AUDITED = [
    "state",
    "due_on",
    "resolution_note",
    "resolved_at",
    "confirmed_at",
    "reopen_reason",
]
MAX_NOTE = 2000


def clean_link_fields(data: dict) -> dict:
    kind = data.get("kind")
    if kind not in LinkKind.values:
        raise ServiceError(f"入口类型无效（可选：{'、'.join(LinkKind.labels)}）", field="kind")
    name = clean_text(
        data.get("name"),
        field="name",
        label="入口名称",
        required=True,
        max_length=100,
        multiline=False,
    )
    url = clean_text(
        data.get("url"),
        field="url",
        label="链接地址",
        required=True,
        max_length=1000,
        multiline=False,
    )
    if kind != LinkKind.MINI_PROGRAM:
        url = clean_link(url, "url", "链接地址")
    service_name = clean_text(
        data.get("service_name"),
        field="service_name",
        label="爱山东服务事项",
        max_length=100,
        multiline=False,
    )
    if kind == LinkKind.ISHANDONG and not service_name:
        raise ServiceError("爱山东服务事项入口须填写服务事项名称", field="service_name")
    return {"kind": kind, "name": name, "url": url, "service_name": service_name}


def _duplicate(account_id: int, url: str, exclude: int | None = None) -> None:
    others = ServiceLink.objects.filter(account_id=account_id, url=url)
    if exclude:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise ServiceError("该账号已登记相同链接地址的入口", field="url", code="conflict")


def link_create(*, actor, account_id: int, data: dict) -> ServiceLink:
    if not may(actor, "servicelinks.change"):
        raise Forbidden("您无权登记办事入口")
    fields = clean_link_fields(data)
    with transaction.atomic():
        try:
            account = MediaAccount.objects.restrict(actor, "view").get(pk=account_id)
        except (MediaAccount.DoesNotExist, ValueError, TypeError):
            raise ServiceError("政务新媒体不存在或不在您的管理范围内", field="account") from None
        _duplicate(account.pk, fields["url"])
        link = ServiceLink.objects.create(account=account, next_check_at=timezone.now(), **fields)
        audit_record(
            actor=actor,
            action="servicelinks.create",
            obj=link,
            org=account.host_org,
            after=snapshot(link, LINK_FIELDS),
        )
    return link


def link_update(*, actor, link_id: int, version, data: dict) -> ServiceLink:
    with transaction.atomic():
        link = get_scoped(
            ServiceLink.objects.select_for_update(of=("self",)).select_related("account"),
            actor,
            link_id,
            "change",
        )
        # Scope first: another unit's link is "not found", whatever the input says.
        fields = clean_link_fields(data)
        check_version(link, version, noun="办事入口")
        _duplicate(link.account_id, fields["url"], exclude=link.pk)
        before = snapshot(link, LINK_FIELDS)
        if fields["url"] != link.url:  # a new address is checked at the next sweep
            link.next_check_at, link.consecutive_failures = timezone.now(), 0
        for name, value in fields.items():
            setattr(link, name, value)
        link.active = bool(data.get("active", link.active))
        link.version += 1
        link.save()
        audit_record(
            actor=actor,
            action="servicelinks.update",
            obj=link,
            org=link.account.host_org,
            before=before,
            after=snapshot(link, LINK_FIELDS),
        )
    return link


# ---------------------------------------------------------------- findings


def _district():
    return Organization.objects.filter(parent__isnull=True).order_by("pk").first()


def _step(finding, action: str, actor, note: str = "") -> None:
    LinkFindingStep.objects.create(finding=finding, action=action, actor=actor, note=note)


def _notify(finding: LinkFinding, recipient, message: str) -> None:
    if recipient is not None:
        notification_send(
            recipient_org=recipient,
            kind="servicelink_broken"
            if finding.state != "confirmed"
            else "rectification_confirmed",
            obj=finding,
            link=reverse("servicelinks:finding", args=[finding.pk]),
            message=message,
        )


def finding_open(*, link: ServiceLink, outcome: str, detail: str) -> LinkFinding | None:
    """Open the finding of a broken link for its unit, unless one is open (then None)."""
    if LinkFinding.objects.active().filter(link=link).exists():
        return None
    account = link.account
    due = deadline(timezone.localdate(), settings.RECTIFY_WORKDAYS)
    finding = LinkFinding.objects.create(
        org=account.host_org,
        account=account,
        link=link,
        outcome=outcome,
        detail=detail[:300] or outcome,
        url=link.url,
        due_on=due.date,
        due_provisional=due.provisional,
    )
    _step(finding, "open", None, finding.detail)
    audit_record(
        actor=None,
        action="servicelinks.finding_open",
        obj=finding,
        org=finding.org,
        after={"link": link.pk, "outcome": outcome, "detail": detail, "due_on": finding.due_on},
    )
    _notify(
        finding,
        finding.org,
        f"“{account.name}”的办事入口“{link.name}”无法使用（{detail[:80]}），"
        f"请于 {finding.due_on.isoformat()} 前整改（依据：通知第三部分（三））",
    )
    return finding


def _locked(actor, finding_id: int, permission: str) -> LinkFinding:
    if not may(actor, f"rectification.{permission}"):
        raise Forbidden("您无权办理整改事项")
    return get_scoped(
        LinkFinding.objects.select_for_update(of=("self",)).select_related(
            "org", "account", "link"
        ),
        actor,
        finding_id,
        permission,
    )


def _check(actor, finding: LinkFinding, action: str, version):
    check_version(finding, version, noun="整改事项")
    return TRANSITIONS.check(finding, action, actor)


def _save(actor, finding, transition, before) -> LinkFinding:
    finding.state = transition.target
    finding.version += 1
    finding.save()
    audit_record(
        actor=actor,
        action=f"servicelinks.finding_{transition.action}",
        obj=finding,
        org=finding.org,
        before=before,
        after=snapshot(finding, FINDING_AUDITED),
    )
    return finding


def finding_resolve(*, actor, finding_id: int, version, note: str) -> LinkFinding:
    with transaction.atomic():
        finding = _locked(actor, finding_id, "resolve")
        note = clean_text(
            note, field="resolution_note", label="整改说明", required=True, max_length=MAX_NOTE
        )
        transition = _check(actor, finding, "resolve", version)
        before = snapshot(finding, FINDING_AUDITED)
        finding.resolution_note = note
        finding.resolved_at, finding.resolved_by = timezone.now(), actor
        _save(actor, finding, transition, before)
        _step(finding, "resolve", actor, note)
        _notify(
            finding,
            _district(),
            f"{finding.org.name}已整改办事入口“{finding.link.name}”，请确认",
        )
    return finding


def finding_confirm(*, actor, finding_id: int, version) -> LinkFinding:
    with transaction.atomic():
        finding = _locked(actor, finding_id, "confirm")
        transition = _check(actor, finding, "confirm", version)
        before = snapshot(finding, FINDING_AUDITED)
        finding.confirmed_at, finding.confirmed_by = timezone.now(), actor
        _save(actor, finding, transition, before)
        _step(finding, "confirm", actor)
        _notify(finding, finding.org, f"办事入口“{finding.link.name}”的整改已确认办结")
    return finding


def finding_reopen(*, actor, finding_id: int, version, reason: str) -> LinkFinding:
    with transaction.atomic():
        finding = _locked(actor, finding_id, "confirm")
        reason = clean_text(
            reason, field="reopen_reason", label="重新整改理由", required=True, max_length=MAX_NOTE
        )
        transition = _check(actor, finding, "reopen", version)
        before = snapshot(finding, FINDING_AUDITED)
        due = deadline(timezone.localdate(), settings.RECTIFY_WORKDAYS)
        finding.reopen_reason, finding.due_on, finding.due_provisional = (
            reason,
            due.date,
            due.provisional,
        )
        finding.confirmed_at = finding.confirmed_by = None
        _save(actor, finding, transition, before)
        _step(finding, "reopen", actor, reason)
        _notify(
            finding,
            finding.org,
            f"办事入口“{finding.link.name}”的整改未通过确认，请于 {finding.due_on.isoformat()} "
            f"前重新整改：{reason[:200]}",
        )
    return finding
