"""The django-q2 schedules of 协同转载, created by migration 0002."""

from govmedia.core.schedules import ensure_interval_schedules

SCHEDULES = (
    # name, function, every N minutes
    ("转载任务提醒与逾期", "govmedia.coordination.tasks.sweep_repost_deadlines", 5),
)


def ensure_schedules(schedule_model) -> None:
    ensure_interval_schedules(schedule_model, SCHEDULES)
