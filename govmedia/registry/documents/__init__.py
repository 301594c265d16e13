"""Printable documents of the registry: the 政务新媒体备案表 as PDF and DOCX.

Pure: no Django import. The caller copies a filing into FilingFormData.
"""

from govmedia.officialdoc.fonts import CjkFontNotFound, FontFace, find_cjk_font

from .data import KIND_LABELS, FilingFormData, TeamMember
from .docx_render import render_filing_docx
from .pdf_render import render_filing_pdf

__all__ = [
    "KIND_LABELS",
    "CjkFontNotFound",
    "FilingFormData",
    "FontFace",
    "TeamMember",
    "find_cjk_font",
    "render_filing_docx",
    "render_filing_pdf",
]
