"""The django-q2 schedules of publishing, created by migration 0002 (core.schedules)."""

from govmedia.core.schedules import Every, ensure

SCHEDULES = (
    Every("定时发布", "govmedia.publishing.tasks.publish_due", 1),
    Every("发布结果查询", "govmedia.publishing.tasks.poll_due", 1),
    Every("稿件审核超时提醒", "govmedia.publishing.tasks.sweep_review_deadlines", 5),
)


def ensure_schedules(schedule_model) -> None:
    ensure(schedule_model, SCHEDULES)
