"""Government documents in the GB/T 9704-2012 layout (《党政机关公文格式》), as DOCX and PDF.

Pure (no Django, no govmedia app): an `OfficialDocument` in — 版头 (发文机关标志 in red, 发文字号,
the red separator), title, 主送机关, body blocks (paragraphs, 一、 and （一） headings, tables,
charts), 署名 and 成文日期, 版记 (抄送, 印发) — bytes out. The assessment's 通报 and opinion's
舆情简报 are set with it. PDFs embed subsets of the local CJK fonts, parsed once per process and
subset once per glyph set (font_cache), shared with the 备案表.
"""

from .docx_render import render_docx
from .model import Chart, OfficialDocument, Paragraph, Series, Style, Table
from .pdf_render import render_pdf

__all__ = [
    "Chart",
    "OfficialDocument",
    "Paragraph",
    "Series",
    "Style",
    "Table",
    "render_docx",
    "render_pdf",
]
