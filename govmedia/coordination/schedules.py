"""The django-q2 schedules of 协同转载, created by migration 0002 (core.schedules)."""

from govmedia.core.schedules import Every, ensure

SCHEDULES = (Every("转载任务提醒与逾期", "govmedia.coordination.tasks.sweep_repost_deadlines", 5),)


def ensure_schedules(schedule_model) -> None:
    ensure(schedule_model, SCHEDULES)
