"""Working-day arithmetic over official schedules, statutory fallbacks and admin overrides.

Which source decides whether a day is a working day, strongest first:
1. an administrator's override for that day (holiday or 调休 make-up workday);
2. the official schedule shipped by chinese-calendar, for the years it covers;
3. otherwise Monday to Friday, minus the statutory holidays (statutory.py).

Provisionality is a property of years: a year is settled when chinese-calendar covers
it or the administrators have declared its schedule published and entered; otherwise it
is provisional, even if it already has some overrides (a half-entered schedule is still
a guess). A deadline is provisional when any day after the event date, up to and
including the deadline, lies in a provisional year. The event date itself is not
counted, so its year does not matter.
"""

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from .dates import MAX_DATE, check_date, check_year
from .official import has_official_schedule, is_official_workday
from .statutory import statutory_holidays

MIN_WORKDAYS = 1
MAX_WORKDAYS = 366


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    provisional: bool


class WorkdayCalendar:
    """Immutable working-day calendar; build one per set of admin overrides.

    Each year's working days are kept as a sorted tuple of ordinals, so that adding or
    counting working days is a bisect per year touched rather than a walk day by day.
    """

    def __init__(
        self,
        overrides: Mapping[dt.date, bool] | None = None,
        published_years: Iterable[int] = (),
    ) -> None:
        self._overrides_by_year = _group_by_year(overrides or {})
        self._published_years = frozenset(check_year(year) for year in published_years)
        # Filled lazily; concurrent threads at worst compute the same tuple twice.
        self._workdays_by_year: dict[int, tuple[int, ...]] = {}

    def is_workday(self, day: dt.date) -> bool:
        ordinal = check_date(day).toordinal()
        workdays = self._workdays(day.year)
        index = bisect_left(workdays, ordinal)
        return index < len(workdays) and workdays[index] == ordinal

    def is_provisional(self, day: dt.date) -> bool:
        """Whether day's status is a guess (its year has no official schedule)."""
        return self._is_provisional_year(check_date(day).year)

    def add_workdays(self, start: dt.date, n: int) -> Deadline:
        """The n-th working day after start (start itself is not counted)."""
        check_date(start)
        _check_workday_count(n)
        after = start.toordinal()
        first_year = (start + dt.timedelta(days=1)).year
        year, remaining = first_year, n
        while True:
            if year > MAX_DATE.year:
                raise ValueError(
                    f"自 {start.isoformat()} 起 {n} 个工作日的期限超出支持范围（最晚 {MAX_DATE}）"
                )
            workdays = self._workdays(year)
            index = bisect_right(workdays, after)
            available = len(workdays) - index
            if remaining <= available:
                deadline = dt.date.fromordinal(workdays[index + remaining - 1])
                break
            remaining -= available
            year += 1
        provisional = any(
            self._is_provisional_year(y) for y in range(first_year, deadline.year + 1)
        )
        return Deadline(deadline, provisional)

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """Working days after a up to and including b; negative when b is before a.

        So workdays_between(today, due) is "due in N working days" and
        workdays_between(due, today) is "overdue by N working days"; 0 on the due day.
        """
        check_date(a)
        check_date(b)
        if b < a:
            return -self.workdays_between(b, a)
        low, high = a.toordinal(), b.toordinal()
        count = 0
        for year in range(a.year, b.year + 1):
            workdays = self._workdays(year)
            count += bisect_right(workdays, high) - bisect_right(workdays, low)
        return count

    def _is_provisional_year(self, year: int) -> bool:
        return not (year in self._published_years or has_official_schedule(year))

    def _workdays(self, year: int) -> tuple[int, ...]:
        workdays = self._workdays_by_year.get(year)
        if workdays is None:
            base = _base_workdays(year)
            workdays = _apply_overrides(base, self._overrides_by_year.get(year, {}))
            self._workdays_by_year[year] = workdays
        return workdays


def _check_workday_count(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or not MIN_WORKDAYS <= n <= MAX_WORKDAYS:
        raise ValueError(f"工作日天数应为 {MIN_WORKDAYS} 至 {MAX_WORKDAYS} 之间的整数，收到「{n}」")


def _group_by_year(overrides: Mapping[dt.date, bool]) -> dict[int, dict[int, bool]]:
    """Validate overrides and index them as year -> {ordinal: is_workday}."""
    grouped: dict[int, dict[int, bool]] = {}
    for day, is_workday in overrides.items():
        check_date(day)
        if not isinstance(is_workday, bool):
            raise TypeError(
                f"{day.isoformat()} 的调整值应为 True（上班）或 False（放假），收到「{is_workday}」"
            )
        grouped.setdefault(day.year, {})[day.toordinal()] = is_workday
    return grouped


def _apply_overrides(base: tuple[int, ...], overrides: Mapping[int, bool]) -> tuple[int, ...]:
    if not overrides:
        return base
    workdays = set(base)
    for ordinal, is_workday in overrides.items():
        if is_workday:
            workdays.add(ordinal)
        else:
            workdays.discard(ordinal)
    return tuple(sorted(workdays))


@cache
def _base_workdays(year: int) -> tuple[int, ...]:
    """Sorted ordinals of year's working days before admin overrides.

    Shared by every calendar instance: the Django layer builds a new calendar whenever
    the overrides change, and this is the expensive part.
    """
    days = _days_of_year(year)
    if has_official_schedule(year):
        return tuple(d.toordinal() for d in days if is_official_workday(d))
    holidays = statutory_holidays(year)
    return tuple(d.toordinal() for d in days if d.weekday() < 5 and d not in holidays)


def _days_of_year(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    length = (dt.date(year + 1, 1, 1) - first).days
    return [first + dt.timedelta(days=i) for i in range(length)]
