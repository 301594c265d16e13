"""Spreadsheets in and out: the .xlsx download of a list, and the pieces every Excel import
shares (reading the upload safely, turning cells into text and dates, the row errors that reject
a whole file). The imports themselves (registry, counterfeit, screening) keep their own columns
and rules.
"""

import math
import re
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache, partial
from io import BytesIO
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import xmlfile

from .errors import ServiceError
from .uploads import check_zip, read_at_most

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and other Office 97–2003 files)
# The sheets themselves are read as a stream that stops at the import's row limit, so they may
# be larger than the rest of a package (core.uploads.check_zip).
WORKSHEETS = "xl/worksheets/"
NOT_XLSX = "文件不是 Excel 工作簿（.xlsx）：请使用导入模板填写后上传"
UNREADABLE = "无法读取该文件：请确认是用 Excel 或 WPS 保存的 .xlsx 工作簿"
# zlib's level 2 rather than openpyxl's 6 (any deflate level makes a valid .xlsx). Measured on
# the 10,000-row registry export, 17 MB of sheet XML: 0.04 s instead of 0.15 s of CPU, 1.11 MB
# instead of 0.95 MB (level 1: 0.045 s, 1.39 MB).
XLSX_COMPRESSLEVEL = 2


# ---------------------------------------------------------------- writing


