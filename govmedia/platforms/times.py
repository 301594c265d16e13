"""The platforms' time formats, read into timezone-aware datetimes.

Weibo writes `Tue Nov 24 10:03:12 +0800 2026`; WeChat and Douyin write unix seconds; Kuaishou
writes unix milliseconds. Parsing is done by hand, not with strptime's %a/%b, so the process
locale can never change what a date means.
"""

from datetime import UTC, datetime, timedelta, timezone

from .httpjson import ShapeError

CHINA = timezone(timedelta(hours=8), "CST")  # China keeps one offset all year, no DST

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def parse_weibo_time(value) -> datetime:
    """`Tue Nov 24 10:03:12 +0800 2026` → an aware datetime keeping the +08:00 offset."""
    if not isinstance(value, str):
        raise ShapeError(f"微博时间不是字符串：{value!r}")
    parts = value.split()
    try:
        weekday, month, day, clock, offset, year = parts
        hour, minute, second = (int(x) for x in clock.split(":"))
        sign = -1 if offset[0] == "-" else 1
        if len(offset) != 5 or offset[0] not in "+-" or weekday not in _WEEKDAYS:
            raise ValueError(offset)
        tz = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])))
        return datetime(int(year), _MONTHS[month], int(day), hour, minute, second, tzinfo=tz)
    except (ValueError, KeyError) as exc:
        raise ShapeError(f"无法识别的微博时间：{value!r}") from exc


def format_weibo_time(moment: datetime) -> str:
    """The inverse, for the fake Weibo server: always written in China time like Weibo does."""
    local = moment.astimezone(CHINA)
    month = next(name for name, number in _MONTHS.items() if number == local.month)
    return (
        f"{_WEEKDAYS[local.weekday()]} {month} {local.day:02d} "
        f"{local.hour:02d}:{local.minute:02d}:{local.second:02d} +0800 {local.year}"
    )


def from_unix_seconds(value) -> datetime:
    return datetime.fromtimestamp(_number(value, "秒级时间戳"), tz=UTC).astimezone(CHINA)


def from_unix_millis(value) -> datetime:
    return datetime.fromtimestamp(_number(value, "毫秒级时间戳") / 1000, tz=UTC).astimezone(CHINA)


def seconds_to_midnight(now: float) -> float:
    """From the unix time `now` to the next midnight in China, when daily API quotas reset."""
    moment = datetime.fromtimestamp(now, CHINA)
    midnight = datetime.combine(moment.date() + timedelta(days=1), datetime.min.time(), CHINA)
    return (midnight - moment).total_seconds()


def _number(value, what: str) -> int:
    # bool is an int in Python; a platform sending true for a time is a broken answer.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ShapeError(f"{what}格式不对：{value!r}")
    return value
