"""What the filing form contains and where it goes, independent of PDF or DOCX.

The table is described once as cells on a millimetre grid (A4, as the
attachment is printed); both renderers draw from this description, so the two
files always carry the same fields in the same places.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import texts
from .data import FilingFormData, TeamMember
from .textclean import clean_text

# A4 portrait with the margins of a Chinese official document (GB/T 9704 uses 28/26 mm;
# a form needs the width more than the binding margin).
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 20.0, 12.0, 12.0
TABLE_W = PAGE_W - 2 * MARGIN_X

# Font sizes in points: 二号 title, 小四 table, 五号 notes, as Word forms use them.
TITLE_PT = 22.0
BODY_PT = 12.0
NOTE_PT = 10.5
SMALL_PT = 9.0
MIN_PT = 6.5  # 小六: below this a printed form is no longer legible

# Column edges. Left part: label | value | label | value. 管理队伍 block has its own grid.
LABEL_W, VALUE_W, LABEL2_W = 35.0, 55.0, 25.0
VALUE2_W = TABLE_W - LABEL_W - VALUE_W - LABEL2_W
TEAM_W = (10.0, 25.0, 28.0, 22.0, 33.0, 17.0)  # last column takes the rest
# Blank height kept for a seal at the least; a 42 mm seal is stamped partly over the
# 单位公章/date lines, and on most pages the signature rows get the spare height too.
SEAL_GAP = 12.0
PARAGRAPH_INDENT = "\u3000\u3000"  # two full-width spaces open a Chinese paragraph


@dataclass(frozen=True)
class SignLine:
    """A line anchored to the bottom of a signature cell: (text, left edge as fraction of width)."""

    parts: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Cell:
    row: int
    x: float  # from the table's left edge, mm
    w: float
    text: str
    label: bool = False  # labels are centred and keep their size
    rowspan: int = 1
    size: float = BODY_PT
    min_size: float = MIN_PT
    sign: tuple[SignLine, ...] = ()
    name: str = ""  # the field's label, heading its full text on a continuation sheet

    @property
    def shrinkable(self) -> bool:
        return self.size > self.min_size


@dataclass(frozen=True)
class Table:
    row_min_heights: tuple[float, ...]
    cells: tuple[Cell, ...]
    # Rows that take the page's spare height: more room for seals and signatures.
    stretch_rows: tuple[int, ...] = ()


@dataclass(frozen=True)
class Form:
    filing_no: str
    title: str
    unit_name: str
    filed_on: str
    table: Table
    notes: tuple[str, ...]


def build_form(data: FilingFormData) -> Form:
    return Form(
        filing_no=clean_text(data.filing_no),
        title=clean_text(texts.title(data.district_name)),
        unit_name=clean_text(data.unit_name),
        filed_on=texts.cn_date(data.filed_on) if data.filed_on else texts.NOT_FILED_YET,
        table=_table(data),
        notes=tuple(texts.notes(clean_text(data.office_name))),
    )


def _table(data: FilingFormData) -> Table:
    rows = _RowBuilder()
    rows.pair("政务新媒体名称", data.account_name, "账号", data.handle, min_h=10)
    rows.pair("运行平台", data.platform, "注册单位", data.registrant, min_h=10)
    rows.pair(
        "注册时间",
        texts.cn_date(data.registered_on),
        "备案类型",
        texts.kind_options(data.kind),
        min_h=13,
        fixed_right=True,
    )
    rows.pair(
        "功能定位",
        data.positioning,
        "官方认证",
        texts.verified_options(data.verified),
        min_h=16,
        fixed_right=True,
    )
    rows.pair("运维机构", data.operator, "联系人及\n联系电话", data.contact, min_h=12)
    rows.wide("其他需要\n说明事项", data.notes, min_h=16)
    rows.team(
        ("单位主要\n负责人", data.principal),
        ("分管负责人", data.leader_in_charge),
        ("具体负责人", data.person_responsible),
    )
    rows.signature(
        "备案单位签章",
        PARAGRAPH_INDENT + texts.COMMITMENT,
        min_h=50,
        sign=(
            SignLine(((texts.PRINCIPAL_SIGN, 0.08), (texts.SEAL, 0.55))),
            SignLine(((texts.BLANK_DATE, 0.66),)),
        ),
    )
    supervisor = f"主管单位：{data.supervisor_name}" if data.supervisor_name else ""
    rows.signature(
        "主管单位签章",
        supervisor,
        min_h=26,
        sign=(SignLine(((texts.SEAL, 0.55),)), SignLine(((texts.BLANK_DATE, 0.66),))),
    )
    return Table(tuple(rows.min_heights), tuple(rows.cells), tuple(rows.signature_rows))


class _RowBuilder:
    """Appends rows of cells; keeps the builder calls above as readable as the form."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []
        self.min_heights: list[float] = []
        self.signature_rows: list[int] = []

    def _row(self, min_h: float) -> int:
        self.min_heights.append(min_h)
        return len(self.min_heights) - 1

    def _label(self, row: int, x: float, w: float, text: str, rowspan: int = 1) -> None:
        self.cells.append(Cell(row, x, w, text, label=True, rowspan=rowspan, min_size=BODY_PT))

    def _value(
        self, row: int, x: float, w: float, text: str | None, name: str, fixed: bool = False
    ) -> None:
        min_size = BODY_PT if fixed else MIN_PT
        name = name.replace("\n", "")
        self.cells.append(Cell(row, x, w, clean_text(text), min_size=min_size, name=name))

    def pair(
        self,
        label: str,
        value: str | None,
        label2: str,
        value2: str | None,
        *,
        min_h: float,
        fixed_right: bool = False,
    ) -> None:
        row = self._row(min_h)
        x = 0.0
        self._label(row, x, LABEL_W, label)
        self._value(row, x := x + LABEL_W, VALUE_W, value, label)
        self._label(row, x := x + VALUE_W, LABEL2_W, label2)
        self._value(row, x + LABEL2_W, VALUE2_W, value2, label2, fixed=fixed_right)

    def wide(self, label: str, value: str | None, *, min_h: float) -> None:
        row = self._row(min_h)
        self._label(row, 0.0, LABEL_W, label)
        self._value(row, LABEL_W, TABLE_W - LABEL_W, value, label)

    def team(self, *members: tuple[str, TeamMember]) -> None:
        edges = _edges(TEAM_W)
        widths = [*TEAM_W[1:], TABLE_W - sum(TEAM_W)]
        first = len(self.min_heights)
        self._label(first, 0.0, TEAM_W[0], "管\n理\n队\n伍", rowspan=len(members))
        for role, member in members:
            row = self._row(11)
            values = (role, member.name, "办公电话", member.office_phone, "手机号", member.mobile)
            names = (role, f"{role}姓名", "", f"{role}办公电话", "", f"{role}手机号")
            for i, (x, w, text, name) in enumerate(zip(edges, widths, values, names, strict=True)):
                if i % 2 == 0:
                    self._label(row, x, w, text)
                else:
                    self._value(row, x, w, text, name)

    def signature(self, label: str, text: str, *, min_h: float, sign: tuple[SignLine, ...]) -> None:
        row = self._row(min_h)
        self.signature_rows.append(row)
        self._label(row, 0.0, LABEL_W, label)
        self.cells.append(
            Cell(row, LABEL_W, TABLE_W - LABEL_W, clean_text(text), min_size=BODY_PT, sign=sign)
        )


def _edges(widths: tuple[float, ...]) -> list[float]:
    """Left edges of the columns after the first."""
    edges, x = [], widths[0]
    for w in widths[1:]:
        edges.append(x)
        x += w
    edges.append(x)
    return edges
