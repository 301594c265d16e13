"""Sending and reading notifications.

Sending is done by the platform itself (scheduled sweeps), inside the transaction that claims the
work, so a notification exists exactly when its claim committed. Marking read changes no governed
data, so it is not written to the audit log.
"""

from django.db import transaction
from django.utils import timezone

from govmedia.core.scope import get_scoped

from .models import Notification


def notification_send(
    *, recipient_org, kind: str, message: str, link: str = "", obj=None, recipient_user=None
) -> Notification:
    return Notification.objects.create(
        recipient_org=recipient_org,
        recipient_user=recipient_user,
        kind=kind,
        message=message[:500],
        link=link[:300],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    )


def notification_mark_read(*, actor, notification_id: int) -> Notification:
    with transaction.atomic():
        notification = get_scoped(Notification.objects.all(), actor, notification_id)
        # Conditional, so a second click keeps the first reading time.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notification_mark_all_read(*, actor) -> int:
    with transaction.atomic():
        return Notification.objects.restrict(actor).unread().update(read_at=timezone.now())
