"""Review steps past their time limit: the reviewers are reminded once, then the unit
administrators once, however often the sweep runs."""

from datetime import datetime, timedelta

import pytest

from govmedia.notifications.models import Notification
from govmedia.publishing.models import ReviewRunStep
from govmedia.publishing.schedules import SCHEDULES, ensure_schedules
from govmedia.publishing.tasks import sweep, sweep_review_deadlines
from tests.publishing.helpers import CHINA, active_step, decide, fresh, submit, write

pytestmark = pytest.mark.django_db

TUESDAY_NOON = datetime(2026, 11, 24, 16, 0, tzinfo=CHINA)  # 初审 was due at 15:30


def notes(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient_user__username", flat=True)
    )


def test_an_overdue_step_reminds_its_reviewers_once(newsroom):
    article = write(newsroom)
    submit(newsroom, article)
    before = sweep(now=datetime(2026, 11, 24, 15, 0, tzinfo=CHINA))
    assert (before.reminded, before.escalated) == (0, 0)
    assert sweep(now=TUESDAY_NOON).reminded == 1
    assert sweep(now=TUESDAY_NOON).reminded == 0  # run twice: reminded once
    assert notes("review_overdue") == ["tian_reviewer"]
    step = fresh(active_step(article))
    assert step.reminded_at == TUESDAY_NOON
    # Escalated after a second period as long as the limit: 4 more working hours.
    assert step.escalate_at == datetime(2026, 11, 25, 10, 0, tzinfo=CHINA)


def test_then_the_unit_administrators_once(newsroom):
    article = write(newsroom)
    submit(newsroom, article)
    sweep(now=TUESDAY_NOON)
    assert sweep(now=datetime(2026, 11, 25, 9, 59, tzinfo=CHINA)).escalated == 0
    later = datetime(2026, 11, 25, 10, 30, tzinfo=CHINA)
    assert sweep(now=later).escalated == 1
    assert sweep(now=later + timedelta(days=3)) == type(sweep(now=later))(0, 0)
    assert notes("review_escalated") == ["tian_unit_admin"]
    message = Notification.objects.get(kind="review_escalated").message
    assert "初审" in message and "tian_reviewer" in message


def test_a_decided_step_is_not_reminded(newsroom):
    article = write(newsroom)
    submit(newsroom, article)
    decide(newsroom.tian_reviewer, active_step(article))
    # 终审 is due Wednesday 18:00; the decided 初审 is never reminded.
    assert sweep(now=TUESDAY_NOON).reminded == 0
    assert sweep(now=datetime(2026, 11, 26, 9, 0, tzinfo=CHINA)).reminded == 1
    assert notes("review_overdue") == ["tian_leader"]


def test_the_sweep_is_a_scheduled_task(newsroom):
    from django_q.models import Schedule

    Schedule.objects.all().delete()
    ensure_schedules(Schedule)
    ensure_schedules(Schedule)
    assert sorted(Schedule.objects.values_list("func", flat=True)) == sorted(
        spec.func for spec in SCHEDULES
    )
    assert "审核超时提醒" in sweep_review_deadlines(now=TUESDAY_NOON)
    assert ReviewRunStep.objects.count() == 0
