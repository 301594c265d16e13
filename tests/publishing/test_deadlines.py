"""Working-time arithmetic of review limits (pure: no database)."""

from datetime import date, datetime

import pytest

from govmedia.publishing.deadlines import add_working_time


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def at(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute)


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (at(24, 10), 1, at(24, 11)),
        (at(24, 10), 4, at(24, 15, 30)),  # 10:00–12:00, then 13:30–15:30
        (at(24, 12, 30), 1, at(24, 14, 30)),  # arriving at lunch: counts from 13:30
        (at(24, 7), 8, at(24, 18)),  # a whole working day
        (at(27, 17), 2, at(30, 9, 30)),  # Friday 17:00 → Monday
        (at(24, 19), 1, at(25, 9, 30)),  # after hours: from the next morning
        (at(28, 10), 1, at(30, 9, 30)),  # Saturday: from Monday
    ],
)
def test_working_hours(start, hours, due):
    assert add_working_time(start, hours, "hours", weekdays) == due


def test_working_days_end_at_close_of_business():
    assert add_working_time(at(24, 10), 1, "days", weekdays) == at(25, 18)
    assert add_working_time(at(27, 17), 2, "days", weekdays) == datetime(2026, 12, 1, 18)


def test_holidays_are_skipped():
    holiday = {date(2026, 11, 25)}

    def workday(day):
        return weekdays(day) and day not in holiday

    assert add_working_time(at(24, 17), 2, "hours", workday) == at(26, 9, 30)
    assert add_working_time(at(24, 10), 1, "days", workday) == at(26, 18)


def test_the_time_zone_is_kept():
    from zoneinfo import ZoneInfo

    china = ZoneInfo("Asia/Shanghai")
    start = datetime(2026, 11, 24, 10, tzinfo=china)
    assert add_working_time(start, 1, "hours", weekdays) == datetime(2026, 11, 24, 11, tzinfo=china)


def test_an_unknown_unit_is_a_programming_error():
    with pytest.raises(ValueError):
        add_working_time(at(24, 10), 1, "weeks", weekdays)
