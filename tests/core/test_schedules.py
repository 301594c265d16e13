"""core.schedules: each app's schedules are created once by its migration, an interval one runs
from now, a daily one at its next local time, and an administrator's tuning is kept."""

from datetime import time

import pytest
from django.utils import timezone
from django_q.models import Schedule

from govmedia.core.schedules import DailyAt, Every, ensure

pytestmark = pytest.mark.django_db


def test_schedules_are_made_once_and_keep_an_administrators_tuning():
    Schedule.objects.all().delete()
    specs = [
        Every("每分钟", "govmedia.monitoring.tasks.pull_due", 1),
        DailyAt("每日", "govmedia.compliance.tasks.refresh_all", time(0, 20)),
        DailyAt("每小时", "govmedia.compliance.tasks.sweep_filing_deadlines", hourly=True),
    ]
    ensure(Schedule, specs)
    ensure(Schedule, specs)
    rows = {s.name: s for s in Schedule.objects.all()}
    assert {name: rows[name].schedule_type for name in rows} == {
        "每分钟": "I",
        "每日": "D",
        "每小时": "H",
    }
    assert rows["每分钟"].minutes == 1 and all(s.repeats == -1 for s in rows.values())
    daily = timezone.localtime(rows["每日"].next_run)
    assert (daily.hour, daily.minute) == (0, 20) and rows["每日"].next_run > timezone.now()
    Schedule.objects.filter(name="每分钟").update(minutes=5)
    ensure(Schedule, specs)
    assert Schedule.objects.get(name="每分钟").minutes == 5
