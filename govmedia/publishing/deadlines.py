"""When a review step is due: its time limit counted in working days or working hours.

Working hours are those of a government office on a working day of the district's calendar
(govmedia.workdays): 08:30–12:00 and 13:30–18:00, eight hours a day. A limit of N working hours
runs through those windows only: a step that arrives on Friday at 17:00 with a limit of 2
working hours is due on Monday at 09:30 (or later, after a holiday). A limit of N working days
ends at 18:00 of the N-th working day after the day the step arrives (that day not counted, as
the filing deadlines count).

`add_working_time` is pure (no Django): it takes the local time and an `is_workday` function.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

WORK_WINDOWS = ((time(8, 30), time(12, 0)), (time(13, 30), time(18, 0)))
CLOSE_OF_BUSINESS = WORK_WINDOWS[-1][1]
HOURS_PER_DAY = 8
MAX_HOURS = 240
MAX_DAYS = 60
# Far more working days than any limit needs; a calendar with none ahead is a broken calendar.
_MAX_DAYS_SEARCHED = 3 * 366


def add_working_time(
    start: datetime, value: int, unit: str, is_workday: Callable[[date], bool]
) -> datetime:
    """The moment `value` working hours or days (`unit` "hours" or "days") after `start`.

    `start` is a local time (naive or aware); the answer has the same tzinfo.
    """
    if unit == "days":
        return _add_days(start, value, is_workday)
    if unit == "hours":
        return _add_hours(start, value, is_workday)
    raise ValueError(f"unknown time-limit unit {unit!r}")


def _add_days(start: datetime, days: int, is_workday) -> datetime:
    day, left = start.date(), days
    for _ in range(_MAX_DAYS_SEARCHED):
        day += timedelta(days=1)
        if is_workday(day):
            left -= 1
            if left == 0:
                return datetime.combine(day, CLOSE_OF_BUSINESS, tzinfo=start.tzinfo)
    raise ValueError("工作日历中没有足够的工作日，无法计算审核期限")


def _add_hours(start: datetime, hours: int, is_workday) -> datetime:
    left = timedelta(hours=hours)
    day, moment = start.date(), start.replace(tzinfo=None)
    for _ in range(_MAX_DAYS_SEARCHED):
        if is_workday(day):
            for opens, closes in WORK_WINDOWS:
                begin = max(moment, datetime.combine(day, opens))
                end = datetime.combine(day, closes)
                if begin >= end:
                    continue
                if begin + left <= end:
                    return (begin + left).replace(tzinfo=start.tzinfo)
                left -= end - begin
        day += timedelta(days=1)
        moment = datetime.combine(day, time.min)
    raise ValueError("工作日历中没有足够的工作日，无法计算审核期限")
