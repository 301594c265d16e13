"""Issue 12 item 8, imports that cannot hold a worker: the registry and counterfeit imports
stream their sheet, stop at the row limit saying which limit was hit, never walk a sheet's
millions of formatted empty rows, and the template and the importer write duplicate unit names
the same way."""

import io
import zipfile
from xml.sax.saxutils import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from govmedia.core.spreadsheets import MAX_BLANK_RUN
from govmedia.core.uploads import MAX_UNCOMPRESSED_BYTES
from govmedia.counterfeit.importing import MAX_ROWS as LEAD_ROWS
from govmedia.counterfeit.importing import SHEET_NAME as LEAD_SHEET
from govmedia.orgs.models import Organization, OrgType
from govmedia.registry.excel import columns
from govmedia.registry.models import MediaAccount
from govmedia.registry.services.account_import import MAX_ROWS
from tests.conftest import logged_in_client, make_org
from tests.registry.test_excel_import import row, upload, xlsx

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
COLUMN_LETTERS = [get_column_letter(col) for col in range(1, 101)]


class Strings:
    """The shared strings table of a package, as Excel writes one."""

    def __init__(self):
        self.index: dict[str, int] = {}

    def row(self, number: int, values) -> str:
        cells = []
        for letter, value in zip(COLUMN_LETTERS, values, strict=False):
            if value in (None, ""):
                continue
            position = self.index.setdefault(str(value), len(self.index))
            cells.append(f'<c r="{letter}{number}" t="s"><v>{position}</v></c>')
        return f'<row r="{number}">{"".join(cells)}</row>'

    def xml(self) -> str:
        items = "".join(f"<si><t>{escape(text)}</t></si>" for text in self.index)
        return f'<sst xmlns="{MAIN_NS}" count="{len(self.index)}">{items}</sst>'


def package(sheet: str, strings: Strings, rows, *, dimension: str | None = None) -> bytes:
    """An .xlsx as Excel lays it out (one sheet, shared strings), written directly: fast enough
    to build the 100,000-row and 300,000-empty-row workbooks of these tests. Excel declares the
    sheet's `dimension`; a crafted file need not."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet_xml = "".join(
        [
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">{declared}<sheetData>'
        ]
        + list(rows)
        + ["</sheetData></worksheet>"]
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        archive.writestr("xl/sharedStrings.xml", strings.xml())
    return buffer.getvalue()


def registry_rows(strings: Strings, count: int):
    yield strings.row(1, columns.IMPORT_HEADERS)
    for n in range(1, count + 1):
        values = row(n)
        yield strings.row(n + 1, [values.get(h) for h in columns.IMPORT_HEADERS])


@pytest.fixture
def unit(world, platforms):
    return logged_in_client(world.tian_unit_admin)


def test_imports_that_cannot_hold_a_worker(world, unit):
    # A genuine 100,000-row inventory: refused by its row limit, not as a damaged or
    # malicious file, and read no further than the limit.
    strings = Strings()
    rows = registry_rows(strings, 100_000)
    data = package(columns.SHEET_NAME, strings, rows, dimension="A1:X100001")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > MAX_UNCOMPRESSED_BYTES
    page = upload(unit, data).content.decode()
    assert f"数据超过 {MAX_ROWS} 行" in page and "行数上限" in page
    assert f"第 {MAX_ROWS + 2} 行" in page  # the first row beyond the limit (row 1: header)
    assert "压缩炸弹" not in page and "损坏" not in page

    # Three accounts, then 300,000 formatted empty rows and a stray cell at the very end: the
    # importer stops after a run of empty rows instead of walking them all – even when the sheet
    # declares no size, which openpyxl would otherwise find by parsing the whole sheet.
    blank = (f'<row r="{n}" s="1" customFormat="1"/>' for n in range(5, 300_005))
    strings = Strings()
    head = list(registry_rows(strings, 3))
    stray = strings.row(300_005, ["", "天中街道"])
    data = package(columns.SHEET_NAME, strings, [*head, *blank, stray])
    assert upload(unit, data).status_code == 302  # imported, on to the list
    assert MediaAccount.objects.count() == 3


def test_data_after_a_few_empty_rows_is_still_read(world, unit):
    strings = Strings()
    rows = list(registry_rows(strings, 2))
    rows.append(strings.row(MAX_BLANK_RUN, [row(3).get(h) for h in columns.IMPORT_HEADERS]))
    assert upload(unit, package(columns.SHEET_NAME, strings, rows)).status_code == 302
    assert MediaAccount.objects.count() == 3


def test_the_counterfeit_import_stops_at_its_row_limit(world, platforms):
    strings = Strings()
    header = ["序号", "运行平台", "账号名称", "账号", "平台认证", "认证主体", "情况说明"]
    rows = [strings.row(1, header)] + [
        strings.row(n, ["", "抖音", f"定淘发布{n}", f"fake{n}", "未认证", "", ""])
        for n in range(2, 50_002)
    ]
    data = package(LEAD_SHEET, strings, rows)
    admin = logged_in_client(world.alice)
    response = admin.post("/counterfeit/import/", {"file": SimpleUploadedFile("线索.xlsx", data)})
    page = response.content.decode()
    assert f"数据超过 {LEAD_ROWS} 行" in page and f"第 {LEAD_ROWS + 2} 行" in page


def test_template_and_importer_agree_on_duplicate_unit_names(world, unit):
    # Two 综合科 under two townships' offices, each with an 办公室; and a unit with a slash.
    tian_ks = make_org("综合科", OrgType.INTERNAL, world.tian_office)
    tian_ks2 = make_org("综合科", OrgType.INTERNAL, world.tian)
    make_org("办公室", OrgType.INTERNAL, tian_ks)
    make_org("办公室", OrgType.INTERNAL, tian_ks2)
    make_org("办公室/信息中心", OrgType.INTERNAL, world.tian)
    template = load_workbook(io.BytesIO(unit.get("/registry/excel/template.xlsx").content))
    options = [  # the 主办单位 drop-down
        value
        for (value,) in template["选项"].iter_rows(
            min_row=2, min_col=5, max_col=5, values_only=True
        )
        if value
    ]
    assert len(options) == len(set(options))
    assert "天中街道党政办公室/综合科/办公室" in options and "天中街道/综合科/办公室" in options
    assert "办公室/信息中心" in options
    rows = [row(n, **{columns.HOST_ORG: label}) for n, label in enumerate(options, start=1)]
    response = upload(unit, xlsx(rows))
    assert response.status_code == 302, response.context["rejected"].errors[:3]
    hosts = {a.host_org_id for a in MediaAccount.objects.all()}
    assert (
        len(hosts)
        == len(options)
        == Organization.objects.filter(path__startswith=world.tian.path).count()
    )
