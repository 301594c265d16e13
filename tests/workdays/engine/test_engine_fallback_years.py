"""Years with no official schedule: statutory fallback holidays and provisionality."""

import datetime as dt

import chinese_calendar
import pytest

from govmedia.workdays.engine import Deadline, WorkdayCalendar, statutory_holidays

D = dt.date


def test_chinese_calendar_has_no_2027_data():
    # The fact the fallback exists for; if this fails, the library was upgraded and
    # the 2027 tests below need a year that is still unpublished.
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))


def test_statutory_holidays_2027():
    assert statutory_holidays(2027) == {
        D(2027, 1, 1): "元旦",
        # 除夕 2027-02-05 is lunar 12/29 (that month has 29 days) through 正月初三.
        D(2027, 2, 5): "春节",
        D(2027, 2, 6): "春节",
        D(2027, 2, 7): "春节",
        D(2027, 2, 8): "春节",
        D(2027, 4, 5): "清明节",
        D(2027, 5, 1): "劳动节",
        D(2027, 5, 2): "劳动节",
        D(2027, 6, 9): "端午节",
        D(2027, 9, 15): "中秋节",
        D(2027, 10, 1): "国庆节",
        D(2027, 10, 2): "国庆节",
        D(2027, 10, 3): "国庆节",
    }


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_days_are_official_holidays_under_the_2025_rules(year):
    # Cross-check lunar-python against the published schedules of the revised law.
    for day in statutory_holidays(year):
        assert chinese_calendar.is_holiday(day), day


def test_statutory_holidays_count_thirteen_days_a_year():
    # 1 + 4 + 1 + 2 + 1 + 1 + 3 under the 2025 rules.
    assert len(statutory_holidays(2030)) == 13


def test_coinciding_festivals_share_one_day():
    # 2028 中秋 is 10-03; the law grants no extra day for the overlap.
    holidays = statutory_holidays(2028)
    assert holidays[D(2028, 10, 3)] == "中秋节、国庆节"
    assert len(holidays) == 12


def test_statutory_holidays_returns_a_fresh_dict():
    statutory_holidays(2031).clear()
    assert statutory_holidays(2031)


@pytest.mark.parametrize("year", [2003, 2100])
def test_statutory_holidays_rejects_unsupported_years(year):
    with pytest.raises(ValueError, match="超出支持范围"):
        statutory_holidays(year)


def test_fallback_workdays_are_weekdays_without_statutory_holidays():
    calendar = WorkdayCalendar()
    assert calendar.is_workday(D(2027, 1, 1)) is False  # Friday, 元旦
    assert calendar.is_workday(D(2027, 1, 2)) is False  # Saturday
    assert calendar.is_workday(D(2027, 2, 8)) is False  # Monday, 正月初三
    assert calendar.is_workday(D(2027, 2, 9)) is True
    assert calendar.is_workday(D(2027, 4, 5)) is False  # Monday, 清明
    assert calendar.is_provisional(D(2027, 4, 5)) is True


def test_deadline_into_unpublished_year_is_provisional():
    # 12-29..31 are 1..3; 2027-01-01 is 元旦 (fallback); 1-4..7 are 4..7.
    deadline = WorkdayCalendar().add_workdays(D(2026, 12, 28), 7)
    assert deadline == Deadline(D(2027, 1, 7), True)


def test_deadline_within_published_year_is_not_provisional_even_near_its_end():
    assert WorkdayCalendar().add_workdays(D(2026, 12, 30), 1) == Deadline(D(2026, 12, 31), False)


def test_event_year_does_not_make_a_deadline_provisional():
    calendar = WorkdayCalendar(published_years=[2027])
    # Event on the last day of 2026 counts only 2027 days.
    assert calendar.add_workdays(D(2026, 12, 31), 1) == Deadline(D(2027, 1, 4), False)
    # Event on the last day of published 2027: the counted days lie in unpublished 2028.
    assert calendar.add_workdays(D(2027, 12, 31), 1).provisional is True


def test_published_year_removes_provisionality():
    calendar = WorkdayCalendar(published_years=[2027])
    assert calendar.add_workdays(D(2026, 12, 28), 7) == Deadline(D(2027, 1, 7), False)
    assert calendar.is_provisional(D(2027, 6, 1)) is False
    assert calendar.is_provisional(D(2028, 6, 1)) is True


def test_spring_festival_2027_fallback_deadline():
    # 2-4 (Thu) + 5: 2-5..8 holiday (除夕..初三), so 2-9..2-12 are 1..4, 2-15 is 5.
    assert WorkdayCalendar().add_workdays(D(2027, 2, 4), 5) == Deadline(D(2027, 2, 15), True)
