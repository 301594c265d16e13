"""The django-q2 schedule of 账号密码保护, created by migration 0002 (core.schedules)."""

from datetime import time

from govmedia.core.schedules import DailyAt, ensure

NAME = "账号密码超期提醒（每日）"
FUNC = "govmedia.credentials.tasks.sweep_stale_passwords"
# The start of the working day, when the unit reads its notifications.
SCHEDULE = DailyAt(NAME, FUNC, time(8, 10))


def ensure_schedule(schedule_model) -> None:
    ensure(schedule_model, [SCHEDULE])
