"""The 90-day password reminder, run daily by django-q2 (see schedules.py).

Each custody record is claimed with a conditional UPDATE that sets `reminded_for` to the
password date it reminds about; its row count says who won, and the notification is sent in the
same transaction. So however many workers sweep at once, an account is reminded once per
password: again only after the password is changed and that one ages in turn.
"""

from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from govmedia.notifications.services import notification_send
from govmedia.registry.models import AccountStatus

from . import selectors
from .models import LoginCustody

NOTIFICATION_KIND = "password_stale"


def sweep_stale_passwords(today: date | None = None) -> str:
    return f"密码超期提醒 {sweep(today=today)} 个账号"


def _not_reminded_for(changed_on) -> Q:
    return Q(reminded_for__isnull=True) | ~Q(reminded_for=changed_on)


def sweep(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    due = (
        LoginCustody.objects.filter(password_changed_on__lte=selectors.stale_cutoff(today))
        .exclude(account__status=AccountStatus.CANCELLED)
        .filter(_not_reminded_for(F("password_changed_on")))
        .values_list("pk", "password_changed_on")
    )
    return sum(_remind(pk, changed_on, today) for pk, changed_on in list(due))


def _remind(pk: int, changed_on: date, today: date) -> int:
    with transaction.atomic():
        won = (
            LoginCustody.objects.filter(pk=pk, password_changed_on=changed_on)
            .filter(_not_reminded_for(changed_on))
            .update(reminded_for=changed_on)
        )
        if not won:  # another worker reminded it, or the password was changed meanwhile
            return 0
        custody = LoginCustody.objects.select_related("account__host_org", "account__platform").get(
            pk=pk
        )
        account = custody.account
        notification_send(
            recipient_org=account.host_org,
            kind=NOTIFICATION_KIND,
            obj=custody,
            link=reverse("credentials:detail", kwargs={"account_id": account.pk}),
            message=f"政务新媒体“{account.name}”（{account.platform.name}）的登录密码自 "
            f"{changed_on.isoformat()} 起已 {(today - changed_on).days} 天未修改，请及时修改并"
            "更新保管记录（依据：通知第五部分（二）“切实做好账号密码保护”）",
        )
    return 1
