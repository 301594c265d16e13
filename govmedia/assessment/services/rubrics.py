"""检查指标 as data: create, edit (a frozen rubric makes a new version), import and export as
Excel, and the platform's default rubric."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from openpyxl import Workbook

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may
from govmedia.core.spreadsheets import (
    ImportFileError,
    ImportRejected,
    RowError,
    cell_text,
    data_rows,
    header_label,
    header_row,
    open_sheet,
    set_text,
    workbook_bytes,
)
from govmedia.core.versions import check_version

from .. import defaults, rules
from ..models import Indicator, Method, Part, Rubric

RUBRIC_FIELDS = ["name", "year", "source_doc", "number", "is_default", "basis", "bonus_cap"]
MAX_ITEMS = 200
MAX_POINTS = Decimal(100)
SHEET = "检查指标"
COLUMNS = ["部分", "序号", "指标内容", "每处分值", "单项上限", "评价方式", "自动规则", "所需佐证"]
PART_BY_LABEL = {label: value for value, label in Part.choices}
METHOD_BY_LABEL = {label: value for value, label in Method.choices}


@dataclass(frozen=True)
class ItemError:
    position: int
    field: str
    message: str


def clean_items(raw_items) -> list[dict]:
    """The items as the rubric keeps them, positions 1…n in the given order; ServiceError
    naming the first wrong item and field."""
    if not isinstance(raw_items, list) or not raw_items:
        raise ServiceError("检查指标至少要有一项", field="items")
    if len(raw_items) > MAX_ITEMS:
        raise ServiceError(f"检查指标最多 {MAX_ITEMS} 项", field="items")
    cleaned, errors = [], []
    for position, raw in enumerate(raw_items, start=1):
        item, problems = _clean_item(raw, position)
        errors.extend(problems)
        cleaned.append(item)
    if errors:
        first = errors[0]
        raise ServiceError(f"第{first.position}项“{first.field}”：{first.message}", field="items")
    return cleaned


def _decimal(value, position, label, errors) -> Decimal:
    try:
        number = Decimal(str(value if value not in (None, "") else 0))
    except (InvalidOperation, ValueError):
        errors.append(ItemError(position, label, "应为数字"))
        return Decimal(0)
    if not number.is_finite() or number < 0 or number > MAX_POINTS:
        errors.append(ItemError(position, label, f"应在 0 到 {MAX_POINTS} 之间"))
        return Decimal(0)
    if number != number.quantize(Decimal("0.01")):
        errors.append(ItemError(position, label, "最多两位小数"))
    return number


def _clean_item(raw, position: int) -> tuple[dict, list[ItemError]]:
    errors: list[ItemError] = []
    if not isinstance(raw, dict):
        return {}, [ItemError(position, "指标项", "格式不正确")]
    part = raw.get("part")
    if part not in Part.values:
        errors.append(ItemError(position, "部分", "应为单项否决、扣分或加分"))
    wording = str(raw.get("wording") or "").strip()
    if not wording:
        errors.append(ItemError(position, "指标内容", "不能为空"))
    elif len(wording) > 500:
        errors.append(ItemError(position, "指标内容", "不超过500字"))
    points = _decimal(raw.get("points"), position, "每处分值", errors)
    cap = _decimal(raw.get("cap"), position, "单项上限", errors)
    if part in (Part.DEDUCT, Part.BONUS) and cap <= 0:
        errors.append(ItemError(position, "单项上限", "扣分、加分项应有大于0的上限"))
    if part == Part.VETO:
        points = cap = Decimal(0)
    method = raw.get("method")
    rule = str(raw.get("rule") or "").strip()
    if method not in Method.values:
        errors.append(ItemError(position, "评价方式", "应为自动或人工"))
    elif method == Method.AUTOMATIC:
        if rule not in rules.RULES:
            errors.append(ItemError(position, "自动规则", "应为规则表中的规则名称"))
        elif not rules.RULES[rule].available:
            errors.append(
                ItemError(
                    position, "自动规则", f"“{rules.RULES[rule].label}”尚未接入，请设为人工评价"
                )
            )
    else:
        rule = ""
    evidence = str(raw.get("evidence") or "").strip()
    if len(evidence) > 500:
        errors.append(ItemError(position, "所需佐证", "不超过500字"))
    item = {
        "part": part,
        "position": position,
        "wording": wording,
        "points": points,
        "cap": cap,
        "method": method,
        "rule": rule,
        "evidence": evidence,
    }
    return item, errors


def _clean_header(name, year, source_doc, basis, bonus_cap) -> dict:
    name = str(name or "").strip()
    if not name or len(name) > 200:
        raise ServiceError("指标名称不能为空，且不超过200字", field="name")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ServiceError("年度应为四位数字", field="year") from None
    if not 2000 <= year <= 2100:
        raise ServiceError("年度应在2000到2100之间", field="year")
    source_doc = str(source_doc or "").strip()
    if len(source_doc) > 200:
        raise ServiceError("依据文号不超过200字", field="source_doc")
    if bonus_cap not in (None, ""):
        errors: list[ItemError] = []
        bonus_cap = _decimal(bonus_cap, 0, "加分部分上限", errors)
        if errors:
            raise ServiceError(f"加分部分上限{errors[0].message}", field="bonus_cap")
    else:
        bonus_cap = None
    return {
        "name": name,
        "year": year,
        "source_doc": source_doc,
        "basis": str(basis or "").strip()[:5000],
        "bonus_cap": bonus_cap,
    }


def _require(actor) -> None:
    if not may(actor, "assessment_rubric.change"):
        raise Forbidden("只有区政府办公室可以维护检查指标")


def _next_number(name: str, year: int) -> int:
    last = Rubric.objects.filter(name=name, year=year).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def _write_items(rubric: Rubric, items: list[dict]) -> None:
    rubric.indicators.all().delete()
    Indicator.objects.bulk_create(Indicator(rubric=rubric, **item) for item in items)


@transaction.atomic
def rubric_create(
    *, actor, name, year, items, source_doc="", basis="", bonus_cap=None, is_default=False
) -> Rubric:
    """A new rubric (or, when one of the same name and year exists, its next version)."""
    if actor is not None:
        _require(actor)
    header = _clean_header(name, year, source_doc, basis, bonus_cap)
    cleaned = clean_items(items)
    rubric = Rubric.objects.create(
        **header,
        number=_next_number(header["name"], header["year"]),
        is_default=is_default,
        created_by=actor,
    )
    _write_items(rubric, cleaned)
    audit_record(
        actor=actor,
        action="assessment.rubric_create",
        obj=rubric,
        object_repr=str(rubric),
        after={**snapshot(rubric, RUBRIC_FIELDS), "items": len(cleaned)},
    )
    return rubric


@transaction.atomic
def rubric_edit(
    *, actor, rubric_id, version, name, year, items, source_doc="", basis="", bonus_cap=None
) -> Rubric:
    """Change a rubric. A frozen one (used by a finished check) is never changed: the edit
    becomes its next version, and the old checks keep scoring by the old one."""
    _require(actor)
    rubric = get_scoped(Rubric.objects.select_for_update(), actor, rubric_id, "change")
    check_version(rubric, version, noun="检查指标")
    if rubric.superseded:
        raise ServiceError("该检查指标已有新版本，请编辑最新版本", field="version")
    header = _clean_header(name, year, source_doc, basis, bonus_cap)
    cleaned = clean_items(items)
    before = {**snapshot(rubric, RUBRIC_FIELDS), "items": _items_snapshot(rubric)}
    if rubric.frozen:
        successor = Rubric.objects.create(
            **header,
            number=_next_number(header["name"], header["year"]),
            previous=rubric,
            is_default=rubric.is_default,
            created_by=actor,
        )
        _write_items(successor, cleaned)
        Rubric.objects.filter(pk=rubric.pk).update(superseded=True, version=rubric.version + 1)
        audit_record(
            actor=actor,
            action="assessment.rubric_version",
            obj=successor,
            object_repr=str(successor),
            before=before,
            after={**snapshot(successor, RUBRIC_FIELDS), "items": _items_snapshot(successor)},
        )
        return successor
    for key, value in header.items():
        setattr(rubric, key, value)
    rubric.version += 1
    rubric.save()
    _write_items(rubric, cleaned)
    audit_record(
        actor=actor,
        action="assessment.rubric_edit",
        obj=rubric,
        object_repr=str(rubric),
        before=before,
        after={**snapshot(rubric, RUBRIC_FIELDS), "items": _items_snapshot(rubric)},
    )
    return rubric


def _items_snapshot(rubric: Rubric) -> list[list]:
    return [
        [i.part, i.position, i.wording, str(i.points), str(i.cap), i.method, i.rule]
        for i in rubric.indicators.order_by("position")
    ]


def rubric_freeze(rubric: Rubric) -> None:
    """Called when a check using it is confirmed (inside that transaction)."""
    if rubric.frozen_at is None:
        Rubric.objects.filter(pk=rubric.pk, frozen_at__isnull=True).update(frozen_at=timezone.now())
        rubric.frozen_at = timezone.now()


def item_dicts(rubric: Rubric) -> list[dict]:
    return [
        {
            "part": i.part,
            "position": i.position,
            "wording": i.wording,
            "points": i.points,
            "cap": i.cap,
            "method": i.method,
            "rule": i.rule,
            "evidence": i.evidence,
        }
        for i in rubric.indicators.order_by("position")
    ]


@transaction.atomic
def rubric_default_ensure(*, actor=None, year: int) -> Rubric:
    """The platform's default rubric of the year, created once (idempotent)."""
    existing = (
        Rubric.objects.filter(is_default=True, year=year, name=defaults.NAME)
        .order_by("-number")
        .first()
    )
    if existing is not None:
        return existing
    return rubric_create(
        actor=actor,
        name=defaults.NAME,
        year=year,
        items=defaults.items(),
        source_doc=defaults.SOURCE_DOC,
        basis=defaults.BASIS,
        bonus_cap=defaults.BONUS_CAP,
        is_default=True,
    )


