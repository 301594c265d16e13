"""Who a notification reaches: the same rule as NotificationQuerySet.restrict, read the other way
round (for e-mail and for sending one event once per person)."""

from django.db.models import Q

from govmedia.core.roles import Role
from govmedia.users.models import User

from .models import Notification


def sees(user, org) -> bool:
    """Whether the user sees the notifications addressed to this unit (see restrict)."""
    if user.org_id is None:
        return False
    if org.pk == user.org_id:
        return True
    if org.parent_id is None:
        return user.role == Role.PLATFORM_ADMIN
    return user.org.parent_id is not None and org.path.startswith(user.org.path)


def recipients(notification: Notification) -> list[User]:
    """The active people who see the notification."""
    if notification.recipient_user_id:
        user = notification.recipient_user
        return [user] if user.is_active else []
    org = notification.recipient_org
    if org.parent_id is None:
        who = Q(org=org) | Q(role=Role.PLATFORM_ADMIN)
    else:
        # The unit's own people and those of the units above it, but not the district root's.
        above = [pk for pk in org.ancestor_ids()[1:]] + [org.pk]
        who = Q(org_id__in=above)
    return list(User.objects.filter(who, is_active=True).select_related("org").order_by("pk"))
