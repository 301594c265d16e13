from django import template

from ..models import Notification

register = template.Library()


@register.simple_tag
def unread_notification_count(user) -> int:
    """One indexed COUNT per page, for the topbar badge."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.restrict(user).unread(user).count()
