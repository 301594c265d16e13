"""Writes to the working-day calendar: overrides of single days and published-year declarations.

Only platform administrators change the calendar ("calendar.change"): it is district-wide and every
deadline of every unit depends on it. Each service runs in one transaction that locks the version
row first (so calendar writers queue behind each other), writes its AuditEvent, and changes the
version stamp, which is what tells every process to rebuild its cached calendar.
"""

from datetime import date
from uuid import uuid4

from django.db import transaction

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.core.scope import may
from govmedia.core.text import clean_text

from .engine.dates import check_date, check_year
from .engine.official import has_official_schedule
from .events import CALENDAR_CHANGED
from .models import CalendarDay, CalendarVersion, PublishedYear
from .selectors import BASE_CALENDAR, describe_base

DAY_FIELDS = ["date", "is_workday", "name", "source_notice", "note"]
YEAR_FIELDS = ["year", "source_notice"]


def _require(actor, message: str) -> None:
    if not may(actor, "calendar.change"):
        raise Forbidden(message)


def _lock_version() -> CalendarVersion:
    row = CalendarVersion.objects.select_for_update().filter(pk=1).first()
    if row is None:
        # The migration creates the row; a flushed test database has none.
        CalendarVersion.objects.get_or_create(pk=1)
        row = CalendarVersion.objects.select_for_update().get(pk=1)
    return row


def _bump(row: CalendarVersion) -> None:
    row.version += 1
    row.stamp = uuid4().hex
    row.save(update_fields=["version", "stamp", "changed_at"])
    CALENDAR_CHANGED.publish()


def _clean_day(day) -> date:
    try:
        return check_date(day)
    except (TypeError, ValueError) as exc:
        raise ServiceError(f"日期：{exc}", field="day") from None


def _clean_year(year) -> int:
    try:
        return check_year(year)
    except (TypeError, ValueError) as exc:
        raise ServiceError(f"年份：{exc}", field="year") from None


def _clean_text(value, label: str, field: str, max_length: int, example: str) -> str:
    """Required text; the message says what to write (e.g. "请填写名称（如：春节、调休上班）")."""
    return clean_text(
        value,
        field=field,
        label=label,
        required=True,
        max_length=max_length,
        required_message=f"请填写{label}（{example}）",
        multiline=False,
    )


def calendar_day_set(
    *, actor, day: date, is_workday: bool, name: str, source_notice: str, note: str = ""
) -> CalendarDay:
    """Create or update the override of `day`.

    An override must change something: a day that already is what the override says (a Sunday
    declared a holiday, 国庆 on 1 October in a fallback year) is refused with a message saying so,
    so that the table lists exactly the notice's differences from the built-in rules.
    """
    _require(actor, "只有平台管理员可以调整工作日历")
    day = _clean_day(day)
    if not isinstance(is_workday, bool):
        raise ServiceError("请选择调整类型：放假或调休上班", field="is_workday")
    name = _clean_text(name, "名称", "name", 50, "如：春节、调休上班")
    source_notice = _clean_text(
        source_notice, "依据文件", "source_notice", 200, "如：国办发明电〔2026〕X号"
    )
    note = clean_text(note, field="note", label="备注", max_length=2000)
    with transaction.atomic():
        version = _lock_version()
        existing = CalendarDay.objects.select_for_update().filter(date=day).first()
        if is_workday == BASE_CALENDAR.is_workday(day):
            hint = "如要恢复默认，请删除这条调整。" if existing else "无需录入。"
            raise ServiceError(f"{describe_base(day)}，{hint}", field="is_workday")
        if existing is None:
            row = CalendarDay.objects.create(
                date=day,
                is_workday=is_workday,
                name=name,
                source_notice=source_notice,
                note=note,
                created_by=actor,
            )
            audit_record(
                actor=actor, action="calendar.day_create", obj=row, after=snapshot(row, DAY_FIELDS)
            )
        else:
            row = existing
            before = snapshot(row, DAY_FIELDS)
            row.is_workday, row.name, row.source_notice, row.note = (
                is_workday,
                name,
                source_notice,
                note,
            )
            after = snapshot(row, DAY_FIELDS)
            if after == before:
                return row  # nothing changed: no write, no audit event, caches stay valid
            row.save()
            audit_record(
                actor=actor, action="calendar.day_update", obj=row, before=before, after=after
            )
        _bump(version)
    return row


def calendar_day_delete(*, actor, day_id: int) -> None:
    _require(actor, "只有平台管理员可以调整工作日历")
    with transaction.atomic():
        version = _lock_version()
        row = CalendarDay.objects.select_for_update().filter(pk=day_id).first()
        if row is None:
            raise NotFound("这条日历调整不存在或已被删除")
        audit_record(
            actor=actor, action="calendar.day_delete", obj=row, before=snapshot(row, DAY_FIELDS)
        )
        row.delete()
        _bump(version)


def year_publish(*, actor, year: int, source_notice: str) -> PublishedYear:
    """Declare that `year`'s official schedule is entered: its deadlines stop being provisional."""
    _require(actor, "只有平台管理员可以声明年度放假安排已发布")
    year = _clean_year(year)
    if has_official_schedule(year):
        raise ServiceError(f"{year} 年的官方放假安排已内置于系统日历数据，无需声明", field="year")
    source_notice = _clean_text(
        source_notice,
        "依据文件",
        "source_notice",
        200,
        f"国务院办公厅关于 {year} 年部分节假日安排的通知文号",
    )
    with transaction.atomic():
        version = _lock_version()
        existing = PublishedYear.objects.filter(year=year).first()
        if existing is not None:
            raise Conflict(
                f"{year} 年已声明为官方已发布（依据：{existing.source_notice}），"
                "如需更改依据请先撤销声明",
                field="year",
            )
        row = PublishedYear.objects.create(
            year=year, source_notice=source_notice, declared_by=actor
        )
        audit_record(
            actor=actor,
            action="calendar.year_publish",
            obj=row,
            after=snapshot(row, YEAR_FIELDS),
        )
        _bump(version)
    return row


def year_unpublish(*, actor, year: int) -> None:
    """Withdraw a declaration: the year's deadlines are provisional again."""
    _require(actor, "只有平台管理员可以撤销年度放假安排声明")
    year = _clean_year(year)
    with transaction.atomic():
        version = _lock_version()
        row = PublishedYear.objects.select_for_update().filter(year=year).first()
        if row is None:
            raise NotFound(f"{year} 年尚未声明为官方已发布", field="year")
        audit_record(
            actor=actor,
            action="calendar.year_unpublish",
            obj=row,
            before=snapshot(row, YEAR_FIELDS),
        )
        row.delete()
        _bump(version)
