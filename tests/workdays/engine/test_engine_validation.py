"""Bad input raises with a Chinese message that names the rule."""

import datetime as dt

import pytest

from govmedia.workdays.engine import WorkdayCalendar

D = dt.date


@pytest.fixture(scope="module")
def calendar():
    return WorkdayCalendar()


@pytest.mark.parametrize("n", [0, -1, 367, 1.5, "7", True, None])
def test_workday_count_must_be_1_to_366(calendar, n):
    with pytest.raises(ValueError, match="工作日天数应为 1 至 366 之间的整数"):
        calendar.add_workdays(D(2025, 3, 3), n)


@pytest.mark.parametrize("n", [1, 366])
def test_workday_count_bounds_are_accepted(calendar, n):
    assert calendar.add_workdays(D(2025, 3, 3), n).date > D(2025, 3, 3)


@pytest.mark.parametrize("day", [D(2003, 12, 31), D(2100, 1, 1), D(1, 1, 1)])
def test_dates_outside_2004_2099_are_rejected(calendar, day):
    for call in (
        lambda: calendar.is_workday(day),
        lambda: calendar.is_provisional(day),
        lambda: calendar.add_workdays(day, 1),
        lambda: calendar.workdays_between(day, D(2025, 1, 1)),
        lambda: calendar.workdays_between(D(2025, 1, 1), day),
    ):
        with pytest.raises(ValueError, match="超出支持范围（2004-01-01 至 2099-12-31）"):
            call()


def test_range_edges_are_accepted(calendar):
    assert calendar.is_workday(D(2004, 1, 1)) is False  # 元旦
    assert calendar.is_workday(D(2099, 12, 31)) is True  # Thursday
    assert calendar.add_workdays(D(2099, 12, 30), 1).date == D(2099, 12, 31)


def test_deadline_past_2099_is_rejected(calendar):
    with pytest.raises(ValueError, match="期限超出支持范围"):
        calendar.add_workdays(D(2099, 12, 31), 1)


@pytest.mark.parametrize("value", [dt.datetime(2025, 3, 3, 9, 0), "2025-03-03", None])
def test_non_date_values_are_rejected(calendar, value):
    with pytest.raises(TypeError, match="datetime.date"):
        calendar.is_workday(value)
