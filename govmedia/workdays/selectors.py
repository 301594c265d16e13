"""Reads for the calendar pages: what each day of a year is, and why.

A day's verdict comes from the engine (current_calendar); this module adds what a person needs to
trust it: the day's name (春节, 调休上班 …) and where it came from (an administrator's override,
the official schedule shipped with chinese-calendar, or the statutory fallback).
"""

import calendar as std_calendar
from dataclasses import dataclass, field
from datetime import date

import chinese_calendar

from .calendar import current_calendar
from .engine import WorkdayCalendar, statutory_holidays
from .engine.dates import MAX_DATE, MIN_DATE
from .engine.official import has_official_schedule
from .models import CalendarDay, PublishedYear

WEEKDAY_NAMES = ("一", "二", "三", "四", "五", "六", "日")
STATUTORY_RULES = "《全国年节及纪念日放假办法》"

# The calendar before any administrator's override: what a day "already is".
BASE_CALENDAR = WorkdayCalendar()


def weekday_label(day: date) -> str:
    return f"星期{WEEKDAY_NAMES[day.weekday()]}"


def base_day_name(day: date) -> str:
    """The festival a day belongs to by the official schedule or the statutory fallback."""
    if has_official_schedule(day.year):
        _, english = chinese_calendar.get_holiday_detail(day)
        if not english:
            return ""
        try:
            return chinese_calendar.Holiday(english).chinese
        except ValueError:
            return english
    return statutory_holidays(day.year).get(day, "")


def base_source_label(year: int) -> str:
    if has_official_schedule(year):
        return "国务院办公厅已发布的放假安排"
    return f"周末及{STATUTORY_RULES}规定的节日"


def describe_base(day: date) -> str:
    """E.g. "2027-10-01（星期五）按周末及《…》规定的节日已是休息日（国庆节）"."""
    is_workday = BASE_CALENDAR.is_workday(day)
    name = base_day_name(day)
    verdict = "工作日" if is_workday else "休息日"
    suffix = f"（{name}）" if name and not is_workday else ""
    return f"{day.isoformat()}（{weekday_label(day)}）按{base_source_label(day.year)}已是{verdict}{suffix}"


@dataclass(frozen=True)
class YearStatus:
    year: int
    kind: str  # "official" (shipped with chinese-calendar), "published" (declared), "provisional"
    published: PublishedYear | None = None

    @property
    def provisional(self) -> bool:
        return self.kind == "provisional"

    @property
    def label(self) -> str:
        return "临时推算" if self.provisional else "官方已发布"

    @property
    def explanation(self) -> str:
        if self.kind == "official":
            return "国务院办公厅的放假安排已内置于系统日历数据。"
        if self.kind == "published":
            return f"平台管理员已录入并声明该年度官方放假安排（依据：{self.published.source_notice}）。"
        return (
            f"该年度放假安排尚未发布或尚未录入：按周末和{STATUTORY_RULES}规定的节日推算，"
            "不含调休。以此计算的期限均标注“临时”，录入并声明官方安排后自动按新安排重新计算。"
        )


def year_status(year: int) -> YearStatus:
    if has_official_schedule(year):
        return YearStatus(year, "official")
    published = PublishedYear.objects.select_related("declared_by").filter(year=year).first()
    if published is not None:
        return YearStatus(year, "published", published)
    return YearStatus(year, "provisional")


@dataclass(frozen=True)
class DayCell:
    day: date
    kind: str  # work, rest, holiday, makeup
    name: str
    override: CalendarDay | None
    today: bool

    @property
    def title(self) -> str:
        parts = [f"{self.day.isoformat()} {weekday_label(self.day)}", KIND_LABELS[self.kind]]
        if self.name:
            parts.append(self.name)
        if self.override is not None:
            parts.append(f"管理员调整，依据：{self.override.source_notice}")
        return " · ".join(parts)


KIND_LABELS = {
    "work": "工作日",
    "rest": "休息日",
    "holiday": "节假日",
    "makeup": "调休上班",
}


@dataclass
class Month:
    number: int
    weeks: list[list[DayCell | None]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.number}月"


def month_grids(year: int, today: date | None = None) -> list[Month]:
    calendar = current_calendar()
    overrides = {o.date: o for o in CalendarDay.objects.filter(date__year=year)}
    official = has_official_schedule(year)
    statutory = {} if official else statutory_holidays(year)
    months = []
    for number in range(1, 13):
        month = Month(number)
        for week in std_calendar.Calendar(firstweekday=0).monthdatescalendar(year, number):
            row: list[DayCell | None] = []
            for day in week:
                if day.month != number:
                    row.append(None)
                    continue
                override = overrides.get(day)
                if override is not None:
                    name = override.name
                elif official:
                    name = base_day_name(day)
                else:
                    name = statutory.get(day, "")
                row.append(_cell(day, calendar.is_workday(day), name, override, today))
            month.weeks.append(row)
        months.append(month)
    return months


def _cell(day, is_workday, name, override, today) -> DayCell:
    weekend = day.weekday() >= 5
    if is_workday:
        kind = "makeup" if weekend else "work"
        # chinese-calendar names a make-up day after its festival; say what it is.
        if kind == "makeup" and name and "调休" not in name and override is None:
            name = f"{name}调休上班"
    else:
        kind = "holiday" if (name or not weekend) else "rest"
    return DayCell(day, kind, name, override, day == today)


def statutory_list(year: int) -> list[tuple[date, str]]:
    return sorted(statutory_holidays(year).items())


def year_overrides(year: int):
    return CalendarDay.objects.filter(date__year=year).select_related("created_by").order_by("date")


def clamp_year(year: int) -> int:
    return min(max(year, MIN_DATE.year), MAX_DATE.year)
