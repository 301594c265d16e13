"""Fallback holidays for years whose official schedule is not out yet.

The rules are those of 《全国年节及纪念日放假办法》 as revised with effect from
2025-01-01. Only the statutory days are produced: the yearly State Council notice adds
调休 (bridged weekdays, make-up weekend workdays) that cannot be predicted, which is why
deadlines relying on these days are marked provisional.
"""

import datetime as dt
from functools import cache

from lunar_python import Lunar, Solar

from .dates import check_year

NEW_YEAR = "元旦"
SPRING_FESTIVAL = "春节"
QINGMING = "清明节"
LABOUR_DAY = "劳动节"
DRAGON_BOAT = "端午节"
MID_AUTUMN = "中秋节"
NATIONAL_DAY = "国庆节"

SPRING_FESTIVAL_DAYS = 4  # 除夕 through lunar 1/3


def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The statutory days off in year, each with its festival name.

    When two festivals fall on one day (中秋 on 1-3 October, e.g. 2028) the names are
    joined with "、"; the law gives no extra day for that, so neither do we.
    """
    return dict(_statutory_holidays(check_year(year)))


@cache
def _statutory_holidays(year: int) -> tuple[tuple[dt.date, str], ...]:
    holidays: dict[dt.date, str] = {}
    for day, name in _festival_days(year):
        holidays[day] = f"{holidays[day]}、{name}" if day in holidays else name
    return tuple(sorted(holidays.items()))


def _festival_days(year: int):
    yield dt.date(year, 1, 1), NEW_YEAR
    for day in _spring_festival(year):
        yield day, SPRING_FESTIVAL
    yield _qingming(year), QINGMING
    yield dt.date(year, 5, 1), LABOUR_DAY
    yield dt.date(year, 5, 2), LABOUR_DAY
    yield _lunar_to_date(year, 5, 5), DRAGON_BOAT
    yield _lunar_to_date(year, 8, 15), MID_AUTUMN
    for day in (1, 2, 3):
        yield dt.date(year, 10, day), NATIONAL_DAY


def _spring_festival(year: int) -> list[dt.date]:
    # 除夕 is the last day of the 12th lunar month, which may be the 29th or the 30th,
    # so it is found as the day before lunar new year rather than as a fixed lunar date.
    new_year = _lunar_to_date(year, 1, 1)
    eve = new_year - dt.timedelta(days=1)
    return [eve + dt.timedelta(days=i) for i in range(SPRING_FESTIVAL_DAYS)]


def _qingming(year: int) -> dt.date:
    # 1 April always lies in lunar year `year`, whose solar-term table holds this
    # Gregorian year's 清明 (4 or 5 April).
    term = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    return dt.date(term.getYear(), term.getMonth(), term.getDay())


def _lunar_to_date(year: int, month: int, day: int) -> dt.date:
    """Gregorian date of a lunar date; a positive month is never the leap month."""
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
