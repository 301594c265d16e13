"""The 90-day password reminder: once per password, again only after it is changed and ages."""

from datetime import date, timedelta

import pytest
from django.db import connection

from govmedia.credentials import services
from govmedia.credentials.models import LoginCustody
from govmedia.credentials.schedules import FUNC, ensure_schedule
from govmedia.credentials.tasks import sweep, sweep_stale_passwords
from govmedia.notifications.models import Notification
from govmedia.registry.models import MediaAccount
from tests.concurrency import race, returned

# A past "today": the dates the test steps through must not lie in the real future, which the
# custody form refuses.
TODAY = date.today() - timedelta(days=300)


def reminders(account) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(
            object_type="credentials.logincustody", object_id=str(account.pk)
        ).values_list("recipient_org__name", "message")
    )


def set_changed_on(world, account, changed_on):
    custody = LoginCustody.objects.filter(pk=account.pk).first()
    services.custody_set(
        actor=world.tian_unit_admin,
        account_id=account.pk,
        version=custody.version if custody else 0,
        administrator="赵管理",
        password_changed_on=changed_on,
    )


def test_notifies_the_unit_once_and_again_after_the_next_change_ages(world, accounts):
    tian, _ = accounts
    set_changed_on(world, tian, TODAY - timedelta(days=89))
    assert sweep(today=TODAY) == 0
    assert sweep(today=TODAY + timedelta(days=1)) == 1  # 90 days
    [(org, message)] = reminders(tian)
    assert org == "天中街道" and "天中发布" in message and "已 90 天未修改" in message
    assert "通知第五部分（二）" in message
    assert sweep(today=TODAY + timedelta(days=2)) == 0
    assert sweep(today=TODAY + timedelta(days=60)) == 0 and len(reminders(tian)) == 1
    # Changed: nothing until the new password is 90 days old, then one more reminder.
    changed = TODAY + timedelta(days=61)
    set_changed_on(world, tian, changed)
    assert sweep(today=changed + timedelta(days=89)) == 0
    assert sweep(today=changed + timedelta(days=90)) == 1
    assert sweep(today=changed + timedelta(days=91)) == 0 and len(reminders(tian)) == 2


def test_unknown_dates_and_cancelled_accounts_are_not_reminded(world, accounts):
    tian, chen = accounts
    set_changed_on(world, tian, None)
    services.custody_set(
        actor=world.alice,
        account_id=chen.pk,
        version=0,
        administrator="陈管理",
        password_changed_on=TODAY - timedelta(days=400),
    )
    MediaAccount.objects.filter(pk=chen.pk).update(status="cancelled")
    assert sweep(today=TODAY) == 0


def test_rotation_days_is_a_setting(world, accounts, settings):
    tian, _ = accounts
    settings.PASSWORD_ROTATION_DAYS = 30
    set_changed_on(world, tian, TODAY - timedelta(days=30))
    assert sweep_stale_passwords(today=TODAY) == "密码超期提醒 1 个账号"


def test_the_schedule_is_created_once(db):
    from django_q.models import Schedule

    Schedule.objects.filter(func=FUNC).delete()
    ensure_schedule(Schedule)
    ensure_schedule(Schedule)
    assert Schedule.objects.filter(func=FUNC, schedule_type="D").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_notify_once(world, platforms):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers are a PostgreSQL deployment; SQLite serializes writers")
    from tests.credentials.conftest import make_account

    accounts = [
        make_account(world.tian, platforms["微博"], f"天中{i}", f"tz{i}") for i in range(10)
    ]
    for account in accounts:
        set_changed_on(world, account, TODAY - timedelta(days=100))
    results = returned(race(lambda: sweep(today=TODAY), lambda: sweep(today=TODAY)))
    assert sum(results) == 10
    assert all(len(reminders(account)) == 1 for account in accounts)
