"""The django-q2 schedules of 舆情处置, created by migration 0002 (core.schedules)."""

from datetime import time

from govmedia.core.schedules import DailyAt, Every, ensure

SCHEDULES = (
    Every("舆情超时督办", "govmedia.opinion.tasks.sweep_opinion_deadlines", 5),
    # The day before's daily brief; on Mondays the week before's weekly brief too.
    DailyAt("舆情简报", "govmedia.opinion.tasks.make_scheduled_briefs", time(8, 0)),
)


def ensure_schedules(schedule_model) -> None:
    ensure(schedule_model, SCHEDULES)
