"""The filing form as PDF: one A4 page per copy, CJK font subset embedded.

Layout is computed once (fit.py decides font sizes and line breaks with this
font's real glyph widths) and the same page is then drawn for every copy.
"""

from __future__ import annotations

import dataclasses
import logging
from functools import cached_property

from govmedia.officialdoc.fonts import find_cjk_font, find_symbol_font
from govmedia.officialdoc.wrap import wrap_text

from . import texts
from .data import FilingFormData
from .fit import PAD_X, PAD_Y, PT_MM, FittedCell, FittedTable, fit_table, line_height
from .form import (
    BODY_PT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    NOTE_PT,
    PAGE_H,
    SMALL_PT,
    TABLE_W,
    TITLE_PT,
    Form,
    build_form,
)
from .textclean import replace_missing
from .typeset import Typesetter

# fpdf2 logs every glyph a font lacks (we replace those characters ourselves first), and
# fontTools logs each subsetting step at INFO: ~40 lines per PDF in a log kept at INFO.
logging.getLogger("fpdf").setLevel(logging.ERROR)
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

ASCENT = 0.88  # top of the ideographic em box above the baseline, in ems
GRID_LINE, FRAME_LINE = 0.25, 0.5  # mm; a heavier outer frame, as printed forms have
GREY = (110, 110, 110)
# Header bands above the table, mm: 备案号, the title with air around it, 单位名称/时间.
FILING_NO_H = line_height(NOTE_PT)
TITLE_H = TITLE_PT * PT_MM * 1.8
UNIT_LINE_H = line_height(BODY_PT) + 1.5
CONTINUATION_TITLE_PT = 16.0  # 三号


def render_filing_pdf(data: FilingFormData, copies: int = 3) -> bytes:
    """The form as PDF bytes, `copies` identical pages each marked 第n份/共N份."""
    if copies < 1:
        raise ValueError("份数至少为 1")
    page = _Page(Typesetter(find_cjk_font(), find_symbol_font()), build_form(data))
    for number in range(1, copies + 1):
        mark = texts.copy_mark(number, copies)
        page.draw(mark)
        page.draw_continuation(mark)
    return page.ts.output()


