"""The library's sweep: remind the owner unit, once, that a published entry is about to expire
(QA_EXPIRY_REMIND_DAYS before its 失效日期), so the answer is renewed or withdrawn in time.

Each entry is claimed by a conditional UPDATE of `expiry_reminded_for` (the valid_to reminded
of): of two workers, the one whose UPDATE changed the row sends; an entry whose validity is later
extended is reminded again before its new date.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from govmedia.notifications.services import notification_send

from .models import QAEntry
from .services import district_org

NOTIFY_KIND = "qa_expiring"


def remind_expiring(today=None) -> int:
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.QA_EXPIRY_REMIND_DAYS)
    due = (
        QAEntry.objects.published()
        .filter(valid_to__gte=today, valid_to__lte=horizon)
        .filter(Q(expiry_reminded_for__isnull=True) | ~Q(expiry_reminded_for=F("valid_to")))
        .select_related("owner_org")
    )
    sent = 0
    for entry in due.iterator():
        with transaction.atomic():
            claimed = (
                QAEntry.objects.filter(pk=entry.pk, valid_to=entry.valid_to)
                .filter(
                    Q(expiry_reminded_for__isnull=True) | ~Q(expiry_reminded_for=entry.valid_to)
                )
                .update(expiry_reminded_for=entry.valid_to)
            )
            if not claimed:
                continue
            recipient = entry.owner_org or district_org()
            if recipient is None:
                continue
            notification_send(
                recipient_org=recipient,
                kind=NOTIFY_KIND,
                obj=entry,
                link=reverse("qa:entry", args=[entry.pk]),
                message=f"答问条目“{entry.question[:40]}”将于 {entry.valid_to.isoformat()} 失效，"
                "请及时修订或停用（依据：通知第三部分（二））",
            )
            sent += 1
    return sent
