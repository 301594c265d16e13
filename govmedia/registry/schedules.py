"""The django-q2 schedules of the registry, created by migration (core.schedules)."""

from govmedia.core.schedules import DailyAt, ensure

SCHEDULES = (
    DailyAt("备案审核超时提醒", "govmedia.registry.stalls.sweep_stalled_filings", hourly=True),
)


def ensure_schedules(schedule_model) -> None:
    ensure(schedule_model, SCHEDULES)
