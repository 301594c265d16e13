"""Properties of deadline arithmetic, checked against a day-by-day walk."""

import datetime as dt

import chinese_calendar
from hypothesis import given, settings
from hypothesis import strategies as st

from govmedia.workdays.engine import MAX_WORKDAYS, MIN_WORKDAYS, WorkdayCalendar

D = dt.date
FIRST_DAY = D(2004, 1, 1)
# Leaves room for 366 working days before the 2099-12-31 limit.
LAST_START = D(2097, 12, 31)
# More examples than the default; the rest (derandomized, no deadline) is the suite's profile
# in tests/conftest.py.
SETTINGS = settings(max_examples=200)

starts = st.one_of(
    st.dates(D(2004, 1, 1), LAST_START),
    # Oversample the edge between official and fallback data.
    st.dates(D(2025, 6, 1), D(2027, 12, 31)),
)
counts = st.integers(MIN_WORKDAYS, MAX_WORKDAYS)


@st.composite
def calendars_and_starts(draw):
    start = draw(starts)
    # Overrides near the start, where they can affect the deadline.
    override_days = (
        st.integers(-5, 600)
        .map(lambda k: start + dt.timedelta(days=k))
        .filter(lambda day: day >= FIRST_DAY)
    )
    overrides = draw(st.dictionaries(override_days, st.booleans(), max_size=15))
    published = draw(st.frozensets(st.integers(2004, 2099), max_size=4))
    return WorkdayCalendar(overrides, published), overrides, start


def days_after(start, end):
    """Each day after start up to and including end."""
    return [start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1)]


@SETTINGS
@given(calendars_and_starts(), counts)
def test_deadline_is_the_nth_workday_after_start(setup, n):
    calendar, _, start = setup
    deadline = calendar.add_workdays(start, n)
    assert deadline.date > start
    assert calendar.is_workday(deadline.date)
    assert calendar.workdays_between(start, deadline.date) == n
    walked = days_after(start, deadline.date)
    assert sum(calendar.is_workday(day) for day in walked) == n


@SETTINGS
@given(calendars_and_starts(), counts)
def test_provisional_iff_a_counted_day_is_provisional(setup, n):
    calendar, _, start = setup
    deadline = calendar.add_workdays(start, n)
    walked = days_after(start, deadline.date)
    assert deadline.provisional == any(calendar.is_provisional(day) for day in walked)


@SETTINGS
@given(calendars_and_starts(), counts, st.data())
def test_deadlines_compose(setup, n, data):
    calendar, _, start = setup
    k = data.draw(st.integers(1, n))
    midway = calendar.add_workdays(start, k).date
    if k == n:
        assert midway == calendar.add_workdays(start, n).date
    else:
        assert calendar.add_workdays(midway, n - k).date == calendar.add_workdays(start, n).date


@SETTINGS
@given(calendars_and_starts(), st.dates(D(2004, 1, 1), D(2099, 12, 31)))
def test_workdays_between_is_antisymmetric(setup, other):
    calendar, _, start = setup
    assert calendar.workdays_between(start, other) == -calendar.workdays_between(other, start)


@SETTINGS
@given(calendars_and_starts())
def test_overrides_always_win(setup):
    calendar, overrides, _ = setup
    for day, is_workday in overrides.items():
        assert calendar.is_workday(day) is is_workday


@SETTINGS
@given(st.dates(D(2004, 1, 1), D(2026, 12, 31)))
def test_without_overrides_official_years_follow_chinese_calendar(day):
    calendar = WorkdayCalendar()
    assert calendar.is_workday(day) == chinese_calendar.is_workday(day)
    assert calendar.is_provisional(day) is False
