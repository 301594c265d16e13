"""The django-q2 schedules of monitoring, created by migration 0002 (core.schedules)."""

from govmedia.core.schedules import Every, ensure

SCHEDULES = (
    Every("账号更新采集", "govmedia.monitoring.tasks.pull_due", 1),
    Every("已发布内容审查", "govmedia.monitoring.tasks.screen_posts", 1),
    Every("僵尸账号指标", "govmedia.monitoring.tasks.refresh_figures", 60),
)


def ensure_schedules(schedule_model) -> None:
    ensure(schedule_model, SCHEDULES)
