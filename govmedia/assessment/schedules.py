"""The django-q2 schedules of 检查考核, created by migration (core.schedules)."""

from datetime import time

from govmedia.core.schedules import DailyAt, ensure

SCHEDULES = (
    DailyAt("传播力月度数据", "govmedia.assessment.tasks.build_recent_figures", time(3, 30)),
)


def ensure_schedules(schedule_model) -> None:
    ensure(schedule_model, SCHEDULES)
