"""In-app alerts when an account crosses a threshold: once per crossing, not on every pull.

The level last alerted is stored on the PullState and claimed with a conditional UPDATE
(… WHERE alerted_level = <what this worker read>): of two workers evaluating the same crossing,
only the one whose update matched a row sends the alert. Going back under a threshold (the
account published again) resets the level silently, so the next crossing alerts again.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from govmedia.notifications.services import notification_send
from govmedia.orgs.models import Organization

from . import dormancy
from .models import AlertLevel, PullState

DORMANT_KIND = "account_dormant"
FAILING_KIND = "pull_failing"
RANK = {AlertLevel.NONE: 0, AlertLevel.RISK: 1, AlertLevel.CLEANUP: 2}


def thresholds() -> dormancy.Thresholds:
    return dormancy.Thresholds(
        risk_days=settings.DORMANT_RISK_DAYS, cleanup_days=settings.DORMANT_CLEANUP_DAYS
    )


def reference_date(account):
    """When an account that never published started to owe updates: its registration."""
    return registration_date(account.registered_on, account.created_at)


def registration_date(registered_on, created_at):
    """reference_date from the two fields (for callers reading values, not accounts)."""
    return registered_on or timezone.localdate(created_at)


def dormant_level(account, last_post_at) -> AlertLevel:
    level = dormancy.level(
        last_update=timezone.localdate(last_post_at) if last_post_at else None,
        reference=reference_date(account),
        today=timezone.localdate(),
        failing=False,
        pulled=True,
        thresholds=thresholds(),
    )
    return {dormancy.Level.CLEANUP: AlertLevel.CLEANUP, dormancy.Level.RISK: AlertLevel.RISK}.get(
        level, AlertLevel.NONE
    )


def _district():
    return Organization.objects.filter(parent__isnull=True).order_by("pk").first()


def _send(account, kind: str, unit_message: str, district_message: str) -> None:
    link = reverse("monitoring:account", args=[account.pk])
    notification_send(
        recipient_org=account.host_org, kind=kind, obj=account, link=link, message=unit_message
    )
    district = _district()
    if district is not None and district.pk != account.host_org_id:
        notification_send(
            recipient_org=district, kind=kind, obj=account, link=link, message=district_message
        )


def check_dormant(account, *, last_post_at, alerted: str) -> bool:
    """After a successful pull: alert if the account crossed a threshold upwards. Sent or not."""
    level = dormant_level(account, last_post_at)
    if level == alerted:
        return False
    with transaction.atomic():
        won = PullState.objects.filter(account_id=account.pk, alerted_level=alerted).update(
            alerted_level=level
        )
        if not won or RANK[level] <= RANK.get(alerted, 0):
            return False
        t = thresholds()
        days = t.cleanup_days if level == AlertLevel.CLEANUP else t.risk_days
        what = "已超过三个月" if level == AlertLevel.CLEANUP else "已超过两周"
        basis = "依据：国办秘函〔2019〕19号；通知第二部分（二）“避免僵尸应用”"
        act = (
            "请恢复更新，或按规定办理关停、注销备案"
            if level == AlertLevel.CLEANUP
            else "请及时更新，避免检查时被单项否决"
        )
        _send(
            account,
            DORMANT_KIND,
            f"“{account.name}”{what}（{days} 天以上）未更新，{act}（{basis}）",
            f"{account.host_org.name}的“{account.name}”{what}（{days} 天以上）未更新"
            f"（{AlertLevel(level).label}）",
        )
    return True


def check_failing(account, *, failures: int, error: str) -> bool:
    """After a failed pull: alert once when the failures in a row reach the limit."""
    if failures < settings.PULL_FAILURE_LIMIT:
        return False
    with transaction.atomic():
        won = PullState.objects.filter(account_id=account.pk, failure_alerted=False).update(
            failure_alerted=True
        )
        if not won:
            return False
        _send(
            account,
            FAILING_KIND,
            f"“{account.name}”连续 {failures} 次采集失败（{error}），请核对账号及接口凭据；"
            "采集恢复前该账号不作更新情况判断",
            f"{account.host_org.name}的“{account.name}”连续 {failures} 次采集失败：{error}",
        )
    return True
