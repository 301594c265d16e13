"""The 通报 (bulletin) of a check as a government document in the GB/T 9704-2012 layout, as DOCX
and as PDF (set by govmedia.officialdoc). Pure (no Django): `data.Bulletin` in, bytes out."""

from .data import Bulletin, Section
from .render import bulletin_document, render_bulletin_docx, render_bulletin_pdf

__all__ = [
    "Bulletin",
    "Section",
    "bulletin_document",
    "render_bulletin_docx",
    "render_bulletin_pdf",
]
