"""Sending and reading notifications.

Sending is done inside the transaction that makes the change (or claims the work of a sweep), so
a notification exists exactly when its change committed. A notification to a unit is one row its
people share; one event that concerns several units and people (a filing submitted: the filer's
unit, the supervising unit, the district office) goes through `notification_send_each`, which
sends no one the same event twice. Read state is per person. Marking read changes no governed
data, so it is not written to the audit log.

E-mail (settings.NOTIFICATION_EMAIL, off by default) goes through Django's mail settings after
the transaction commits, to the recipients who have an address; a mail server that fails never
undoes the change.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from govmedia.core.scope import get_scoped
from govmedia.orgs.models import Organization

from .models import Notification, NotificationKind, NotificationRead
from .selectors import recipients, sees

logger = logging.getLogger(__name__)


def notification_send(
    *, recipient_org, kind: str, message: str, link: str = "", obj=None, recipient_user=None
) -> Notification:
    """One notification to a unit (its people share it) or, with recipient_user, to one person."""
    notification = Notification.objects.create(
        recipient_org=recipient_org,
        recipient_user=recipient_user,
        kind=kind,
        message=message[:500],
        link=link[:300],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    )
    if settings.NOTIFICATION_EMAIL:
        transaction.on_commit(lambda: _mail(notification))
    return notification


def notification_send_each(
    *, recipients: Iterable, kind: str, message: str, link: str = "", obj=None
) -> list[Notification]:
    """One event to several units and people (Organization or User; None is skipped), once
    per person: a unit whose people already see another recipient unit's row (a 镇街 above its
    内设机构) gets no second row, nor does a person who sees one of the units' rows."""
    orgs, users = {}, {}
    for recipient in recipients:
        if isinstance(recipient, Organization):
            orgs[recipient.pk] = recipient
        elif recipient is not None:
            users[recipient.pk] = recipient
    kept_orgs = [
        org
        for org in orgs.values()
        if org.parent_id is None
        or not any(o.pk != org.pk and o.path.startswith(org.path) for o in orgs.values())
    ]
    kept_users = [u for u in users.values() if not any(sees(u, org) for org in kept_orgs)]
    common = {"kind": kind, "message": message, "link": link, "obj": obj}
    return [notification_send(recipient_org=org, **common) for org in kept_orgs] + [
        notification_send(recipient_org=user.org, recipient_user=user, **common)
        for user in kept_users
    ]


def _mail(notification: Notification) -> None:
    addresses = sorted({u.email for u in recipients(notification) if u.email})
    if not addresses:
        return
    label = (
        NotificationKind(notification.kind).label
        if notification.kind in NotificationKind.values
        else ""
    )
    link = (
        f"{settings.NOTIFICATION_EMAIL_SITE_URL.rstrip('/')}{notification.link}"
        if notification.link
        else ""
    )
    body = notification.message + (f"\n\n办理：{link}" if link else "")
    try:
        # One message per person: recipients do not see each other's addresses.
        for address in addresses:
            send_mail(f"【政务新媒体管理平台】{label}", body, None, [address])
    except Exception:  # a mail server down never undoes the committed change
        logger.exception("站内通知 %s 的邮件未能发送", notification.pk)


def notification_mark_read(*, actor, notification_id: int) -> Notification:
    with transaction.atomic():
        notification = get_scoped(Notification.objects.all(), actor, notification_id)
        # ignore_conflicts: a second click (or a double submit) keeps the first reading time.
        NotificationRead.objects.bulk_create(
            [NotificationRead(notification=notification, user=actor)], ignore_conflicts=True
        )
    return notification


def notification_mark_all_read(*, actor) -> int:
    with transaction.atomic():
        unread = list(
            Notification.objects.restrict(actor).unread(actor).values_list("pk", flat=True)
        )
        NotificationRead.objects.bulk_create(
            [NotificationRead(notification_id=pk, user=actor) for pk in unread],
            ignore_conflicts=True,
        )
    return len(unread)
