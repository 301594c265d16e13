"""The django-q2 schedules of 掌上办事入口, created by its migration (core.schedules)."""

from govmedia.core.schedules import Every, ensure

SCHEDULES = (Every("办事入口检查", "govmedia.servicelinks.tasks.check_due_links", 30),)


def ensure_schedules(schedule_model) -> None:
    ensure(schedule_model, SCHEDULES)
