"""Text on an FPDF page in a CJK font, with checkboxes from a symbol font.

fpdf2 draws one font at a time; a line of the form mixes Chinese (the CJK
font) with ☑/□ (which CJK fonts lack), so each line is drawn as runs of one
font. Widths are measured per character at 1 pt and cached: the layout asks
for thousands of widths while it searches for sizes that fit.
"""

from __future__ import annotations

from fpdf import FPDF

from govmedia.officialdoc.font_cache import add_parsed_font, prepare_for_output
from govmedia.officialdoc.fonts import FontFace, glyph_extent

from . import texts
from .fit import PT_MM
from .form import MARGIN_TOP, MARGIN_X

CJK, SYMBOL = "cjk", "sym"
BOX_HEIGHT, BOX_MIDDLE = 0.78, 0.38  # ems: a checkbox as tall as a character, on its centre


class Typesetter:
    """An FPDF document with the CJK font and the checkbox font, and text drawn in runs."""

    def __init__(self, cjk: FontFace, symbol: FontFace | None) -> None:
        pdf = FPDF(unit="mm", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
        pdf.set_creator("govmedia 政务新媒体管理平台")
        pdf.set_lang("zh-CN")
        # Parsed once per process (see font_cache.py), not once per document.
        self.cmaps = {CJK: add_parsed_font(pdf, CJK, cjk).cmap}
        self.boxes: dict[str, tuple[float, float]] = {}
        if symbol is not None:
            self.cmaps[SYMBOL] = add_parsed_font(pdf, SYMBOL, symbol).cmap
            self.boxes = {ch: _box_fit(symbol, ch) for ch in texts.BOXES}
        self.pdf = pdf
        self._unit_widths: dict[str, float] = {}

    def output(self) -> bytes:
        """The PDF, its fonts subset to the glyphs drawn (built once per glyph set)."""
        prepare_for_output(self.pdf)
        return bytes(self.pdf.output())

    def font_for(self, ch: str) -> str | None:
        # Boxes come from one font so ☑ and □ match; everything else prefers the CJK font.
        if ch in self.boxes:
            return SYMBOL
        for key, cmap in self.cmaps.items():
            if ord(ch) in cmap:
                return key
        return None

    def has_glyph(self, ch: str) -> bool:
        return self.font_for(ch) is not None

    def measure(self, text: str) -> float:
        """Width in mm at 1 pt (widths scale linearly, so one table serves every size)."""
        return sum(self._unit_width(ch) for ch in text)

    def _unit_width(self, ch: str) -> float:
        if ch not in self._unit_widths:
            self.pdf.set_font(self.font_for(ch) or CJK, size=1)
            scale = self.boxes[ch][0] if ch in self.boxes else 1.0
            self._unit_widths[ch] = self.pdf.get_string_width(ch) * scale
        return self._unit_widths[ch]

    def draw(self, x: float, baseline: float, text: str, size: float) -> None:
        for font, run in self._runs(text):
            scale, rise = self.boxes.get(run, (1.0, 0.0))
            self.pdf.set_font(font, size=size * scale)
            self.pdf.text(x, baseline - rise * size * PT_MM, run)
            x += self.measure(run) * size

    def _runs(self, text: str) -> list[tuple[str, str]]:
        """Consecutive characters of one font; every box is a run of its own."""
        runs: list[tuple[str, str]] = []
        for ch in text:
            font = self.font_for(ch) or CJK
            if (
                runs
                and runs[-1][0] == font
                and ch not in self.boxes
                and runs[-1][1] not in self.boxes
            ):
                runs[-1] = (font, runs[-1][1] + ch)
            else:
                runs.append((font, ch))
        return runs


def _box_fit(face: FontFace, ch: str) -> tuple[float, float]:
    """(scale, rise in ems) that makes ch a box as tall as a Chinese character, centred on it.

    Symbol fonts draw □ and ☑ at different sizes and heights; side by side with
    Chinese text that looks careless on a form whose point is ticking one box.
    """
    extent = glyph_extent(face, ch)
    if extent is None:
        return 1.0, 0.0
    bottom, top = extent
    scale = BOX_HEIGHT / (top - bottom)
    return scale, BOX_MIDDLE - (bottom + top) / 2 * scale
