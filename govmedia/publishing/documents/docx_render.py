"""The 信息发布审核单 as DOCX, editable in Word or WPS: the same table as the PDF, built by the
filing form's Word table builder (govmedia.registry.documents.docx_render)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt

from govmedia.registry.documents import texts
from govmedia.registry.documents.docx_render import (
    HEADER_H,
    NOTES_H,
    WORD_SLACK,
    _estimate,
    _paragraph,
    _set_up,
    _table,
)
from govmedia.registry.documents.fit import fit_table
from govmedia.registry.documents.form import (
    BODY_PT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    NOTE_PT,
    PAGE_H,
    TABLE_W,
    TITLE_PT,
)

from .data import ReviewSheetData
from .layout import NUMBER_LABEL, build_sheet


def render_review_sheet_docx(data: ReviewSheetData) -> bytes:
    form = build_sheet(data)
    budget = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - HEADER_H - NOTES_H - WORD_SLACK
    fitted = fit_table(form.table, _estimate, budget)
    doc = Document()
    _set_up(doc, form)
    _paragraph(doc, f"{NUMBER_LABEL}{form.filing_no}", NOTE_PT, WD_ALIGN_PARAGRAPH.RIGHT)
    title = _paragraph(doc, form.title, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    title.paragraph_format.space_before = Pt(TITLE_PT * 0.5)
    title.paragraph_format.space_after = Pt(TITLE_PT * 0.5)
    unit = _paragraph(doc, f"单位名称：{form.unit_name}\t时间：{form.filed_on}", BODY_PT)
    unit.paragraph_format.tab_stops.add_tab_stop(Mm(TABLE_W), WD_TAB_ALIGNMENT.RIGHT)
    unit.paragraph_format.space_after = Pt(4)
    _table(doc, fitted)
    for i, note in enumerate([texts.NOTES_HEAD + form.notes[0], *form.notes[1:]]):
        paragraph = _paragraph(doc, note, NOTE_PT)
        if i == 0:
            paragraph.paragraph_format.space_before = Pt(4)
    if fitted.continued:
        doc.add_page_break()
        _paragraph(doc, f"{form.title}（附页）", 16, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        for cell in fitted.continued:
            _paragraph(doc, f"{cell.name}：", BODY_PT, bold=True)
            for line in cell.text.split("\n"):
                _paragraph(doc, line, BODY_PT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
