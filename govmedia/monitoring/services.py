"""Writes people make in monitoring: the 整改 workflow and asking for a pull now.

待整改 → 已整改（附整改说明、证明） → 已确认, or → 重新整改 (with a reason and a new due date) →
已整改 … The unit corrects; the district office (区政府办公室) confirms or reopens, and never
confirms a correction it made itself. Each transition is a row of TRANSITIONS, checked in one
place, refused unless the item is still the version the page showed, and audited.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may, org_subtree_q
from govmedia.core.text import clean_text
from govmedia.core.transitions import Transition
from govmedia.core.versions import check_version
from govmedia.notifications.services import notification_send
from govmedia.orgs.models import Organization
from govmedia.workdays.calendar import deadline

from . import tallies
from .lifecycle import TRANSITIONS
from .models import PullState, Rectification, RectificationStep

AUDITED = [
    "state",
    "screenshot_url",
    "due_on",
    "resolution_note",
    "proof_url",
    "resolved_at",
    "confirmed_at",
    "reopen_reason",
]
MAX_NOTE = 2000


def _locked(actor, item_id: int, permission: str) -> Rectification:
    if not may(actor, f"rectification.{permission}"):
        raise Forbidden("您无权办理整改事项")
    # Scope and lock together: another unit's item is "not found", whatever its id.
    return get_scoped(
        Rectification.objects.select_for_update(of=("self",)).select_related("org", "account"),
        actor,
        item_id,
        permission,
    )


def _check(item: Rectification, action: str, version: int, actor) -> Transition:
    check_version(item, version, noun="整改事项")
    return TRANSITIONS.check(item, action, actor)


def clean_link(value, field: str, label: str) -> str:
    """An http(s) address, or nothing."""
    value = clean_text(value, field=field, label=label, multiline=False)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > 1000:
        raise ServiceError(f"{label}应为以 http:// 或 https:// 开头的网址", field=field)
    return value


def _step(item, action: str, actor, note: str = "") -> None:
    RectificationStep.objects.create(item=item, action=action, actor=actor, note=note)


def _district():
    return Organization.objects.filter(parent__isnull=True).order_by("pk").first()


def _notify(item: Rectification, recipient, message: str) -> None:
    if recipient is None:
        return
    notification_send(
        recipient_org=recipient,
        kind=f"rectification_{item.state}",
        obj=item,
        link=reverse("monitoring:rectification", args=[item.pk]),
        message=message,
    )


def _apply(actor, item: Rectification, transition: Transition, before: dict) -> Rectification:
    item.state = transition.target
    item.version += 1
    item.save()
    audit_record(
        actor=actor,
        action=f"rectification.{transition.action}",
        obj=item,
        org=item.org,
        before=before,
        after=snapshot(item, AUDITED),
    )
    return item


def rectification_resolve(
    *, actor, item_id: int, version: int, note: str, proof_url: str = ""
) -> Rectification:
    with transaction.atomic():
        # Scope first: another unit's item is "not found", whatever the input says.
        item = _locked(actor, item_id, "resolve")
        note = clean_text(
            note, field="resolution_note", label="整改说明", required=True, max_length=MAX_NOTE
        )
        proof_url = clean_link(proof_url, "proof_url", "整改证明链接")
        transition = _check(item, "resolve", version, actor)
        before = snapshot(item, AUDITED)
        item.resolution_note, item.proof_url = note, proof_url
        item.resolved_at, item.resolved_by = timezone.now(), actor
        _apply(actor, item, transition, before)
        _step(item, "resolve", actor, note)
        _notify(
            item,
            _district(),
            f"{item.org.name}已整改“{item.account.name}”的问题（{item.matched}），请确认",
        )
    return item


def rectification_confirm(*, actor, item_id: int, version: int) -> Rectification:
    with transaction.atomic():
        item = _locked(actor, item_id, "confirm")
        transition = _check(item, "confirm", version, actor)
        before = snapshot(item, AUDITED)
        item.confirmed_at, item.confirmed_by = timezone.now(), actor
        _apply(actor, item, transition, before)
        _step(item, "confirm", actor)
        _notify(item, item.org, f"“{item.account.name}”的整改（{item.matched}）已确认办结")
    return item


def rectification_reopen(*, actor, item_id: int, version: int, reason: str) -> Rectification:
    with transaction.atomic():
        item = _locked(actor, item_id, "confirm")
        reason = clean_text(
            reason,
            field="reopen_reason",
            label="重新整改理由",
            required=True,
            max_length=MAX_NOTE,
        )
        transition = _check(item, "reopen", version, actor)
        before = snapshot(item, AUDITED)
        due = deadline(timezone.localdate(), settings.RECTIFY_WORKDAYS)
        item.reopen_reason, item.due_on, item.due_provisional = reason, due.date, due.provisional
        item.confirmed_at = item.confirmed_by = None
        _apply(actor, item, transition, before)
        _step(item, "reopen", actor, reason)
        _notify(
            item,
            item.org,
            f"“{item.account.name}”的整改未通过确认，请于 {item.due_on.isoformat()} 前重新整改："
            f"{reason[:200]}",
        )
    return item


def rectification_set_screenshot(
    *, actor, item_id: int, version: int, screenshot_url: str
) -> Rectification:
    """Attach the link of the evidence screenshot (存证截图)."""
    permission = "confirm" if may(actor, "rectification.confirm") else "resolve"
    with transaction.atomic():
        item = _locked(actor, item_id, permission)
        screenshot_url = clean_link(screenshot_url, "screenshot_url", "截图链接")
        check_version(item, version, noun="整改事项")
        before = snapshot(item, AUDITED)
        item.screenshot_url = screenshot_url
        item.version += 1
        item.save(update_fields=["screenshot_url", "version"])
        audit_record(
            actor=actor,
            action="rectification.screenshot",
            obj=item,
            org=item.org,
            before=before,
            after=snapshot(item, AUDITED),
        )
        _step(item, "screenshot", actor, screenshot_url)
    return item


def pull_request_now(*, actor, account_id: int) -> PullState:
    """Make an account due at once (the next minute's pull takes it)."""
    from govmedia.registry.models import MediaAccount

    from .claims import pulled_accounts

    if not may(actor, "monitoring.pull"):
        raise Forbidden("您无权发起采集")
    with transaction.atomic():
        # The unit's own act: an account seen through 行业指导 (read-only) is not the actor's.
        own = MediaAccount.objects.filter(org_subtree_q(actor, "host_org"))
        account = get_scoped(own.select_related("host_org"), actor, account_id)
        if not pulled_accounts().filter(pk=account.pk).exists():
            raise ServiceError("该账号未在运行，或其平台暂不支持自动采集", field="account_id")
        now = timezone.now()
        state, created = PullState.objects.select_for_update().get_or_create(
            account=account, defaults={"next_due_at": now}
        )
        if created:
            tallies.retally([account.pk])  # counted as 尚未采集 with a state now
        state.next_due_at = now
        state.save(update_fields=["next_due_at"])
        audit_record(
            actor=actor,
            action="monitoring.pull_request",
            obj=account,
            org=account.host_org,
            after={"next_due_at": now},
        )
    return state
