"""The working-day calendar as the rest of the platform reads it.

`current_calendar()` is the engine's WorkdayCalendar built from the administrators' tables and
cached per process. Each call reads the one-row `CalendarVersion` (one indexed query) and rebuilds
only when its stamp differs from the cached one, so an override saved by any web or worker process
takes effect in every other process on its next call, without a restart.

`deadline_from_text()` is the one parser of "start date + N working days" used by the API, the
page and the `workdays deadline` command, so all three give the same answer and the same errors.
"""

import threading
from datetime import date

from govmedia.core.dates import parse_date
from govmedia.core.errors import ServiceError

from .engine import MAX_WORKDAYS, MIN_WORKDAYS, Deadline, WorkdayCalendar
from .engine.dates import check_date
from .models import CalendarDay, CalendarVersion, PublishedYear

_lock = threading.Lock()
_cached: tuple[str, WorkdayCalendar] | None = None

# Stamp of a database whose version row does not exist yet: nothing was ever saved, so the
# tables are empty (the row is created by the migration or by the first calendar service).
_NO_ROW = ""


def current_stamp() -> str:
    stamp = CalendarVersion.objects.filter(pk=1).values_list("stamp", flat=True).first()
    return _NO_ROW if stamp is None else stamp


def current_calendar() -> WorkdayCalendar:
    global _cached
    # The stamp is read before the tables: a change committed in between leaves a cache newer
    # than its stamp, which the next call rebuilds; the other order could keep a stale one.
    stamp = current_stamp()
    cached = _cached
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == stamp:
            return _cached[1]
        calendar = build_calendar()
        _cached = (stamp, calendar)
        return calendar


def build_calendar() -> WorkdayCalendar:
    overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
    years = PublishedYear.objects.values_list("year", flat=True)
    return WorkdayCalendar(overrides, published_years=list(years))


def deadline(start: date, days: int) -> Deadline:
    """The `days`-th working day after `start` (the event day itself is not counted)."""
    try:
        return current_calendar().add_workdays(start, days)
    except (TypeError, ValueError) as exc:
        raise ServiceError(str(exc), field="days", code="out_of_range") from None


def parse_start(text) -> date:
    if not (text.strip() if isinstance(text, str) else text):
        raise ServiceError("请提供起始日期（start），格式 YYYY-MM-DD", field="start")
    try:
        return parse_date(text.strip() if isinstance(text, str) else "")
    except ValueError as exc:
        raise ServiceError(f"起始日期（start）：{exc}", field="start") from None


def parse_days(text) -> int:
    value = str(text if text is not None else "").strip()
    if not value:
        raise ServiceError(
            f"请提供工作日天数（days），{MIN_WORKDAYS} 至 {MAX_WORKDAYS} 之间的整数", field="days"
        )
    # [0-9] only: int() would also take "７" or "1_0".
    if not value or not all("0" <= ch <= "9" for ch in value) or len(value) > 4:
        raise ServiceError(
            f"工作日天数（days）应为 {MIN_WORKDAYS} 至 {MAX_WORKDAYS} 之间的整数，收到「{value}」",
            field="days",
        )
    days = int(value)
    if not MIN_WORKDAYS <= days <= MAX_WORKDAYS:
        raise ServiceError(
            f"工作日天数（days）应为 {MIN_WORKDAYS} 至 {MAX_WORKDAYS} 之间的整数，收到「{days}」",
            field="days",
        )
    return days


def check_start(start: date) -> date:
    try:
        return check_date(start)
    except (TypeError, ValueError) as exc:
        raise ServiceError(f"起始日期（start）：{exc}", field="start") from None


def deadline_from_text(start: str, days: str) -> Deadline:
    """Parse "YYYY-MM-DD" and a day count as typed by a person or a script, then compute."""
    start_date = check_start(parse_start(start))
    return deadline(start_date, parse_days(days))


def deadline_json(result: Deadline) -> dict:
    """The answer of the API and of the command, keys in this order."""
    return {"deadline": result.date.isoformat(), "provisional": result.provisional}


def _forget_cache() -> None:
    """Drop this process's cached calendar (tests; never needed for correctness)."""
    global _cached
    with _lock:
        _cached = None
