"""The filing form as DOCX: the same table as the PDF, editable in Word or WPS.

Word lays the text out itself, so the fit (smaller sizes for long texts, a
continuation sheet for the longest) is estimated from character widths rather
than measured with a font, with some slack for Word's own line heights.
"""

from __future__ import annotations

import io
import unicodedata
from itertools import pairwise

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

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
    PAGE_W,
    SEAL_GAP,
    SMALL_PT,
    TABLE_W,
    TITLE_PT,
    Form,
    build_form,
)

# Fonts every Chinese Windows/WPS install has; 宋体 is what official forms are set in.
SONG, LATIN, SYMBOL = "宋体", "Times New Roman", "Segoe UI Symbol"
GREY = RGBColor(110, 110, 110)
FRAME_SZ = 12  # eighths of a point: the 1.5 pt outer frame of a printed form
# Height the header takes above the table, to give the fit the same budget as the PDF.
HEADER_H = (NOTE_PT + TITLE_PT * 2.0 + BODY_PT * 1.6) * PT_MM
NOTES_H = 3 * NOTE_PT * PT_MM * 1.6
# Word's line heights depend on the font it finds; leave room so a copy stays one page.
WORD_SLACK = 8.0


def render_filing_docx(data: FilingFormData, copies: int = 3) -> bytes:
    """The form as DOCX bytes: `copies` identical sections, each footed 第n份/共N份."""
    if copies < 1:
        raise ValueError("份数至少为 1")
    form = build_form(data)
    budget = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - HEADER_H - NOTES_H - WORD_SLACK
    fitted = fit_table(form.table, _estimate, budget)
    doc = Document()
    _set_up(doc, form)
    for number in range(1, copies + 1):
        section = doc.sections[0] if number == 1 else doc.add_section(WD_SECTION.NEW_PAGE)
        _footer(section, texts.copy_mark(number, copies))
        _copy(doc, form, fitted)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _estimate(text: str) -> float:
    """Width in mm at 1 pt, without the font: full-width characters are 1 em, others ½."""
    ems = sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)
    return ems * PT_MM


def _set_up(doc, form: Form) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.left_margin = section.right_margin = Mm(MARGIN_X)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.footer_distance = Mm(MARGIN_BOTTOM / 2)
    normal = doc.styles["Normal"]
    _fonts(normal.element.get_or_add_rPr(), SONG)
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    doc.core_properties.title = form.title
    doc.core_properties.subject = form.filing_no
    doc.core_properties.language = "zh-CN"


