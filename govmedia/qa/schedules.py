"""The django-q2 schedules of the Q&A library, created by its migration (core.schedules)."""

from datetime import time

from govmedia.core.schedules import DailyAt, ensure

SCHEDULES = (DailyAt("答问条目到期提醒", "govmedia.qa.tasks.remind_expiring", time(8, 0)),)


def ensure_schedules(schedule_model) -> None:
    ensure(schedule_model, SCHEDULES)
