"""How a case is shown: who sees a reporter's contact, the case's history, the actions offered."""

from govmedia.audit.selectors import history as audit_history
from govmedia.core.phones import is_mobile, mask_mobile
from govmedia.core.roles import Role

from .models import SuspectAccount

EVENT_LABELS = {
    "suspect.create": "发现",
    "suspect.report": "再次发现或举报",
    "suspect.verify": "核实",
    "suspect.request_takedown": "要求平台关停（生成关停函）",
    "suspect.report_to_cac": "通报网信",
    "suspect.confirm_closed": "确认已关停",
    "suspect.exclude": "排除",
    "suspect.reopen": "重新核查",
}


def sees_reporters(user) -> bool:
    """A reporter's contact is personal data: the district office only."""
    return user.role == Role.PLATFORM_ADMIN


def shown_contact(user, contact: str) -> str:
    if not contact or sees_reporters(user):
        return contact
    if is_mobile(contact):
        return mask_mobile(contact)
    return "（已隐藏）"


def history(suspect: SuspectAccount) -> list[dict]:
    events = audit_history(suspect, oldest_first=True)
    rows = []
    for event in events:
        after = event.after or {}
        detail = {
            "suspect.verify": after.get("verify_note", ""),
            "suspect.exclude": after.get("excluded_reason", ""),
            "suspect.reopen": after.get("reopen_reason", ""),
            "suspect.report_to_cac": " ".join(
                part for part in (after.get("cac_recipient"), after.get("cac_reported_on")) if part
            ),
            "suspect.confirm_closed": after.get("closed_check", ""),
        }.get(event.action, "")
        rows.append(
            {
                "at": event.created_at,
                "actor": event.actor_label,
                "label": EVENT_LABELS.get(event.action, event.action),
                "action": event.action,
                "detail": detail,
            }
        )
    return rows
