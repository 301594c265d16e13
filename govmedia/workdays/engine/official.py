"""Official State Council schedules, as packaged by chinese-calendar.

Its is_workday already applies 调休: make-up weekend workdays count as workdays and
bridged weekdays as holidays, for every year it has data for.
"""

import datetime as dt
from functools import cache

import chinese_calendar


@cache
def has_official_schedule(year: int) -> bool:
    """Whether chinese-calendar ships data for year.

    Probed rather than hard-coded so that upgrading the library extends coverage
    without a code change; it raises NotImplementedError outside its data.
    """
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def is_official_workday(day: dt.date) -> bool:
    """chinese-calendar's verdict; only valid when has_official_schedule(day.year)."""
    return chinese_calendar.is_workday(day)
