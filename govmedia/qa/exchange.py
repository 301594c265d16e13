"""The exchange with the 政府网站集约化平台: JSON lines (one entry per line, keys question,
variants, answer, basis, owner_org, valid_from, valid_to) and the same columns in Excel.

Reading gives (line number, dict) pairs for the importer; writing turns entries into either
format. owner_org is the owner unit's 统一社会信用代码 (empty for a district-wide entry).
"""

import json
from collections.abc import Iterable, Iterator

from govmedia.core.errors import ServiceError
from govmedia.core.spreadsheets import (
    RowError,
    cell_date,
    cell_text,
    data_rows,
    header_row,
    open_sheet,
)

KEYS = ("question", "variants", "answer", "basis", "owner_org", "valid_from", "valid_to")
HEADERS = (
    "标准问题",
    "相似问法（每行一个）",
    "答复内容",
    "政策依据",
    "责任单位代码",
    "生效日期",
    "失效日期",
)
SHEET = "答问库"
MAX_LINES = 50_000
MAX_LINE_CHARS = 20_000


def entry_json(entry, owner_code: str) -> dict:
    return {
        "question": entry.question,
        "variants": list(entry.variants),
        "answer": entry.answer,
        "basis": entry.basis,
        "owner_org": owner_code,
        "valid_from": entry.valid_from.isoformat() if entry.valid_from else None,
        "valid_to": entry.valid_to.isoformat() if entry.valid_to else None,
    }


def jsonl_lines(items: Iterable[dict]) -> Iterator[str]:
    for item in items:
        yield json.dumps(item, ensure_ascii=False) + "\n"


def xlsx_row(item: dict) -> list:
    return [
        item["question"],
        "\n".join(item["variants"]),
        item["answer"],
        item["basis"],
        item["owner_org"],
        item["valid_from"] or "",
        item["valid_to"] or "",
    ]


def read_jsonl(text: str) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Each non-blank line as a dict, or an error naming the line."""
    rows, errors = [], []
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise ServiceError(f"文件过大：最多 {MAX_LINES} 行", field="file")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if len(line) > MAX_LINE_CHARS:
            errors.append(RowError(number, "整行", f"过长（最多 {MAX_LINE_CHARS} 个字符）"))
            continue
        try:
            item = json.loads(line)
        except ValueError:
            errors.append(RowError(number, "整行", "不是有效的 JSON"))
            continue
        if not isinstance(item, dict):
            errors.append(RowError(number, "整行", "应为 JSON 对象"))
            continue
        unknown = set(item) - set(KEYS)
        if unknown:
            errors.append(RowError(number, "整行", f"不认识的键：{'、'.join(sorted(unknown))}"))
            continue
        rows.append((number, item))
    return rows, errors


def read_xlsx(data: bytes) -> tuple[list[tuple[int, dict]], list[RowError]]:
    rows, errors = [], []
    with open_sheet(data, SHEET) as sheet:
        header = [cell_text(v) for v in header_row(sheet)]
        if header[: len(HEADERS)] != list(HEADERS):
            raise ServiceError(
                f"表头应为：{'、'.join(HEADERS)}（请使用导出的文件格式）", field="file"
            )
        for number, values in data_rows(sheet, width=len(HEADERS), max_rows=MAX_LINES):
            values = list(values) + [None] * (len(HEADERS) - len(values))
            try:
                valid_from, valid_to = cell_date(values[5]), cell_date(values[6])
            except ValueError as exc:
                errors.append(RowError(number, "生效日期/失效日期", f"日期格式不正确：{exc}"))
                continue
            rows.append(
                (
                    number,
                    {
                        "question": cell_text(values[0]),
                        "variants": [v for v in cell_text(values[1]).splitlines() if v.strip()],
                        "answer": cell_text(values[2]),
                        "basis": cell_text(values[3]),
                        "owner_org": cell_text(values[4]),
                        "valid_from": valid_from,
                        "valid_to": valid_to,
                    },
                )
            )
    return rows, errors