class _Page:
    """Lays out the form once and draws it on as many pages as asked."""

    def __init__(self, ts: Typesetter, form: Form) -> None:
        self.ts = ts
        self.pdf = ts.pdf
        self.form = _drawable(form, ts)
        self.pdf.set_title(self.form.title)
        self.pdf.set_subject(self.form.filing_no)

    # ---- layout, computed once -------------------------------------------------------

    @cached_property
    def note_lines(self) -> list[str]:
        """备注： and its items, each starting at the margin as in the attachment."""
        notes = [texts.NOTES_HEAD + self.form.notes[0], *self.form.notes[1:]]
        measure = lambda s: self.ts.measure(s) * NOTE_PT  # noqa: E731
        return [line for note in notes for line in wrap_text(note, TABLE_W, measure)]

    @property
    def table_top(self) -> float:
        return MARGIN_TOP + FILING_NO_H + TITLE_H + UNIT_LINE_H

    @cached_property
    def table(self) -> FittedTable:
        notes_h = len(self.note_lines) * line_height(NOTE_PT) + 2
        budget = PAGE_H - MARGIN_BOTTOM - notes_h - self.table_top
        return fit_table(self.form.table, self.ts.measure, budget)

    # ---- drawing ---------------------------------------------------------------------

    def draw(self, copy_mark: str) -> None:
        self.pdf.add_page()
        self.pdf.set_text_color(0)
        self._line_right(MARGIN_TOP, f"备案号：{self.form.filing_no}", NOTE_PT)
        self._title(MARGIN_TOP + FILING_NO_H)
        self._unit_line(MARGIN_TOP + FILING_NO_H + TITLE_H)
        self._table(self.table_top)
        self._notes(self.table_top + self.table.height + 2)
        self._copy_mark(copy_mark)

    def draw_continuation(self, copy_mark: str) -> None:
        """附页: the full text of every field cut short on the form, flowing over pages."""
        lines = self.continuation_lines
        if not lines:
            return
        lh, bottom = line_height(BODY_PT), PAGE_H - MARGIN_BOTTOM
        y, sheet = bottom, 0
        for bold, line in lines:
            if y + lh > bottom:
                sheet += 1
                y = self._continuation_header(f"{copy_mark}　附页{sheet}")
            self._text(MARGIN_X, y, line, BODY_PT, bold=bold)
            y += lh

    @cached_property
    def continuation_lines(self) -> list[tuple[bool, str]]:
        """(is_heading, text) lines: each cut field's name, then its whole text."""
        measure = lambda s: self.ts.measure(s) * BODY_PT  # noqa: E731
        lines: list[tuple[bool, str]] = []
        for cell in self.table.continued:
            if lines:
                lines.append((False, ""))  # a blank line between fields
            lines.append((True, f"{cell.name}："))
            lines.extend((False, line) for line in wrap_text(cell.text, TABLE_W, measure))
        return lines

    def _continuation_header(self, footer: str) -> float:
        """Starts a 附页 page; returns where its text begins."""
        self.pdf.add_page()
        y = MARGIN_TOP
        self._line_right(y, f"备案号：{self.form.filing_no}", NOTE_PT)
        title = f"{self.form.title}（附页）"
        size = _fit_size(title, TABLE_W, CONTINUATION_TITLE_PT, self.ts.measure)
        x = MARGIN_X + (TABLE_W - self.ts.measure(title) * size) / 2
        self._text(x, y + FILING_NO_H, title, size, bold=True, box_h=TITLE_H)
        self._copy_mark(footer)
        return y + FILING_NO_H + TITLE_H

    def _text(
        self,
        x: float,
        top: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        box_h: float | None = None,
    ) -> None:
        """One line of text vertically centred in a box (a line box unless given)."""
        baseline = self._baseline(top, box_h or line_height(size), size)
        if not bold:
            self.ts.draw(x, baseline, text, size)
            return
        # 宋体 has no bold face installed; stroking the outline is how Word fakes bold too.
        with self.pdf.local_context(text_mode="FILL_STROKE", line_width=size * 0.012):
            self.ts.draw(x, baseline, text, size)

    def _baseline(self, top: float, box_h: float, size: float) -> float:
        """Baseline that centres one line of CJK text of `size` pt in a box."""
        size_mm = size * PT_MM
        return top + (box_h - size_mm) / 2 + ASCENT * size_mm

    def _line_right(self, y: float, text: str, size: float) -> None:
        fitted = _fit_size(text, TABLE_W, size, self.ts.measure)
        x = MARGIN_X + TABLE_W - self.ts.measure(text) * fitted
        self.ts.draw(x, self._baseline(y, line_height(size), fitted), text, fitted)

    def _title(self, y: float) -> None:
        size = _fit_size(self.form.title, TABLE_W, TITLE_PT, self.ts.measure)
        x = MARGIN_X + (TABLE_W - self.ts.measure(self.form.title) * size) / 2
        self._text(x, y, self.form.title, size, bold=True, box_h=TITLE_H)

    def _unit_line(self, y: float) -> None:
        date = f"时间：{self.form.filed_on}"
        self._line_right(y, date, BODY_PT)
        unit = f"单位名称：{self.form.unit_name}"
        room = TABLE_W - self.ts.measure(date) * BODY_PT - 8
        size = _fit_size(unit, room, BODY_PT, self.ts.measure)
        self.ts.draw(MARGIN_X, self._baseline(y, line_height(BODY_PT), size), unit, size)

    def _table(self, top: float) -> None:
        for fitted in self.table.cells:
            self._cell(fitted, top)
        self.pdf.set_line_width(FRAME_LINE)
        self.pdf.rect(MARGIN_X, top, TABLE_W, self.table.height)

    def _cell(self, fitted: FittedCell, table_top: float) -> None:
        cell = fitted.cell
        x = MARGIN_X + cell.x
        y = table_top + self.table.row_top(cell.row)
        h = sum(self.table.row_heights[cell.row : cell.row + cell.rowspan])
        self.pdf.set_line_width(GRID_LINE)
        self.pdf.rect(x, y, cell.w, h)
        size, lh = fitted.size, line_height(fitted.size)
        if cell.sign:
            text_top = y + PAD_Y  # the commitment reads from the top; seal space below
            self._sign_lines(fitted, x, y + h - PAD_Y - len(cell.sign) * lh)
        else:
            text_top = y + (h - len(fitted.lines) * lh) / 2
        for i, line in enumerate(fitted.lines):
            width = self.ts.measure(line) * size
            lx = x + (cell.w - width) / 2 if cell.label else x + PAD_X
            self.ts.draw(lx, self._baseline(text_top + i * lh, lh, size), line, size)

    def _sign_lines(self, fitted: FittedCell, x: float, top: float) -> None:
        lh = line_height(fitted.size)
        for i, sign in enumerate(fitted.cell.sign):
            for text, at in sign.parts:
                baseline = self._baseline(top + i * lh, lh, fitted.size)
                self.ts.draw(x + at * fitted.cell.w, baseline, text, fitted.size)

    def _notes(self, top: float) -> None:
        lh = line_height(NOTE_PT)
        for i, line in enumerate(self.note_lines):
            self.ts.draw(MARGIN_X, self._baseline(top + i * lh, lh, NOTE_PT), line, NOTE_PT)

    def _copy_mark(self, mark: str) -> None:
        # Discreet, but on every copy: which of the three sheets this is.
        self.pdf.set_text_color(*GREY)
        width = self.ts.measure(mark) * SMALL_PT
        self.ts.draw(MARGIN_X + (TABLE_W - width) / 2, PAGE_H - MARGIN_BOTTOM / 2, mark, SMALL_PT)
        self.pdf.set_text_color(0)


def _fit_size(text: str, width: float, size: float, measure) -> float:
    """The largest size not above `size` at which one line of text fits width."""
    natural = measure(text) * size
    return size if natural <= width else max(size * width / natural, 1.0)


def _drawable(form: Form, ts: Typesetter) -> Form:
    """The form with every character the fonts lack replaced by 〓."""
    fix = lambda text: replace_missing(text, ts.has_glyph)  # noqa: E731
    table = dataclasses.replace(
        form.table,
        cells=tuple(dataclasses.replace(c, text=fix(c.text)) for c in form.table.cells),
    )
    return dataclasses.replace(
        form,
        filing_no=fix(form.filing_no),
        title=fix(form.title),
        unit_name=fix(form.unit_name),
        notes=tuple(fix(n) for n in form.notes),
        table=table,
    )