@lru_cache(maxsize=4)
def zoneinfo(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def xlsx_response(
    filename: str,
    sheet_title: str,
    headers: list[str],
    rows,
    *,
    widths: list[int] | None = None,
) -> HttpResponse:
    """An .xlsx download named "<filename>-<local time>.xlsx" with one sheet (see xlsx_bytes)."""
    return xlsx_download(xlsx_bytes(sheet_title, headers, rows, widths=widths), stamped(filename))


def stamped(filename: str) -> str:
    """ "<filename>-<Beijing time>.xlsx", the name of every export (a background job runs in UTC)."""
    return f"{filename}-{beijing_time(timezone.now()).strftime('%Y%m%d-%H%M')}.xlsx"


def xlsx_bytes(
    sheet_title: str,
    headers: list[str],
    rows,
    *,
    widths: list[int] | None = None,
    progress=None,
    every: int = 500,
) -> bytes:
    """A workbook with one sheet, written in openpyxl's write-only mode (rows streamed, not held
    as cell objects; each row written as openpyxl writes it, see TextRowsSheet). Columns are as
    wide as `widths`, or fit their header. Every cell is written as text (`text_value`; a
    number stays a number): a name that begins with "=" stays a name and never becomes a
    formula (=HYPERLINK(…)) in the reader's spreadsheet, and a character Excel cannot hold
    never fails the download. `progress(rows_written)` is called every `every` rows (background
    exports report it)."""
    workbook = Workbook(write_only=True)
    sheet = TextRowsSheet(parent=workbook, title=sheet_title)
    workbook._add_sheet(sheet)
    for index, header in enumerate(headers, start=1):
        width = widths[index - 1] if widths else max(10, len(header) * 2 + 4)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(headers)
    for written, row in enumerate(rows, start=1):
        sheet.append(row)
        if progress is not None and written % every == 0:
            progress(written)
    return _saved(workbook)


def _saved(workbook: Workbook) -> bytes:
    """The workbook's file, as workbook.save() writes it (openpyxl's save_workbook) but
    compressed at XLSX_COMPRESSLEVEL."""
    buffer = BytesIO()
    workbook.properties.modified = datetime.now(UTC).replace(tzinfo=None)
    archive = zipfile.ZipFile(
        buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=XLSX_COMPRESSLEVEL
    )
    ExcelWriter(workbook, archive).save()  # closes the archive
    return buffer.getvalue()


def xlsx_download(content: bytes, filename: str) -> HttpResponse:
    """A finished workbook (e.g. an import template) as a download named `filename`."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def beijing_time(moment: datetime) -> datetime:
    """An aware moment in the district's time (settings.TIME_ZONE, Beijing), as the pages show
    it: whatever time zone is active (a background job, a request) and however the database
    returned it (UTC on PostgreSQL). A naive moment is taken as already local."""
    if timezone.is_naive(moment):
        return moment
    return timezone.localtime(moment, zoneinfo(settings.TIME_ZONE))


def time_text(moment: datetime | None) -> str:
    """A moment as exports and documents print it: Beijing time, YYYY-MM-DD HH:MM; "" for none."""
    return beijing_time(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


# What an .xlsx cannot hold: ASCII controls other than tab and line breaks (openpyxl refuses
# them), and what no XML may hold (lxml refuses U+FFFE, U+FFFF and lone surrogates).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text_value(value) -> str | int | float | None:
    """A value as a cell holds it: None stays empty, a number stays a number (it can be summed
    and sorted, and can never be a formula), everything else is text: a date YYYY-MM-DD, a time
    in Beijing time YYYY-MM-DD HH:MM (`time_text`), a boolean 是/否; characters an .xlsx cannot
    hold (ASCII controls other than tab and line break, U+FFFE, U+FFFF, lone surrogates) are
    dropped. Exports pass datetimes as they are, so every export prints times as the pages
    do."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        text = time_text(value)
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def set_text(cell, value) -> None:
    """Write `value` into a cell of an ordinary (not write-only) sheet as text, never a formula:
    the import templates, whose drop-downs list the names of units."""
    cell.value = text_value(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"


class TextRowsSheet(WriteOnlyWorksheet):
    """openpyxl's write-only sheet, whose rows are written as the XML text openpyxl itself
    writes for them, byte for byte (`_row_xml`; a test compares the two), instead of through a
    cell object and a few lxml calls per cell: that per-cell work was two thirds of a 10,000-row
    export's time. Everything else in the file (the sheet's head with the column widths, its
    tail, the package) is openpyxl's own."""

    def _get_writer(self):
        if self._writer is None:
            self._writer = _SheetFileWriter(self)
            self._writer.write_top()

    def _write_rows(self):
        """openpyxl's row stream (fed by append()), writing each row into the sheet's file."""
        xf = self._writer.xf.send(True)
        with xf.element("sheetData"):
            xf.flush()  # lxml's buffer is in the file: the rows follow it
            write, letters, number = self._writer.file.write, [], 1
            try:
                while True:
                    write(_row_xml((yield), number, letters))
                    number += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


class _SheetFileWriter(WorksheetWriter):
    """openpyxl's sheet writer (WorksheetWriter.get_stream) with lxml writing into a file this
    class holds (`file`), so that rows can be written into it between lxml's elements."""

    file = None

    def get_stream(self):
        with (
            open(self.out, "wb") as self.file,
            xmlfile(self.file) as xf,
            xf.element("worksheet", xmlns=SHEET_MAIN_NS),
        ):
            try:
                while True:
                    element = yield
                    if element is True:
                        yield xf
                    elif element is not None:
                        xf.write(element)
            except GeneratorExit:
                pass


MAX_CELL_TEXT = 32767  # characters in a cell; openpyxl cuts longer text there
_drop_illegal = partial(ILLEGAL_CHARACTERS_RE.sub, "")
_TO_ESCAPE = re.compile(r"[&<>\r]")


def _row_xml(values, number: int, letters: list[str]) -> bytes:
    """Row `number` as openpyxl's write-only sheet writes it for the cells' `text_value`s (an
    empty text is no cell, text an inline string, never a formula nor an error such as #N/A),
    with what lxml escapes escaped
    and everything beyond ASCII as a character reference, as lxml writes them. `letters`: the
    sheet's column letters so far, extended as needed."""
    row = str(number)
    parts = [f'<row r="{row}">']
    append = parts.append
    for index, value in enumerate(values):
        if value.__class__ is str:  # most cells: text_value's answer, sooner
            value = _drop_illegal(value)
            if not value:
                continue
        else:
            value = text_value(value)
            if value is None or value == "":
                continue
        if index >= len(letters):
            letters.extend(get_column_letter(i) for i in range(len(letters) + 1, index + 2))
        if not isinstance(value, str):
            append(f'<c r="{letters[index]}{row}" t="n"><v>{_number_text(value)}</v></c>')
            continue
        if len(value) > MAX_CELL_TEXT:
            value = value[:MAX_CELL_TEXT]
        space = ' xml:space="preserve"' if value != value.strip() else ""
        if _TO_ESCAPE.search(value):
            value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            value = value.replace("\r", "&#13;")
        append(f'<c r="{letters[index]}{row}" t="inlineStr"><is><t{space}>{value}</t></is></c>')
    append("</row>")
    return "".join(parts).encode("ascii", "xmlcharrefreplace")


def _number_text(value: int | float) -> str:
    """A number as openpyxl writes it (openpyxl.compat.safe_string): nothing for NaN and ±∞."""
    return f"{value:.16g}" if math.isfinite(value) else ""


# ---------------------------------------------------------------- the file


class ImportFileError(ServiceError):
    """The file itself cannot be read as the import template."""

    code = "invalid_file"

    def __init__(self, message: str):
        super().__init__(message, field="file")


def workbook_bytes(upload, *, max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    """The bytes of an uploaded .xlsx import template, refused (ImportFileError) when too large,
    empty, a legacy .xls, no .xlsx or a zip bomb. Nothing is inflated here."""
    data = read_at_most(upload, max_bytes)
    if data is None:
        raise ImportFileError(f"文件超过 {max_bytes // 1024 // 1024} MB，请分批导入")
    if not data:
        raise ImportFileError("文件为空，请选择填写好的导入模板")
    if data.startswith(OLE2_MAGIC):
        raise ImportFileError(
            "这是旧版 Excel（.xls）文件：请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入"
        )
    check_zip(
        data,
        required="[Content_Types].xml",
        not_valid=NOT_XLSX,
        field="file",
        code=ImportFileError.code,
        streamed=WORKSHEETS,
    )
    return data


class RowLimitExceeded(ImportFileError):
    """More data rows than an import takes at once: the limit, not the file, is the reason."""

    code = "too_many_rows"

    def __init__(self, max_rows: int, row: int):
        super().__init__(
            f"数据超过 {max_rows} 行（一次最多导入 {max_rows} 行，第 {row} 行已超出行数上限）："
            "请分批导入"
        )


DAMAGED = "文件内容已损坏，无法读取：请重新保存后上传"
# A sheet stops at the first run of this many empty rows: Excel and WPS often format whole
# columns, so a sheet may declare a million empty rows after its data; none is walked.
MAX_BLANK_RUN = 1000
# No import template has more columns; a crafted row with thousands of cells is cut here.
MAX_COLUMNS = 100


@contextmanager
def open_sheet(data: bytes, name: str):
    """The sheet `name` of checked workbook bytes (`workbook_bytes`), read-only and streamed,
    closed afterwards; ImportFileError when there is no such sheet or the package turns out
    damaged while its rows are read."""
    workbook = open_workbook(data)
    try:
        if name not in workbook.sheetnames:
            names = "、".join(workbook.sheetnames[:5]) or "无"
            raise ImportFileError(
                f"找不到名为“{name}”的工作表（文件中的工作表：{names}）：请使用导入模板"
            )
        yield workbook[name]
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError, EOFError) as exc:
        raise ImportFileError(DAMAGED) from exc
    finally:
        workbook.close()


def header_row(sheet) -> tuple:
    """The first row's values (at most MAX_COLUMNS), or () for an empty sheet."""
    return next(sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS, values_only=True), ())


def data_rows(sheet, *, width: int, max_rows: int, skip=None):
    """(row number, values) of the rows under the header that hold anything, streamed: at most
    `width` cells each; a row for which `skip(values)` is true (the template's example) is
    neither yielded nor counted. Reading stops after MAX_BLANK_RUN empty rows in a row, and
    RowLimitExceeded is raised at the first data row beyond `max_rows`, before reading on."""
    count = blank = 0
    rows = sheet.iter_rows(min_row=2, max_col=max(1, min(width, MAX_COLUMNS)), values_only=True)
    for number, values in enumerate(rows, start=2):
        if is_blank_row(values):
            blank += 1
            if blank >= MAX_BLANK_RUN:
                return
            continue
        blank = 0
        if skip is not None and skip(values):
            continue
        count += 1
        if count > max_rows:
            raise RowLimitExceeded(max_rows, number)
        yield number, values


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")
_WORKSHEET_TAG = re.compile(rb"<(?:(\w+):)?worksheet\b[^>]*>")
DIMENSION_PROBE = 64 * 1024


def with_dimensions(data: bytes) -> bytes:
    """The workbook, with a `<dimension>` added to each worksheet that declares none.

    openpyxl reads a sheet's size from that element when it opens a workbook, even read-only;
    a sheet without it (Excel and WPS always write it, a crafted file need not) is parsed from
    end to end just to open the file: 40 s for a few million empty rows. A declared size of A1
    costs nothing, since open_workbook never trusts a stored size (reset_dimensions). Only such
    a sheet is copied, as a stream."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        sheets = [
            info
            for info in archive.infolist()
            if info.filename.startswith(WORKSHEETS) and info.filename.endswith(".xml")
        ]
        missing = set()
        for info in sheets:
            with archive.open(info) as source:
                head = source.read(DIMENSION_PROBE)
            data_at = _SHEET_DATA.search(head)
            dimension_at = _DIMENSION.search(head)
            if dimension_at is None or (data_at and data_at.start() < dimension_at.start()):
                missing.add(info.filename)
        if not missing:
            return data
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            for info in archive.infolist():
                if info.filename not in missing:
                    target.writestr(info, archive.read(info))
                    continue
                with (
                    archive.open(info) as source,
                    target.open(info.filename, "w", force_zip64=True) as copy,
                ):
                    copy.write(_add_dimension(source.read(DIMENSION_PROBE)))
                    while chunk := source.read(1024 * 1024):
                        copy.write(chunk)
        return buffer.getvalue()


def _add_dimension(head: bytes) -> bytes:
    root = _WORKSHEET_TAG.search(head)
    if root is None:
        return head  # no worksheet element where it belongs: openpyxl will refuse the file
    prefix = root.group(1) + b":" if root.group(1) else b""
    return head[: root.end()] + b"<" + prefix + b'dimension ref="A1"/>' + head[root.end() :]


def open_workbook(data: bytes, *, unreadable: ServiceError | None = None):
    """The workbook (read-only, cached values instead of formulas) in checked bytes, or
    `unreadable` (by default ImportFileError) for a package openpyxl cannot read."""
    try:
        workbook = load_workbook(BytesIO(with_dimensions(data)), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, …) for a damaged file
        raise (unreadable or ImportFileError(UNREADABLE)) from None
    for sheet in workbook.worksheets:
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # never trust a stored size: read what is there
    return workbook


# ---------------------------------------------------------------- the cells


DATE_PATTERNS = [
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
]


def cell_text(value) -> str:
    """A cell as text: numbers typed into phone or handle cells lose no digit (Excel stores
    13800000000 as 13800000000.0), a date is YYYY-MM-DD, a boolean 是/否."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def cell_date(value) -> date | None:
    """A real Excel date, or text such as 2026-03-02, 2026/3/2, 2026年3月2日; None if empty;
    ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    for pattern in DATE_PATTERNS:
        if match := pattern.fullmatch(text):
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise ValueError(text)


def header_label(value) -> str:
    """A header cell as its column label: a template marks required columns with "*"."""
    return str(value).strip().rstrip("*＊").strip() if value is not None else ""


def is_blank_row(values) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


# ---------------------------------------------------------------- the rows


@dataclass(frozen=True, order=True)
class RowError:
    """One wrong cell: the row number as the spreadsheet shows it (the header is row 1)."""

    row: int
    column: str
    message: str


class ImportRejected(ServiceError):
    """The file breaks at least one rule; nothing was imported (`what`: of what, 数据 or 词条)."""

    code = "import_rejected"

    def __init__(self, errors: list[RowError], *, what: str = "数据"):
        self.errors = sorted(errors)
        first = self.errors[0]
        super().__init__(
            f"共发现 {len(self.errors)} 处问题，未导入任何{what}"
            f"（第 {first.row} 行“{first.column}”：{first.message}）",
            field="file",
        )
