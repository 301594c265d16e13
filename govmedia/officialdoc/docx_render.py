"""A government document as DOCX in the GB/T 9704-2012 layout.

python-docx sets only the Latin font of a run (w:ascii/w:hAnsi); Word then sets Chinese in the
document default (等线). Every run here writes its East-Asian font name explicitly (w:eastAsia),
and the section carries the 22 lines × 28 characters document grid. Charts are pictures
(chart_png), tables are Word tables with a header row repeated on every page.
"""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .chart_png import render_chart_png
from .layout import (
    FONT_BODY,
    FONT_HEI,
    FONT_KAI,
    FONT_LATIN,
    FONT_PAGE_NUMBER,
    FONT_TITLE,
    LINE_PITCH,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_H,
    PAGE_W,
    RED,
    RED_RULE,
    RULE_HEAVY,
    RULE_LIGHT,
    SEPARATOR_GAP,
    SIZE_2,
    SIZE_3,
    SIZE_4,
    SIZE_SMALL_4,
    TEXT_W,
)
from .model import Chart, OfficialDocument, Paragraph, Style, Table

PT_PER_MM = 72 / 25.4
LINE_PT = LINE_PITCH * PT_PER_MM
INDENT = Pt(SIZE_3 * 2)  # 首行缩进二字
STYLE_FONTS = {Style.HEADING: FONT_HEI, Style.SUBHEADING: FONT_KAI}


def render_docx(document: OfficialDocument) -> bytes:
    doc = Document()
    _page(doc)
    _defaults(doc)
    _head(doc, document)
    _body(doc, document)
    _imprint(doc, document)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _fonts(rpr, east_asia: str, latin: str = FONT_LATIN) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), value)


def _page(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    section.footer_distance = Mm(MARGIN_BOTTOM - 7 - 7)  # 页码 7 mm below the text area
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    # 22 lines of 28 characters: the line pitch in twips, the character pitch as Word encodes
    # it (the difference from the default size, in 1/4096 pt).
    char_pitch_pt = TEXT_W / 28 * PT_PER_MM
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(int(LINE_PT * 20)))
    grid.set(qn("w:charSpace"), str(round((char_pitch_pt - SIZE_3) * 4096)))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(footer, align) -> None:
    """ "— 1 —" in 4号 half-width 宋体, one character from the outer edge (§7.5)."""
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = Pt(SIZE_4)
    else:
        paragraph.paragraph_format.left_indent = Pt(SIZE_4)
    _run(paragraph, "— ", FONT_PAGE_NUMBER, SIZE_4)
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    run.font.size = Pt(SIZE_4)
    _fonts(run._element.get_or_add_rPr(), FONT_PAGE_NUMBER)
    _run(paragraph, " —", FONT_PAGE_NUMBER, SIZE_4)


def _defaults(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(SIZE_3)
    _fonts(normal.element.get_or_add_rPr(), FONT_BODY)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)


def _run(paragraph, text: str, font: str, size: float, *, color=None, bold=False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if color:
        run.font.color.rgb = RGBColor(*color)
    _fonts(run._element.get_or_add_rPr(), font)
    return run


def _paragraph(doc, text="", font=FONT_BODY, size=SIZE_3, *, align=None, indent=None, color=None):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent is not None:
        paragraph.paragraph_format.first_line_indent = indent
    if text:
        _run(paragraph, text, font, size, color=color)
    return paragraph


def _border(paragraph, edge: str, width_mm: float, color: str = "000000", gap_mm=0.3) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(round(width_mm * PT_PER_MM * 8)))  # eighths of a point
    line.set(qn("w:space"), str(round(gap_mm * PT_PER_MM)))  # points
    line.set(qn("w:color"), color)
    borders.append(line)


def _head(doc, document: OfficialDocument) -> None:
    """版头: the red 发文机关标志, two blank lines, the 发文字号, the red separator (§7.2)."""
    mark = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(mark, document.issuer_mark, FONT_TITLE, SIZE_2 * 1.5, color=RED)
    mark.paragraph_format.line_spacing = Pt(SIZE_2 * 1.5 * 1.3)
    _paragraph(doc)
    _paragraph(doc)
    number = _paragraph(doc, document.doc_no, align=WD_ALIGN_PARAGRAPH.CENTER)
    _border(number, "bottom", RED_RULE, "".join(f"{c:02X}" for c in RED), gap_mm=SEPARATOR_GAP)
    number.paragraph_format.space_after = Pt(0)
    _paragraph(doc)
    title = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(title, document.title, FONT_TITLE, SIZE_2)
    title.paragraph_format.line_spacing = Pt(SIZE_2 * 1.5)
    _paragraph(doc)


def _body(doc, document: OfficialDocument) -> None:
    if document.addressee:
        _paragraph(doc, document.addressee)
    for block in document.blocks:
        if isinstance(block, Paragraph):
            indent = None if block.style == Style.PLAIN else INDENT
            _paragraph(doc, block.text, STYLE_FONTS.get(block.style, FONT_BODY), indent=indent)
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Chart):
            _chart(doc, block)
    _paragraph(doc)
    _paragraph(doc)
    signer = _paragraph(doc, document.signer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    signer.paragraph_format.right_indent = Pt(SIZE_3 * 4)
    date = _paragraph(doc, document.date_text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    date.paragraph_format.right_indent = Pt(SIZE_3 * 4)


def _compact(paragraph) -> None:
    """Single spacing: a table cell or a picture must not sit on the body's exact line pitch."""
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = Pt(0)


def _table(doc, table: Table) -> None:
    if table.caption:
        caption = _paragraph(doc, table.caption, FONT_HEI, SIZE_SMALL_4)
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = table.column_widths(TEXT_W)
    for index, row in enumerate(((table.header), *table.rows)):
        cells = grid.rows[index].cells
        for cell, text, width in zip(cells, row, widths, strict=False):
            cell.width = Mm(width)
            paragraph = cell.paragraphs[0]
            _compact(paragraph)
            _run(paragraph, str(text), FONT_HEI if index == 0 else FONT_BODY, SIZE_SMALL_4)
    # The header row repeated at the top of each page the table runs over.
    header = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    _paragraph(doc)


def _chart(doc, chart: Chart) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _compact(paragraph)
    paragraph.add_run().add_picture(BytesIO(render_chart_png(chart)), width=Mm(TEXT_W))


def _imprint(doc, document: OfficialDocument) -> None:
    """版记 (§7.4): 抄送 and 印发 between rules — heavy first and last, light between."""
    _paragraph(doc)
    cc = _paragraph(doc)
    cc.paragraph_format.left_indent = Pt(SIZE_4)
    cc.paragraph_format.right_indent = Pt(SIZE_4)
    _run(cc, f"抄送：{document.cc}。", FONT_BODY, SIZE_4)
    _border(cc, "top", RULE_HEAVY)
    _border(cc, "bottom", RULE_LIGHT)
    printed = _paragraph(doc)
    printed.paragraph_format.left_indent = Pt(SIZE_4)
    printed.paragraph_format.right_indent = Pt(SIZE_4)
    tabs = printed.paragraph_format.tab_stops
    tabs.add_tab_stop(Mm(TEXT_W) - Pt(SIZE_4 * 2), alignment=2)  # right-aligned date
    _run(printed, f"{document.printer}\t{document.printed_text}", FONT_BODY, SIZE_4)
    _border(printed, "bottom", RULE_HEAVY)
