"""Administrator overrides (holidays and 调休 make-up workdays) win over every source."""

import datetime as dt

import pytest

from govmedia.workdays.engine import Deadline, WorkdayCalendar

D = dt.date


def test_declared_holiday_pushes_the_deadline():
    base = WorkdayCalendar().add_workdays(D(2025, 9, 26), 7)
    assert base.date == D(2025, 10, 13)
    calendar = WorkdayCalendar({D(2025, 10, 13): False})
    assert calendar.is_workday(D(2025, 10, 13)) is False
    assert calendar.add_workdays(D(2025, 9, 26), 7) == Deadline(D(2025, 10, 14), False)


def test_declared_make_up_workday_pulls_the_deadline_in():
    # 2025-09-27 is a Saturday off; declaring it worked makes it the 1st working day.
    calendar = WorkdayCalendar({D(2025, 9, 27): True})
    assert calendar.add_workdays(D(2025, 9, 26), 7) == Deadline(D(2025, 10, 11), False)


def test_override_turns_an_official_holiday_into_a_workday():
    calendar = WorkdayCalendar({D(2025, 10, 8): True})
    assert calendar.is_workday(D(2025, 10, 8)) is True
    assert calendar.workdays_between(D(2025, 9, 30), D(2025, 10, 8)) == 1


def test_overrides_win_in_provisional_years():
    # The 2027 official schedule, say, bridges 2-9 and makes Sunday 2-14 a workday.
    calendar = WorkdayCalendar({D(2027, 2, 9): False, D(2027, 2, 14): True})
    assert calendar.is_workday(D(2027, 2, 9)) is False
    assert calendar.is_workday(D(2027, 2, 14)) is True
    # 2-10, 11, 12, 14 (调休), 15.
    assert calendar.add_workdays(D(2027, 2, 4), 5) == Deadline(D(2027, 2, 15), True)


def test_overrides_alone_do_not_publish_a_year():
    calendar = WorkdayCalendar({D(2027, 1, 4): False})
    assert calendar.is_provisional(D(2027, 1, 4)) is True


def test_overrides_and_published_year_together():
    calendar = WorkdayCalendar({D(2027, 1, 4): False}, published_years={2027})
    assert calendar.add_workdays(D(2026, 12, 31), 1) == Deadline(D(2027, 1, 5), False)


def test_calendar_copies_overrides():
    overrides = {D(2025, 10, 13): False}
    calendar = WorkdayCalendar(overrides)
    overrides[D(2025, 10, 13)] = True
    assert calendar.is_workday(D(2025, 10, 13)) is False


def test_override_value_must_be_a_bool():
    with pytest.raises(TypeError, match="True（上班）或 False（放假）"):
        WorkdayCalendar({D(2025, 10, 13): 1})


def test_override_date_must_be_supported():
    with pytest.raises(ValueError, match="超出支持范围"):
        WorkdayCalendar({D(2100, 1, 1): False})


def test_published_year_must_be_supported():
    with pytest.raises(ValueError, match="超出支持范围"):
        WorkdayCalendar(published_years=[1999])
