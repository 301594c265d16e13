"""Every export's sheet rows are written as XML text (core.spreadsheets.TextRowsSheet), not a
cell object and a few lxml calls per cell: the file is the one openpyxl's own write-only sheet
writes for the same cells, byte for byte (the package's timestamp aside)."""

import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

from django.utils.safestring import mark_safe
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter

from govmedia.core.spreadsheets import text_value, xlsx_bytes

HEADERS = ["名称", "=公式", "数量", "备注"]
ROWS = [
    ["天中发布", '=HYPERLINK("http://evil.example/steal","点击查看")', 3, "第一行\n第二行"],
    ["=", "=1+1", "=cmd|' /C calc'!A0", "=" + "长" * 40_000],
    [" 前有空格", "后有空格 ", "\u00a0不换行空格", "\u3000全角空格"],
    ["a\r\nb\tc\n", "x&<>\"'y", "&amp;", "]]>"],
    ["#N/A", "#DIV/0!", "#REF!", "#n/a"],  # text, not the errors openpyxl would make of them
    ["😀 表情", "控制\x07字符\x1b", "\x00", "e" * 40_000],
    [0, -1, 1.5, 10**17],
    [2**53 + 1, -0.0, 1e-7, 1 / 3],
    [float("nan"), float("inf"), float("-inf"), Decimal("1.50")],
    [True, False, date(2019, 4, 16), datetime(2026, 12, 1, 20, 5, tzinfo=UTC)],
    [None, "", None, "c"],
    [],
    ("元组", 2),
    [mark_safe("<b>安全</b>"), "", "", ""],
    [f"第{i}列" for i in range(60)],  # beyond Z: AA, AB, …
]


def rows():
    """ROWS and, last, a row given as a generator."""
    return [*ROWS, (value for value in ("生成器", 1))]


def openpyxl_file(headers, rows, widths=None) -> bytes:
    """The file as openpyxl's write-only sheet wrote it before TextRowsSheet: each value's
    `text_value` appended, no cell for empty text, a cell marked as text for "=…" and for
    the texts of Excel's errors (#N/A …)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("工作表")
    for index, header in enumerate(headers, start=1):
        width = widths[index - 1] if widths else max(10, len(header) * 2 + 4)
        sheet.column_dimensions[get_column_letter(index)].width = width

    def cell(value):
        value = text_value(value)
        if value == "":
            return None
        if isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        return value

    for row in [headers, *rows]:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parts(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if name != "docProps/core.xml"  # its modified time
        }


def test_the_rows_are_the_ones_openpyxl_writes_byte_for_byte():
    for widths in (None, [30, 12, 8, 40]):
        ours = parts(xlsx_bytes("工作表", HEADERS, rows(), widths=widths))
        assert ours == parts(openpyxl_file(HEADERS, rows(), widths))
    sheet = ours["xl/worksheets/sheet1.xml"]
    assert b'<c r="B2" t="inlineStr"><is><t>=HYPERLINK(' in sheet  # text, never a formula
    assert b'<row r="13"></row>' in sheet and b'<c r="BH16" t="inlineStr">' in sheet


def test_every_cell_reads_back_as_written():
    sheet = load_workbook(io.BytesIO(xlsx_bytes("工作表", HEADERS, rows()))).active
    values = [[cell.value for cell in row[:4]] for row in sheet.iter_rows()]
    assert values[0] == HEADERS
    assert values[2][:3] == ["=", "=1+1", "=cmd|' /C calc'!A0"]
    assert values[2][3] == "=" + "长" * 32_766  # a cell holds 32,767 characters
    assert values[4] == ["a\r\nb\tc\n", "x&<>\"'y", "&amp;", "]]>"]
    assert values[5] == ["#N/A", "#DIV/0!", "#REF!", "#n/a"]
    assert values[6][:3] == ["😀 表情", "控制字符", None]  # the controls dropped
    assert values[7] == [0, -1, 1.5, 10**17]
    assert values[10] == ["是", "否", "2019-04-16", "2026-12-02 04:05"]
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type in "fe"]


def test_characters_no_xml_may_hold_are_dropped_not_a_failed_download():
    content = xlsx_bytes("工作表", ["名称"], [["a\ufffeb\uffffc\ud800d"]])
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    assert list(sheet.iter_rows(values_only=True)) == [("名称",), ("abcd",)]
