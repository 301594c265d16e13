"""Deadlines in years covered by chinese-calendar's official schedules."""

import datetime as dt

import chinese_calendar
import pytest

from govmedia.workdays.engine import Deadline, WorkdayCalendar

D = dt.date
OPEN_DAYS = 7  # 通知附件备注 1：开设后 7 个工作日内备案
CHANGE_DAYS = 5  # 通知附件备注 2：变更、关停、注销后 5 个工作日内备案


@pytest.fixture(scope="module")
def calendar():
    return WorkdayCalendar()


@pytest.mark.parametrize(
    ("day", "is_workday"),
    [
        # 2024 春节：2-10..17 放假，2-4（周日）、2-18（周日）上班
        (D(2024, 2, 4), True),
        (D(2024, 2, 9), True),
        (D(2024, 2, 10), False),
        (D(2024, 2, 17), False),
        (D(2024, 2, 18), True),
        # 2025 国庆中秋：10-1..8 放假，9-28（周日）、10-11（周六）上班
        (D(2025, 9, 28), True),
        (D(2025, 10, 1), False),
        (D(2025, 10, 8), False),
        (D(2025, 10, 11), True),
        # 2026 as chinese-calendar 1.11 has it: 春节 2-15..23, 2-14 and 2-28 (Sat) worked
        (D(2026, 2, 14), True),
        (D(2026, 2, 15), False),
        (D(2026, 2, 23), False),
        (D(2026, 2, 28), True),
        # 2026 元旦 1-1..3, 1-4 (Sun) worked; 国庆 10-1..7, 9-20 (Sun) and 10-10 (Sat) worked
        (D(2026, 1, 4), True),
        (D(2026, 9, 20), True),
        (D(2026, 10, 7), False),
        (D(2026, 10, 10), True),
    ],
)
def test_official_schedule_includes_adjusted_workdays(calendar, day, is_workday):
    assert calendar.is_workday(day) is is_workday
    assert calendar.is_provisional(day) is False


def test_matches_chinese_calendar_on_every_covered_day(calendar):
    day = D(2004, 1, 1)
    while day.year <= 2026:
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


def test_event_day_itself_is_not_counted(calendar):
    # Monday + 1 is Tuesday, not Monday.
    assert calendar.add_workdays(D(2025, 3, 3), 1) == Deadline(D(2025, 3, 4), False)


def test_event_on_a_weekend_counts_from_the_next_workday(calendar):
    assert calendar.add_workdays(D(2025, 3, 8), 1) == Deadline(D(2025, 3, 10), False)


def test_opened_the_day_before_spring_festival_2026(calendar):
    # 2-14 (Sat, 调休) is the 1st; holiday 2-15..23; 2-28 (Sat, 调休) is the 6th.
    assert calendar.add_workdays(D(2026, 2, 13), OPEN_DAYS) == Deadline(D(2026, 3, 2), False)


def test_changed_the_day_before_spring_festival_2025(calendar):
    # Holiday 1-28..2-4; 2-8 (Sat, 调休) is the 4th working day.
    assert calendar.add_workdays(D(2025, 1, 27), CHANGE_DAYS) == Deadline(D(2025, 2, 10), False)


def test_across_labour_day_2025(calendar):
    # 4-27 (Sun, 调休) is the 1st; holiday 5-1..5.
    assert calendar.add_workdays(D(2025, 4, 25), CHANGE_DAYS) == Deadline(D(2025, 5, 6), False)


def test_across_national_day_2025(calendar):
    # 9-28 (Sun) and 10-11 (Sat) are make-up workdays; holiday 10-1..8.
    assert calendar.add_workdays(D(2025, 9, 26), OPEN_DAYS) == Deadline(D(2025, 10, 13), False)


def test_across_national_day_2026(calendar):
    # Holiday 10-1..7; 10-8, 10-9, 10-10 (Sat, 调休), 10-12, 10-13.
    assert calendar.add_workdays(D(2026, 9, 30), CHANGE_DAYS) == Deadline(D(2026, 10, 13), False)


def test_workdays_between_counts_after_a_up_to_b(calendar):
    due = D(2025, 10, 13)
    assert calendar.workdays_between(D(2025, 9, 26), due) == OPEN_DAYS
    assert calendar.workdays_between(D(2025, 10, 9), due) == 3  # 10-10, 10-11, 10-13
    assert calendar.workdays_between(due, due) == 0
    # Overdue: from the deadline to 10-16 three working days have passed.
    assert calendar.workdays_between(due, D(2025, 10, 16)) == 3
    assert calendar.workdays_between(D(2025, 10, 16), due) == -3


def test_workdays_between_holiday_only_span_is_zero(calendar):
    assert calendar.workdays_between(D(2025, 9, 30), D(2025, 10, 8)) == 0


def test_workdays_between_spans_years(calendar):
    # 2024 has 251 working days per chinese-calendar; count them independently.
    expected = sum(
        chinese_calendar.is_workday(D(2024, 1, 1) + dt.timedelta(days=i)) for i in range(366)
    )
    assert calendar.workdays_between(D(2023, 12, 31), D(2024, 12, 31)) == expected
