"""The lexicon spreadsheet: one layout for export and import, so an export can be edited and
imported back. Cells are read as people type them (中文 labels or the codes)."""

from dataclasses import dataclass

from django.http import HttpResponse

from govmedia.core.errors import ServiceError
from govmedia.core.spreadsheets import (
    cell_text,
    data_rows,
    header_row,
    open_workbook,
    xlsx_response,
)
from govmedia.core.uploads import check_zip

from .engine import COMMERCIAL_CONTEXT
from .models import (
    ALL_CATEGORIES_LABEL,
    CATEGORY_LABELS,
    CONTEXT_LABELS,
    SEVERITY_LABELS,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000

# Header → field; the last two are written for the reader and ignored on import.
COLUMNS = [
    ("词条", "term"),
    ("类别", "category"),
    ("处理级别", "severity"),
    ("建议改为", "suggestion"),
    ("依据", "basis"),
    ("说明", "note"),
    ("白名单", "whitelist"),
    ("语境要求", "context"),
    ("状态", "is_active"),
    ("归属", None),
    ("来源", None),
]
HEADERS = [header for header, _ in COLUMNS]
FIELD_LABELS = {field: header for header, field in COLUMNS if field}
REQUIRED_HEADERS = ("词条", "类别")

_CATEGORY_VALUES = {str(code): str(code) for code in CATEGORY_LABELS} | {
    label: str(code) for code, label in CATEGORY_LABELS.items()
}
_SEVERITY_VALUES = {str(code): str(code) for code in SEVERITY_LABELS} | {
    label: str(code) for code, label in SEVERITY_LABELS.items()
}
_CONTEXT_VALUES = {"": "", COMMERCIAL_CONTEXT: COMMERCIAL_CONTEXT} | {
    label: code for code, label in CONTEXT_LABELS.items()
}
_YES = {"是", "y", "yes", "true", "1", "√"}
_NO = {"否", "", "n", "no", "false", "0"}
_ACTIVE = {"启用": True, "": True, "停用": False}


@dataclass
class SheetRow:
    number: int  # as the spreadsheet shows it (the header is row 1)
    values: dict  # field → raw cell text
    unreadable: dict  # field → message, for cells that are no valid choice


def export_response(terms) -> HttpResponse:
    """The rows as an .xlsx download. Every cell is written as text: a term that begins with
    "=" must stay a term, not become a formula in the reader's spreadsheet."""
    widths = [30 if header in ("词条", "依据", "说明") else 12 for header in HEADERS]
    return xlsx_response("审查词库", "审查词库", HEADERS, export_rows(terms), widths=widths)


def export_rows(terms):
    for term in terms:
        yield [
            term.term,
            term.category_label,
            SEVERITY_LABELS.get(term.severity, ""),
            term.suggestion,
            term.basis,
            term.note,
            "是" if term.whitelist else "否",
            CONTEXT_LABELS.get(term.context, term.context),
            "启用" if term.is_active else "停用",
            term.owner_label,
            term.get_source_display(),
        ]


def read_rows(data: bytes) -> list[SheetRow]:
    """The data rows of the first sheet, or a ServiceError for a file that is no such sheet."""
    if len(data) > MAX_FILE_BYTES:
        raise ServiceError(
            f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，请拆分后导入", field="file"
        )
    not_xlsx = "文件不是有效的 .xlsx 表格，请使用“导出”得到的模板填写"
    check_zip(data, required="xl/workbook.xml", not_valid=not_xlsx, field="file")
    workbook = open_workbook(data, unreadable=ServiceError(not_xlsx, field="file"))
    try:
        sheet = workbook.worksheets[0]
        header = [cell_text(cell) for cell in header_row(sheet)]
        positions = _positions(header)
        result = []
        rows = data_rows(sheet, width=max(positions.values()) + 1, max_rows=MAX_ROWS)
        for number, cells in rows:
            texts = [cell_text(cell) for cell in cells]
            if any(texts):
                result.append(_row(number, texts, positions))
    finally:
        workbook.close()
    if not result:
        raise ServiceError("表格中没有数据行", field="file")
    return result


def _positions(header: list[str]) -> dict[str, int]:
    missing = [name for name in REQUIRED_HEADERS if name not in header]
    if missing:
        raise ServiceError(
            f"第 1 行应为表头，缺少“{'”“'.join(missing)}”列；请使用“导出”得到的表格填写",
            field="file",
        )
    return {field: header.index(name) for name, field in COLUMNS if field and name in header}


def _row(number: int, texts: list[str], positions: dict[str, int]) -> SheetRow:
    raw = {field: texts[index] if index < len(texts) else "" for field, index in positions.items()}
    values, unreadable = {}, {}
    for field, text in raw.items():
        parsed = _parse(field, text)
        if parsed is _INVALID:
            unreadable[field] = _invalid_message(field, text)
        else:
            values[field] = parsed
    return SheetRow(number, values, unreadable)


_INVALID = object()


def _parse(field: str, text: str):
    if field == "category":
        if text in ("", ALL_CATEGORIES_LABEL):
            return ""
        return _CATEGORY_VALUES.get(text, _INVALID)
    if field == "severity":
        return _SEVERITY_VALUES.get(text, _INVALID) if text else ""
    if field == "context":
        return _CONTEXT_VALUES.get(text, _INVALID)
    if field == "whitelist":
        lowered = text.lower()
        return True if lowered in _YES else False if lowered in _NO else _INVALID
    if field == "is_active":
        return _ACTIVE.get(text, _INVALID)
    return text


def _invalid_message(field: str, text: str) -> str:
    choices = {
        "category": "、".join([*CATEGORY_LABELS.values(), ALL_CATEGORIES_LABEL + "（仅白名单）"]),
        "severity": "、".join(SEVERITY_LABELS.values()),
        "context": "、".join(CONTEXT_LABELS.values()),
        "whitelist": "是、否",
        "is_active": "启用、停用",
    }[field]
    return f"“{text}”不是有效的{FIELD_LABELS[field]}，应为：{choices}"
