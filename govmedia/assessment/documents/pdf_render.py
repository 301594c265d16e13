"""The bulletin as PDF in the GB/T 9704-2012 layout, with the locally available CJK fonts
embedded (subsets) so it prints the same anywhere.

The fonts are found as the 备案表 finds them (govmedia.registry.documents.fonts): Noto Serif CJK
stands in for 小标宋 (bold) and 仿宋/楷体 (regular), Noto Sans CJK for 黑体 when present.
Lines are set on the standard's grid: 22 lines of 28 characters in the 156 × 225 mm text area.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode

from govmedia.registry.documents.fonts import FontFace, find_cjk_font
from govmedia.registry.documents.wrap import wrap_text

from .data import (
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
    TEXT_H,
    TEXT_W,
    Bulletin,
)

logging.getLogger("fpdf").setLevel(logging.ERROR)
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

PT_MM = 25.4 / 72
BODY, HEI = "body", "hei"
TITLE = BODY  # drawn bold: see _Document.bold
SANS_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)
INDENT = 2 * SIZE_3 * PT_MM  # 首行缩进二字
BOTTOM = MARGIN_TOP + TEXT_H


def _face_like(base: FontFace, candidates) -> FontFace:
    for candidate in candidates:
        if Path(candidate).is_file():
            return FontFace(Path(candidate), base.index)
    return base


def render_bulletin_pdf(bulletin: Bulletin) -> bytes:
    return _Document(bulletin).render()


class _Document:
    def __init__(self, bulletin: Bulletin) -> None:
        body = find_cjk_font()
        pdf = FPDF(unit="mm", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_creator("govmedia 政务新媒体管理平台")
        pdf.set_lang("zh-CN")
        pdf.set_title(bulletin.title)
        pdf.set_subject(bulletin.doc_no)
        # Two faces, not three: each embedded face costs a second of subsetting, so 小标宋 is
        # the body face drawn bold (filled and stroked) rather than a third font file.
        for key, face in ((BODY, body), (HEI, _face_like(body, SANS_PATHS))):
            pdf.add_font(key, fname=str(face.path), collection_font_number=face.index)
        self.pdf, self.bulletin = pdf, bulletin
        self.y = MARGIN_TOP
        self._widths: dict[tuple[str, str], float] = {}

    # --- measuring and placing ---------------------------------------------------------------

    def measure(self, font: str, text: str) -> float:
        """Width in mm at 1 pt."""
        total = 0.0
        for ch in text:
            key = (font, ch)
            if key not in self._widths:
                self.pdf.set_font(font, size=1)
                self._widths[key] = self.pdf.get_string_width(ch)
            total += self._widths[key]
        return total

    def new_page(self) -> None:
        self.pdf.add_page()
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
        self.pdf.set_font(BODY, size=SIZE_4)
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
        self.pdf.set_font(font, size=size)
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

    # --- the document ------------------------------------------------------------------------

    def render(self) -> bytes:
        b = self.bulletin
        self.new_page()
        self.line(
            b.issuer_mark,
            font=TITLE,
            size=_fit_mark(self, b.issuer_mark),
            align="center",
            color=RED,
            pitch=LINE_PITCH * 1.6,
            bold=True,
        )
        self.y += LINE_PITCH * 2
        self.line(b.doc_no, align="center")
        self.rule(self.y + SEPARATOR_GAP - LINE_PITCH / 2 + SIZE_3 * PT_MM / 2, RED_RULE, RED)
        self.y += LINE_PITCH * 2
        for line in wrap_text(
            b.title, TEXT_W - 2 * SIZE_2 * PT_MM, lambda s: self.measure(TITLE, s) * SIZE_2
        ):
            self.line(
                line, font=TITLE, size=SIZE_2, align="center", pitch=LINE_PITCH * 1.25, bold=True
            )
        self.y += LINE_PITCH
        self.paragraph(b.addressee, first_indent=0)
        for text in b.opening:
            self.paragraph(text)
        for section in b.sections:
            self.paragraph(section.heading, font=HEI)
            for text in section.paragraphs:
                self.paragraph(text)
            for heading, paragraphs in section.subheadings:
                self.paragraph(heading)  # 楷体 is not installed here: 仿宋's stand-in
                for text in paragraphs:
                    self.paragraph(text)
        self.y += LINE_PITCH * 2
        self.need(LINE_PITCH * 2)
        self.line(b.signer, align="right", indent=SIZE_3 * PT_MM * 4)
        self.line(b.date_text, align="right", indent=SIZE_3 * PT_MM * 4)
        self._imprint()
        return bytes(self.pdf.output())

    def _imprint(self) -> None:
        """版记 at the foot of the last page: heavy rule, 抄送, light rule, 印发, heavy rule."""
        b = self.bulletin
        pitch = LINE_PITCH
        cc_lines = wrap_text(
            f"抄送：{b.cc}。", TEXT_W - 2 * SIZE_4 * PT_MM, lambda s: self.measure(BODY, s) * SIZE_4
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
        date_w = self.measure(BODY, b.printed_text) * SIZE_4  # measuring sets the size: first
        self.pdf.set_font(BODY, size=SIZE_4)
        baseline = self.y + (pitch + SIZE_4 * PT_MM * 0.76) / 2
        self.pdf.text(MARGIN_LEFT + inset, baseline, b.printer)
        self.pdf.text(MARGIN_LEFT + TEXT_W - inset - date_w, baseline, b.printed_text)
        self.y += pitch
        self.rule(self.y, RULE_HEAVY)


def _fit_mark(doc: _Document, text: str) -> float:
    """The 发文机关标志 as large as reads well (up to 1.5 × 二号) within the text width."""
    size = SIZE_2 * 1.5
    width = doc.measure(TITLE, text)
    return min(size, TEXT_W * 0.95 / width) if width else size
