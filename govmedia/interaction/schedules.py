"""The django-q2 schedules of 留言互动, created by migration 0002 (core.schedules)."""

from datetime import time

from govmedia.core.schedules import DailyAt, Every, ensure

SCHEDULES = (
    Every("留言采集", "govmedia.interaction.tasks.pull_comments", 1),
    Every("留言提醒、超期与督办", "govmedia.interaction.tasks.sweep_message_deadlines", 5),
    DailyAt("互动回应预警", "govmedia.interaction.tasks.sweep_health_alerts", time(7, 30)),
)


def ensure_schedules(schedule_model) -> None:
    ensure(schedule_model, SCHEDULES)
