"""What the interaction services share: locking a message in scope, links, notices."""

from django.urls import NoReverseMatch, reverse

from govmedia.core.errors import NotFound
from govmedia.core.roles import Role
from govmedia.core.scope import get_scoped, may
from govmedia.notifications.services import notification_send
from govmedia.orgs.models import Organization
from govmedia.publishing.services.common import unit_administrators
from govmedia.users.models import User

from ..models import Message


def locked_message(actor, message_id, action: str = "view") -> Message:
    """The message, locked, if the actor may `action` it in scope (NotFound otherwise)."""
    if not may(actor, f"interaction.{action}"):
        raise NotFound("对象不存在或您无权访问")
    return get_scoped(
        Message.objects.select_for_update(of=("self",)).select_related("org", "account"),
        actor,
        message_id,
        action,
    )


def message_link(message_id: int) -> str:
    try:
        return reverse("interaction:message", kwargs={"message_id": message_id})
    except NoReverseMatch:
        return ""


def district_root() -> Organization | None:
    return Organization.objects.filter(parent__isnull=True).order_by("pk").first()


def district_office_users() -> list:
    return list(
        User.objects.filter(role=Role.PLATFORM_ADMIN, is_active=True, org__isnull=False)
        .select_related("org")
        .order_by("pk")
    )


def notify(users, *, kind: str, message: Message, text: str) -> int:
    for user in users:
        notification_send(
            recipient_org=user.org,
            recipient_user=user,
            kind=kind,
            obj=message,
            link=message_link(message.pk),
            message=text,
        )
    return len(users)


def notify_unit(org, *, kind: str, message: Message, text: str) -> int:
    return notify(unit_administrators(org), kind=kind, message=message, text=text)
