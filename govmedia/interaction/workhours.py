"""Response time in working hours: the office hours of working days between two moments.

Pure (no Django): the same working windows as review time limits (publishing.deadlines:
08:30–12:00 and 13:30–18:00 on a working day of the district's calendar), so a message received
on Friday at 17:00 and answered on Monday at 09:30 took two working hours, not 64 hours.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta

from govmedia.publishing.deadlines import WORK_WINDOWS

_MAX_DAYS = 3 * 366


def working_hours_between(
    start: datetime, end: datetime, is_workday: Callable[[date], bool]
) -> float:
    """Working hours from `start` to `end` (local times of one timezone); 0 when end ≤ start."""
    if end <= start:
        return 0.0
    begin, finish = start.replace(tzinfo=None), end.replace(tzinfo=None)
    total = timedelta(0)
    day = begin.date()
    for _ in range(_MAX_DAYS):
        if day > finish.date():
            break
        if is_workday(day):
            for opens, closes in WORK_WINDOWS:
                low = max(begin, datetime.combine(day, opens))
                high = min(finish, datetime.combine(day, closes))
                if high > low:
                    total += high - low
        day += timedelta(days=1)
    else:
        # Longer than the search: count the remaining days at eight hours each, roughly.
        total += timedelta(hours=8) * ((finish.date() - day).days * 5 // 7)
    return round(total.total_seconds() / 3600, 2)


def percentile(values: list[float], share: float) -> float | None:
    """The `share` (0–1) percentile by linear interpolation, None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = share * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (rank - low), 2)


__all__ = ["percentile", "working_hours_between"]