def _fonts(rpr, east_asia: str, latin: str = LATIN) -> None:
    """Word picks the font per script: both must be set or Chinese falls back to 等线."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), value)


def _copy(doc, form: Form, fitted: FittedTable) -> None:
    _paragraph(doc, f"备案号：{form.filing_no}", NOTE_PT, WD_ALIGN_PARAGRAPH.RIGHT)
    title = _paragraph(doc, form.title, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    title.paragraph_format.space_before = Pt(TITLE_PT * 0.5)
    title.paragraph_format.space_after = Pt(TITLE_PT * 0.5)
    unit = _paragraph(doc, f"单位名称：{form.unit_name}\t时间：{form.filed_on}", BODY_PT)
    unit.paragraph_format.tab_stops.add_tab_stop(Mm(TABLE_W), WD_TAB_ALIGNMENT.RIGHT)
    unit.paragraph_format.space_after = Pt(4)
    _table(doc, fitted)
    notes = [texts.NOTES_HEAD + form.notes[0], *form.notes[1:]]
    for i, note in enumerate(notes):
        paragraph = _paragraph(doc, note, NOTE_PT)
        if i == 0:
            paragraph.paragraph_format.space_before = Pt(4)
    if fitted.continued:
        _continuation(doc, form, fitted)


def _continuation(doc, form: Form, fitted: FittedTable) -> None:
    """附页, as on the PDF: the full text of each field the form page had to cut short."""
    doc.add_page_break()
    _paragraph(doc, f"备案号：{form.filing_no}", NOTE_PT, WD_ALIGN_PARAGRAPH.RIGHT)
    title = _paragraph(doc, f"{form.title}（附页）", 16, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    title.paragraph_format.space_after = Pt(8)
    for cell in fitted.continued:
        _paragraph(doc, f"{cell.name}：", BODY_PT, bold=True)
        for line in cell.text.split("\n"):
            _paragraph(doc, line, BODY_PT)


def _paragraph(container, text: str, size: float, align=None, *, bold: bool = False):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    _runs(paragraph, text, size, bold=bold)
    return paragraph


def _runs(paragraph, text: str, size: float, *, bold: bool = False) -> None:
    """Add text as runs; checkboxes get a symbol font so ☑ and □ look alike."""
    for chunk, is_box in _split_boxes(text):
        run = paragraph.add_run(chunk)
        run.font.size = Pt(size)
        run.bold = bold or None
        if is_box:
            _fonts(run._element.get_or_add_rPr(), SYMBOL, SYMBOL)


def _split_boxes(text: str) -> list[tuple[str, bool]]:
    chunks: list[tuple[str, bool]] = []
    for ch in text:
        is_box = ch in texts.BOXES
        if chunks and chunks[-1][1] == is_box and not is_box:
            chunks[-1] = (chunks[-1][0] + ch, False)
        else:
            chunks.append((ch, is_box))
    return chunks


def _footer(section, mark: str) -> None:
    # Each copy is its own section so each can say which copy it is.
    section.footer.is_linked_to_previous = False
    paragraph = section.footer.paragraphs[0]
    paragraph.text = ""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(mark)
    run.font.size = Pt(SMALL_PT)
    run.font.color.rgb = GREY


def _table(doc, fitted: FittedTable) -> None:
    """One Word table on the union of every row's column edges, cells merged to fit."""
    edges = sorted({round(x, 1) for f in fitted.cells for x in (f.cell.x, f.cell.x + f.cell.w)})
    table = doc.add_table(rows=len(fitted.row_heights), cols=len(edges) - 1)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(right - left) for left, right in pairwise(edges)]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid: what LibreOffice and WPS lay out by
    for row, height in zip(table.rows, fitted.row_heights, strict=True):
        row.height, row.height_rule = Mm(height), WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width  # the cells: what Word lays out by
    for fitted_cell in fitted.cells:
        c = fitted_cell.cell
        first = edges.index(round(c.x, 1))
        last = edges.index(round(c.x + c.w, 1)) - 1
        word_cell = table.cell(c.row, first)
        if last > first or c.rowspan > 1:
            word_cell = word_cell.merge(table.cell(c.row + c.rowspan - 1, last))
        _fill(word_cell, fitted_cell, fitted.row_heights[c.row])
    _frame(table)
    _cell_margins(table)


def _fill(word_cell, fitted: FittedCell, row_height: float) -> None:
    cell = fitted.cell
    paragraph = word_cell.paragraphs[0]
    if cell.label:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    word_cell.vertical_alignment = (
        WD_CELL_VERTICAL_ALIGNMENT.TOP if cell.sign else WD_CELL_VERTICAL_ALIGNMENT.CENTER
    )
    for i, line in enumerate(fitted.text.split("\n")):
        target = paragraph if i == 0 else word_cell.add_paragraph()
        if cell.label:
            target.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _runs(target, line, fitted.size)
    if cell.sign:
        _sign_lines(word_cell, fitted, row_height)


def _sign_lines(word_cell, fitted: FittedCell, row_height: float) -> None:
    """主要负责人 / 单位公章 / 年 月 日 at the same places as on the PDF, seal space above."""
    cell, size = fitted.cell, fitted.size
    text_h = 2 * PAD_Y + len(fitted.lines) * line_height(size)
    gap = max(SEAL_GAP, row_height - text_h - len(cell.sign) * line_height(size))
    for i, sign in enumerate(cell.sign):
        paragraph = word_cell.add_paragraph()
        if i == 0:
            paragraph.paragraph_format.space_before = Mm(gap)
        line = ""
        for text, at in sign.parts:
            paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(at * cell.w))
            line += f"\t{text}"
        _runs(paragraph, line, size)


def _cell_margins(table) -> None:
    """The PDF's cell padding; Word's default is wider and would wrap the labels."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(PAD_X / 25.4 * 1440)))  # twips
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)


def _frame(table) -> None:
    """A heavier outer border than the grid, as on the printed attachment."""
    borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
    if borders is None:
        borders = OxmlElement("w:tblBorders")
        table._tbl.tblPr.append(borders)
    for side in ("top", "left", "bottom", "right"):
        element = borders.find(qn(f"w:{side}"))
        if element is None:
            element = OxmlElement(f"w:{side}")
            borders.append(element)
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str(FRAME_SZ))
        element.set(qn("w:color"), "000000")
