"""The django-q2 schedule of the nightly backup, created by migration 0001 (core.schedules)."""

from datetime import time

from govmedia.core.schedules import DailyAt, ensure

SCHEDULE = DailyAt("数据备份（每日）", "govmedia.backup.tasks.nightly", time(2, 30))


def ensure_schedules(schedule_model) -> None:
    ensure(schedule_model, [SCHEDULE])