# --- Excel -------------------------------------------------------------------------------------


def rubric_workbook(rubric: Rubric) -> bytes:
    """The rubric as the import template reads it: one row per item, labels in Chinese."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(COLUMNS)
    for item in item_dicts(rubric):
        row = [
            Part(item["part"]).label,
            item["position"],
            item["wording"],
            float(item["points"]),
            float(item["cap"]),
            Method(item["method"]).label,
            item["rule"],
            item["evidence"],
        ]
        sheet.append([None] * len(row))
        for cell, value in zip(sheet[sheet.max_row], row, strict=True):
            set_text(cell, value)
    for letter, width in zip("ABCDEFGH", (10, 6, 60, 10, 10, 10, 20, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_items(upload) -> list[dict]:
    """The items of an uploaded template (same columns as `rubric_workbook`); ImportRejected
    listing every wrong cell."""
    data = workbook_bytes(upload)
    errors: list[RowError] = []
    raw_items = []
    with open_sheet(data, SHEET) as sheet:
        headers = [header_label(value) for value in header_row(sheet)]
        if headers[: len(COLUMNS)] != COLUMNS:
            raise ImportFileError("表头与导入模板不一致：" + "、".join(COLUMNS))
        for number, values in data_rows(sheet, width=len(COLUMNS), max_rows=MAX_ITEMS):
            values = list(values) + [None] * (len(COLUMNS) - len(values))
            texts = [cell_text(value) for value in values]
            part = PART_BY_LABEL.get(texts[0])
            method = METHOD_BY_LABEL.get(texts[5])
            item = {
                "part": part,
                "wording": texts[2],
                "points": texts[3] or 0,
                "cap": texts[4] or 0,
                "method": method,
                "rule": texts[6],
                "evidence": texts[7],
            }
            _, problems = _clean_item(item, len(raw_items) + 1)
            errors.extend(RowError(number, p.field, p.message) for p in problems)
            raw_items.append(item)
    if errors:
        raise ImportRejected(errors, what="指标项")
    if not raw_items:
        raise ImportFileError("模板中没有指标项")
    return raw_items


def rubric_import(*, actor, upload, name, year, source_doc="", basis="", bonus_cap=None) -> Rubric:
    """A new rubric (or the next version of the same name and year) from an Excel template."""
    _require(actor)
    items = read_items(upload)
    return rubric_create(
        actor=actor,
        name=name,
        year=year,
        items=items,
        source_doc=source_doc,
        basis=basis,
        bonus_cap=bonus_cap,
    )
