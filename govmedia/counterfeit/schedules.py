"""The django-q2 schedule of the counterfeit search, created by migration (core.schedules)."""

from datetime import time

from govmedia.core.schedules import DailyAt, ensure

NAME = "假冒账号扫描（每日）"
FUNC = "govmedia.counterfeit.discovery.discover_counterfeits"
# At night: the platforms' search limits are per day and the office is closed.
SCHEDULE = DailyAt(NAME, FUNC, time(2, 30))


def ensure_schedule(schedule_model) -> None:
    ensure(schedule_model, [SCHEDULE])
