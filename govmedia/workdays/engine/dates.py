"""The supported date range of the calendar engine, and the checks that keep to it."""

import datetime as dt

# chinese-calendar's official data starts in 2004; before that we know nothing reliable.
MIN_DATE = dt.date(2004, 1, 1)
# A hard stop keeps lunar conversions well inside lunar-python's tables.
MAX_DATE = dt.date(2099, 12, 31)


def check_date(value: dt.date) -> dt.date:
    """Return value if it is a plain date inside the supported range."""
    # A datetime is a date subclass, but its calendar day depends on a time zone the
    # caller must resolve first, so refuse it rather than silently drop the time.
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise TypeError(f"应传入 datetime.date 类型的日期，收到 {type(value).__name__}")
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(f"日期 {value.isoformat()} 超出支持范围（{MIN_DATE} 至 {MAX_DATE}）")
    return value


def check_year(year: int) -> int:
    """Return year if it is an int inside the supported range."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise TypeError(f"年份应为整数，收到 {type(year).__name__}")
    if not MIN_DATE.year <= year <= MAX_DATE.year:
        raise ValueError(f"年份 {year} 超出支持范围（{MIN_DATE.year} 至 {MAX_DATE.year}）")
    return year
