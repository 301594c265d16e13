"""A government document as PDF in the GB/T 9704-2012 layout, with the locally available CJK
fonts embedded (subsets) so it prints the same anywhere.

The fonts are found as the 备案表 finds them (fonts.find_cjk_font): Noto Serif CJK stands in for
小标宋 (drawn bold) and 仿宋/楷体 (regular), Noto Sans CJK for 黑体 when present. They are parsed
once per process and subset once per glyph set (font_cache): a fresh fpdf2 ``add_font`` parses
a CJK collection again for every document and subsets it at output, which was most of a
400-account bulletin's time. Lines are set on the standard's grid: 22 lines of 28 characters
in the 156 × 225 mm text area; tables and charts in the text width.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode

from .chart_png import chart_shapes
from .font_cache import add_parsed_font, prepare_for_output
from .fonts import FontFace, find_cjk_font
from .layout import (
    CHART_H,
    LINE_PITCH,
    MARGIN_LEFT,
    MARGIN_TOP,
    RED,
    RED_RULE,
    RULE_HEAVY,
    RULE_LIGHT,
    SEPARATOR_GAP,
    SIZE_2,
    SIZE_3,
    SIZE_4,
    SIZE_SMALL_4,
    TEXT_H,
    TEXT_W,
)
from .model import Chart, OfficialDocument, Paragraph, Style, Table
from .wrap import wrap_text

logging.getLogger("fpdf").setLevel(logging.ERROR)
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

PT_MM = 25.4 / 72
BODY, HEI = "body", "hei"
TITLE = BODY  # drawn bold: see _Document.line
SANS_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)
INDENT = 2 * SIZE_3 * PT_MM  # 首行缩进二字
BOTTOM = MARGIN_TOP + TEXT_H
STYLE_FONTS = {Style.HEADING: HEI}  # 楷体 is not installed here: 仿宋's stand-in
CELL_PAD = 1.2  # mm inside a table cell
CELL_PITCH = SIZE_SMALL_4 * PT_MM * 1.45
CHART_LABEL = 10.0  # pt


def _face_like(base: FontFace, candidates) -> FontFace:
    for candidate in candidates:
        if Path(candidate).is_file():
            return FontFace(Path(candidate), base.index)
    return base


def render_pdf(document: OfficialDocument) -> bytes:
    return _Document(document).render()


class _Document:
    def __init__(self, document: OfficialDocument) -> None:
        body = find_cjk_font()
        pdf = FPDF(unit="mm", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_creator("govmedia 政务新媒体管理平台")
        pdf.set_lang("zh-CN")
        pdf.set_title(document.title)
        pdf.set_subject(document.doc_no)
        # Two faces, not three: each embedded face costs subsetting, so 小标宋 is the body face
        # drawn bold (filled and stroked) rather than a third font file.
        for key, face in ((BODY, body), (HEI, _face_like(body, SANS_PATHS))):
            add_parsed_font(pdf, key, face)
        self.pdf, self.document = pdf, document
        self.y = MARGIN_TOP
        self._widths: dict[str, dict[str, float]] = {BODY: {}, HEI: {}}
        self._font: tuple[str, float] | None = None

    # --- measuring and placing ---------------------------------------------------------------

    def measure(self, font: str, text: str) -> float:
        """Width in mm at 1 pt: each character's width read from the font once."""
        widths = self._widths[font]
        missing = [ch for ch in set(text) if ch not in widths]
        if missing:
            self.use(font, 1)
            for ch in missing:
                widths[ch] = self.pdf.get_string_width(ch)
        return sum(widths[ch] for ch in text)

    def use(self, font: str, size: float) -> None:
        """set_font only when the font or size changes (it is not free in fpdf2)."""
        if self._font != (font, size):
            self.pdf.set_font(font, size=size)
            self._font = (font, size)

    def new_page(self) -> None:
        self.pdf.add_page()
        self._font = None  # a new page's content stream sets its font again
        self.y = MARGIN_TOP
        self._page_number()

    def _page_number(self) -> None:
        """ "— N —" 7 mm below the text area, odd pages right and even pages left, one
        character from the edge of the text area (§7.5)."""
        number = self.pdf.page_no()
        text = f"— {number} —"
        width = self.measure(BODY, text) * SIZE_4
        inset = SIZE_4 * PT_MM
        x = MARGIN_LEFT + TEXT_W - inset - width if number % 2 else MARGIN_LEFT + inset
        self.use(BODY, SIZE_4)
        self.pdf.set_text_color(0, 0, 0)
        self.pdf.text(x, BOTTOM + 7 + SIZE_4 * PT_MM * 0.8, text)

    def need(self, height: float) -> None:
        if self.y + height > BOTTOM + 0.01:
            self.new_page()

    def line(
        self,
        text: str,
        *,
        font=BODY,
        size=SIZE_3,
        align="left",
        indent=0.0,
        color=None,
        pitch=LINE_PITCH,
        bold=False,
    ):
        self.need(pitch)
        width = self.measure(font, text) * size
        if align == "center":
            x = MARGIN_LEFT + (TEXT_W - width) / 2
        elif align == "right":
            x = MARGIN_LEFT + TEXT_W - width - indent
        else:
            x = MARGIN_LEFT + indent
        self.use(font, size)
        self.pdf.set_text_color(*(color or (0, 0, 0)))
        # Baseline placed so the characters sit centred in their line of the grid.
        baseline = self.y + (pitch + size * PT_MM * 0.76) / 2
        if bold:
            self.pdf.set_draw_color(*(color or (0, 0, 0)))
            self.pdf.set_line_width(size * PT_MM * 0.03)
            with self.pdf.local_context(text_mode=TextMode.FILL_STROKE):
                self.pdf.text(x, baseline, text)
        else:
            self.pdf.text(x, baseline, text)
        self.y += pitch

    def paragraph(self, text: str, *, font=BODY, size=SIZE_3, first_indent=INDENT) -> None:
        width = TEXT_W
        measure = lambda s: self.measure(font, s) * size  # noqa: E731
        # The first line is narrower by the indent: wrap it with a placeholder of that width.
        pad = "　" * round(first_indent / (size * PT_MM)) if first_indent else ""
        lines = wrap_text(pad + text, width, measure)
        for index, line in enumerate(lines):
            if index == 0 and pad:
                self.line(line[len(pad) :], font=font, size=size, indent=first_indent)
            else:
                self.line(line, font=font, size=size)

    def rule(self, y: float, width_mm: float, color=(0, 0, 0)) -> None:
        self.pdf.set_draw_color(*color)
        self.pdf.set_line_width(width_mm)
        self.pdf.line(MARGIN_LEFT, y, MARGIN_LEFT + TEXT_W, y)

    # --- tables and charts -------------------------------------------------------------------

    def table(self, table: Table) -> None:
        if table.caption:
            self.line(table.caption, font=HEI, size=SIZE_SMALL_4, align="center")
        widths = table.column_widths(TEXT_W)
        header = self._cells(table.header, widths, HEI)
        self.need(header[0] + self._cells(table.rows[0], widths, BODY)[0] if table.rows else 0)
        self._row(header, widths, HEI)
        for row in table.rows:
            cells = self._cells(row, widths, BODY)
            if self.y + cells[0] > BOTTOM + 0.01:
                self.new_page()
                self._row(header, widths, HEI)  # the header again at the top of the page
            self._row(cells, widths, BODY)
        self.y += LINE_PITCH / 2

    def _cells(self, row, widths, font) -> tuple[float, list[list[str]]]:
        measure = lambda s: self.measure(font, s) * SIZE_SMALL_4  # noqa: E731
        lines = [
            wrap_text(str(text), width - 2 * CELL_PAD, measure) or [""]
            for text, width in zip(row, widths, strict=False)
        ]
        height = max(len(cell) for cell in lines) * CELL_PITCH + 2 * CELL_PAD
        return height, lines

    def _row(self, cells, widths, font) -> None:
        height, lines = cells
        x = MARGIN_LEFT
        self.pdf.set_draw_color(0, 0, 0)
        self.pdf.set_line_width(0.2)
        self.pdf.set_text_color(0, 0, 0)
        self.use(font, SIZE_SMALL_4)
        for width, cell in zip(widths, lines, strict=False):
            self.pdf.rect(x, self.y, width, height)
            for index, text in enumerate(cell):
                baseline = self.y + CELL_PAD + CELL_PITCH * index + CELL_PITCH * 0.75
                self.pdf.text(x + CELL_PAD, baseline, text)
            x += width
        self.y += height

    def chart(self, chart: Chart) -> None:
        self.need(CHART_H)
        left, top = MARGIN_LEFT, self.y
        pdf = self.pdf
        pdf.set_line_width(0.3)
        for kind, points, colour, text in chart_shapes(chart, TEXT_W, CHART_H):
            placed = [(left + x, top + y) for x, y in points]
            if kind == "rect":
                (x0, y0), (x1, y1) = placed
                pdf.set_fill_color(*colour)
                pdf.rect(x0, y0, x1 - x0, y1 - y0, style="F")
            elif kind == "line":
                pdf.set_draw_color(*colour)
                pdf.polyline(placed)
            else:
                label, anchor = text
                width = self.measure(BODY, label) * CHART_LABEL
                x, y = placed[0]
                x -= {"m": width / 2, "r": width}.get(anchor[0], 0.0)
                self.use(BODY, CHART_LABEL)
                pdf.set_text_color(*colour)
                pdf.text(x, y, label)
        self.y += CHART_H + LINE_PITCH / 2

    # --- the document ------------------------------------------------------------------------

    def render(self) -> bytes:
        d = self.document
        self.new_page()
        self.line(
            d.issuer_mark,
            font=TITLE,
            size=_fit_mark(self, d.issuer_mark),
            align="center",
            color=RED,
            pitch=LINE_PITCH * 1.6,
            bold=True,
        )
        self.y += LINE_PITCH * 2
        self.line(d.doc_no, align="center")
        self.rule(self.y + SEPARATOR_GAP - LINE_PITCH / 2 + SIZE_3 * PT_MM / 2, RED_RULE, RED)
        self.y += LINE_PITCH * 2
        for line in wrap_text(
            d.title, TEXT_W - 2 * SIZE_2 * PT_MM, lambda s: self.measure(TITLE, s) * SIZE_2
        ):
            self.line(
                line, font=TITLE, size=SIZE_2, align="center", pitch=LINE_PITCH * 1.25, bold=True
            )
        self.y += LINE_PITCH
        if d.addressee:
            self.paragraph(d.addressee, first_indent=0)
        for block in d.blocks:
            if isinstance(block, Paragraph):
                self.paragraph(
                    block.text,
                    font=STYLE_FONTS.get(block.style, BODY),
                    first_indent=0 if block.style == Style.PLAIN else INDENT,
                )
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Chart):
                self.chart(block)
        self.y += LINE_PITCH * 2
        self.need(LINE_PITCH * 2)
        self.line(d.signer, align="right", indent=SIZE_3 * PT_MM * 4)
        self.line(d.date_text, align="right", indent=SIZE_3 * PT_MM * 4)
        self._imprint()
        prepare_for_output(self.pdf)
        return bytes(self.pdf.output())

    def _imprint(self) -> None:
        """版记 at the foot of the last page: heavy rule, 抄送, light rule, 印发, heavy rule."""
        d = self.document
        pitch = LINE_PITCH
        cc_lines = wrap_text(
            f"抄送：{d.cc}。", TEXT_W - 2 * SIZE_4 * PT_MM, lambda s: self.measure(BODY, s) * SIZE_4
        )
        height = pitch * (len(cc_lines) + 1)
        if self.y + height + pitch > BOTTOM:
            self.new_page()
        top = BOTTOM - height
        self.rule(top, RULE_HEAVY)
        self.y = top
        inset = SIZE_4 * PT_MM
        for text in cc_lines:
            self.line(text, size=SIZE_4, indent=inset)
        self.rule(self.y, RULE_LIGHT)
        date_w = self.measure(BODY, d.printed_text) * SIZE_4
        self.use(BODY, SIZE_4)
        baseline = self.y + (pitch + SIZE_4 * PT_MM * 0.76) / 2
        self.pdf.text(MARGIN_LEFT + inset, baseline, d.printer)
        self.pdf.text(MARGIN_LEFT + TEXT_W - inset - date_w, baseline, d.printed_text)
        self.y += pitch
        self.rule(self.y, RULE_HEAVY)


def _fit_mark(doc: _Document, text: str) -> float:
    """The 发文机关标志 as large as reads well (up to 1.5 × 二号) within the text width."""
    size = SIZE_2 * 1.5
    width = doc.measure(TITLE, text)
    return min(size, TEXT_W * 0.95 / width) if width else size
