"""Printable documents of review and publishing: the 信息发布审核单 (审签单) of an article, as
PDF and DOCX, one A4 page.

Pure: no Django import. The caller (publishing.printing) copies an article's approved (or
latest) run into ReviewSheetData. The typesetting is the filing form's: the same fonts, line
breaking, cell fitting and Word table builder (govmedia.registry.documents, a pure core too).
"""

from .data import Acknowledgement, ReviewSheetData, SheetStep
from .docx_render import render_review_sheet_docx
from .pdf_render import render_review_sheet_pdf

__all__ = [
    "Acknowledgement",
    "ReviewSheetData",
    "SheetStep",
    "render_review_sheet_docx",
    "render_review_sheet_pdf",
]
