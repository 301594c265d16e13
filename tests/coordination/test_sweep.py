"""Reminders before the deadline and the overdue flag, once each, grouped per unit."""

from datetime import timedelta

import pytest
from django.db import connection

from govmedia.coordination.detection import detect_reposts
from govmedia.coordination.schedules import ensure_schedules
from govmedia.coordination.tasks import sweep
from govmedia.notifications.models import Notification
from tests.concurrency import race, returned
from tests.coordination.helpers import DUE_4H, issue, repost, task_of

REMIND = DUE_4H - timedelta(hours=1)


def kinds(user):
    return sorted(Notification.objects.filter(recipient_user=user).values_list("kind", flat=True))


@pytest.mark.django_db
def test_reminded_before_the_deadline_and_flagged_overdue_once_each(matrix):
    m = matrix
    campaign = issue(m)
    assert campaign.remind_at == REMIND
    detect_reposts([repost(m.wechat).pk])  # 天中 reposted: never reminded
    assert sweep(now=REMIND - timedelta(minutes=1)) == (0, 0)
    assert sweep(now=REMIND) == (1, 0)
    assert sweep(now=REMIND + timedelta(minutes=5)) == (0, 0)
    assert sweep(now=DUE_4H) == (0, 1)
    assert sweep(now=DUE_4H + timedelta(hours=1)) == (0, 0)
    assert kinds(m.chen_unit_admin) == ["repost_due_soon", "repost_issued", "repost_overdue"]
    assert kinds(m.tian_unit_admin) == ["repost_issued"]
    # The issuer (the district office) hears of the overdue account.
    assert Notification.objects.filter(kind="repost_overdue", recipient_user=m.alice).count() == 1
    assert task_of(campaign, m.chen_wechat).overdue_at == DUE_4H


@pytest.mark.django_db
def test_a_task_found_overdue_first_is_not_reminded_too(matrix):
    m = matrix
    issue(m)
    assert sweep(now=DUE_4H + timedelta(days=1)) == (0, 2)
    assert sweep(now=DUE_4H + timedelta(days=2)) == (0, 0)
    assert "repost_due_soon" not in kinds(m.chen_unit_admin)


@pytest.mark.django_db
def test_the_schedule_is_created_once(matrix):
    from django_q.models import Schedule

    ensure_schedules(Schedule)
    ensure_schedules(Schedule)
    assert (
        Schedule.objects.filter(func="govmedia.coordination.tasks.sweep_repost_deadlines").count()
        == 1
    )


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_notify_once(matrix):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers are a PostgreSQL deployment; SQLite serializes writers")
    m = matrix
    issue(m)
    results = returned(race(lambda: sweep(now=DUE_4H), lambda: sweep(now=DUE_4H)))
    assert sum(r.overdue for r in results) == 2
    assert (
        Notification.objects.filter(kind="repost_overdue", recipient_user=m.chen_unit_admin).count()
        == 1
    )
