"""Calendar periods for statistics: a month, a quarter or a year, the one a day falls in, the
ones before it, and their Chinese names. Pure: no Django."""

from dataclasses import dataclass
from datetime import date

KINDS = {"month": "月", "quarter": "季度", "year": "年"}
MONTHS = {"month": 1, "quarter": 3, "year": 12}
# How many periods a trend shows, the chosen one last.
TREND_LENGTH = {"month": 12, "quarter": 8, "year": 5}
QUARTER_NAMES = "一二三四"


@dataclass(frozen=True, order=True)
class Period:
    start: date
    kind: str

    @property
    def end(self) -> date:
        """The first day after the period."""
        return _add_months(self.start, MONTHS[self.kind])

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{QUARTER_NAMES[(self.start.month - 1) // 3]}季度"
        return f"{self.start.year}年"

    @property
    def short_label(self) -> str:
        """For a chart's axis: 11月, 四季度, 2026."""
        if self.kind == "month":
            return f"{self.start.year % 100:02d}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year % 100:02d}年{QUARTER_NAMES[(self.start.month - 1) // 3]}季"
        return f"{self.start.year}"

    @property
    def value(self) -> str:
        """The period in an address: 2026-11, 2026-Q4, 2026."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}"

    def shifted(self, count: int) -> "Period":
        return Period(_add_months(self.start, count * MONTHS[self.kind]), self.kind)

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end


def period_of(kind: str, day: date) -> Period:
    step = MONTHS[kind]
    month = (day.month - 1) // step * step + 1
    return Period(date(day.year, month, 1), kind)


def parse(kind: str, value: str, today: date) -> Period:
    """The period an address names (?period=quarter&at=2026-Q4). `at` may name any period
    (2026-11, 2026-Q4, 2026): switching from months to quarters keeps the quarter of the month
    shown. Missing or malformed, the period containing `today`."""
    kind = kind if kind in KINDS else "month"
    try:
        day = _first_day(value)
    except (ValueError, IndexError):
        day = today
    return period_of(kind, day)


def _first_day(value: str) -> date:
    value = value.strip().upper()
    if "-Q" in value:
        year, quarter = value.split("-Q")
        if not 1 <= int(quarter) <= 4:
            raise ValueError(value)
        return date(int(year), (int(quarter) - 1) * 3 + 1, 1)
    if "-" in value:
        year, month = value.split("-")[:2]
        return date(int(year), int(month), 1)
    if len(value) != 4:
        raise ValueError(value)
    return date(int(value), 1, 1)


def trend(period: Period, length: int | None = None) -> list[Period]:
    """The periods of a trend, oldest first, ending with `period`."""
    count = length or TREND_LENGTH[period.kind]
    return [period.shifted(-n) for n in range(count - 1, -1, -1)]


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
