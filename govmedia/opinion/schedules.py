"""The django-q2 schedules of 舆情处置, created by migration 0002 (core.schedules)."""

from govmedia.core.schedules import Every, ensure

SCHEDULES = (Every("舆情超时督办", "govmedia.opinion.tasks.sweep_opinion_deadlines", 5),)


def ensure_schedules(schedule_model) -> None:
    ensure(schedule_model, SCHEDULES)
