"""The 信息发布审核单 as PDF: one A4 page, drawn by the filing form's page renderer.

The filing form's renderer (govmedia.registry.documents.pdf_render) lays out and draws a Form;
only the header line differs (稿件编号 instead of 备案号), and there is one copy, not three.
"""

from __future__ import annotations

from govmedia.officialdoc.fonts import find_cjk_font, find_symbol_font
from govmedia.registry.documents.form import MARGIN_TOP, MARGIN_X, NOTE_PT, TABLE_W
from govmedia.registry.documents.pdf_render import (
    FILING_NO_H,
    TITLE_H,
    _fit_size,
    _Page,
)
from govmedia.registry.documents.typeset import Typesetter

from .data import ReviewSheetData
from .layout import NUMBER_LABEL, build_sheet

CONTINUATION_TITLE_PT = 16.0


def render_review_sheet_pdf(data: ReviewSheetData) -> bytes:
    page = _SheetPage(Typesetter(find_cjk_font(), find_symbol_font()), build_sheet(data))
    page.draw("")
    page.draw_continuation("")
    return page.ts.output()  # fonts subset once per glyph set (registry font_cache)


class _SheetPage(_Page):
    def draw(self, copy_mark: str) -> None:
        self.pdf.add_page()
        self.pdf.set_text_color(0)
        self._line_right(MARGIN_TOP, f"{NUMBER_LABEL}{self.form.filing_no}", NOTE_PT)
        self._title(MARGIN_TOP + FILING_NO_H)
        self._unit_line(MARGIN_TOP + FILING_NO_H + TITLE_H)
        self._table(self.table_top)
        self._notes(self.table_top + self.table.height + 2)

    def _continuation_header(self, footer: str) -> float:
        self.pdf.add_page()
        y = MARGIN_TOP
        self._line_right(y, f"{NUMBER_LABEL}{self.form.filing_no}", NOTE_PT)
        title = f"{self.form.title}（附页）"
        size = _fit_size(title, TABLE_W, CONTINUATION_TITLE_PT, self.ts.measure)
        x = MARGIN_X + (TABLE_W - self.ts.measure(title) * size) / 2
        self._text(x, y + FILING_NO_H, title, size, bold=True, box_h=TITLE_H)
        return y + FILING_NO_H + TITLE_H
