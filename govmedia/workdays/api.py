from datetime import date, datetime

from ninja import Field, Router, Schema

from govmedia.core.errors import ServiceError

from . import selectors
from .calendar import deadline_from_text, deadline_json
from .engine.dates import check_year

router = Router(tags=["工作日历"])


class DeadlineOut(Schema):
    deadline: date = Field(description="期限：事件日期之后的第 N 个工作日（事件当日不计）")
    provisional: bool = Field(
        description="true 表示期限涉及尚未发布或尚未录入官方放假安排的年度，系临时推算"
    )


class CalendarDayOut(Schema):
    date: date
    is_workday: bool = Field(description="true：调休上班；false：放假")
    name: str
    source_notice: str
    note: str


class YearOut(Schema):
    year: int
    status: str = Field(
        description="official 已内置官方安排；published 管理员已声明；provisional 临时推算"
    )
    status_label: str
    provisional: bool
    source_notice: str = Field(description="已声明年度的依据文件")
    declared_at: datetime | None
    days: list[CalendarDayOut] = Field(description="管理员录入的调整（与内置规则不同的日子）")


@router.get(
    "/deadline",
    response=DeadlineOut,
    summary="计算工作日期限",
    description="start 为事件日期（YYYY-MM-DD，当日不计），days 为工作日天数（1–366）。",
)
def get_deadline(request, start: str = "", days: str = ""):
    return deadline_json(deadline_from_text(start, days))


@router.get("/days", response=YearOut, summary="某年度的日历调整与发布状态")
def get_year(request, year: str = ""):
    year_number = _parse_year(year)
    status = selectors.year_status(year_number)
    return {
        "year": year_number,
        "status": status.kind,
        "status_label": status.label,
        "provisional": status.provisional,
        "source_notice": status.published.source_notice if status.published else "",
        "declared_at": status.published.declared_at if status.published else None,
        "days": list(selectors.year_overrides(year_number)),
    }


def _parse_year(text: str) -> int:
    text = (text or "").strip()
    if not (len(text) == 4 and text.isascii() and text.isdigit()):
        raise ServiceError(f"年份（year）应为四位数字，收到「{text}」", field="year")
    try:
        return check_year(int(text))
    except ValueError as exc:
        raise ServiceError(f"年份（year）：{exc}", field="year") from None
