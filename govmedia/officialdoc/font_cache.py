"""Fonts parsed once per process, subsets built once per glyph set.

fpdf2's ``add_font`` parses the whole font (a CJK collection: cmap and widths of ~65,000
glyphs) for every document, and at output subsets the font in place, which decompiles its CFF
table and recomputes the bounding boxes of every glyph kept. Both took ~90 % of a filing PDF.

Here the parsed font is kept per process and each document gets a shallow copy with its own
glyph map; before output, each font's ``ttfont`` is replaced by the subset for exactly the
glyphs the document used, built once per glyph set from the font file, exactly as fpdf2 builds
it, and kept (bounded LRU). That subset is handed to fpdf2 ready-made: its glyph order is set
and its CFF table is the compiled bytes, so fpdf2's own subsetting pass (told to skip it, see
_SubsetModule) and its save copy bytes instead of decompiling and recompiling the font. The
text drawn, the glyphs, the widths and the embedded font are those fpdf2 would produce.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections import OrderedDict
from io import BytesIO

from fontTools import subset as ftsubset
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables.DefaultTable import DefaultTable
from fpdf import FPDF
from fpdf import output as fpdf_output
from fpdf.fonts import SubsetMap, TTFFont

from .fonts import FontFace

SUBSETS_KEPT = 64  # a glyph set's subset is ~100 KB: a few MB at most
# The tables fpdf2 drops when it subsets (fpdf/output.py): dropped here too so that its second
# pass over our subset changes nothing.
_DROPPED_TABLES = (
    "FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "sbix", "CBDT", "CBLC",
    "EBDT", "EBLC", "EBSC", "SVG ", "CPAL", "COLR",
)  # fmt: skip

_lock = threading.Lock()
# (face, glyph names) -> (the subset font file, its glyph order)
_subsets: OrderedDict[tuple[FontFace, frozenset[str]], tuple[bytes, list[str]]] = OrderedDict()
_faces: dict[int, FontFace] = {}  # id(document font) -> its face, for prepare_for_output


@functools.lru_cache(maxsize=8)
def _parsed(face: FontFace) -> TTFFont:
    """The font as fpdf2 parses it, once per process. Its own ttfont is dropped: documents
    get a fresh one at output (see prepare_for_output)."""
    pdf = FPDF()
    pdf.add_font("parsed", fname=str(face.path), collection_font_number=face.index)
    font = pdf.fonts["parsed"]
    font.ttfont = None
    return font


def add_parsed_font(pdf: FPDF, key: str, face: FontFace) -> TTFFont:
    """What ``pdf.add_font(key, fname=face.path, …)`` does, without parsing the font again."""
    font = copy.copy(_parsed(face))
    font.i = len(pdf.fonts) + 1
    font.fontkey = key
    font.subset = SubsetMap(font)  # the glyphs this document uses, filled as text is drawn
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    pdf.fonts[key] = font
    if font.is_cff and font.is_cid_keyed:
        pdf._set_min_pdf_version("1.6")  # as add_font does for CID-keyed CFF (Noto CJK)
    _faces[id(font)] = face
    return font


def prepare_for_output(pdf: FPDF) -> None:
    """Give each parsed font of ``pdf`` the subset of exactly the glyphs it used."""
    for font in pdf.fonts.values():
        face = _faces.pop(id(font), None)
        if face is None:
            continue
        data, glyph_order = _subset(face, frozenset(font.subset.get_all_glyph_names()))
        ready = TTFont(BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
        ready.setGlyphOrder(list(glyph_order))  # without decompiling the CFF table for it
        for tag in ("CFF ", "CFF2"):
            if tag in ready.reader:  # compiled bytes as they are: fpdf2 embeds this table
                ready.tables[tag] = DefaultTable(tag)
                ready.tables[tag].data = ready.reader[tag]
        ready.already_subset = True  # read by _SkipPreparedFonts
        font.ttfont = ready


def _subset(face: FontFace, glyphs: frozenset[str]) -> tuple[bytes, list[str]]:
    key = (face, glyphs)
    with _lock:
        if key in _subsets:
            _subsets.move_to_end(key)
            return _subsets[key]
    font = TTFont(str(face.path), fontNumber=face.index, lazy=True, recalcTimestamp=False)
    options = ftsubset.Options(notdef_outline=True, recommended_glyphs=True)
    options.drop_tables += list(_DROPPED_TABLES)
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(glyphs=sorted(glyphs))
    subsetter.subset(font)
    output = BytesIO()
    font.save(output)
    built = output.getvalue(), font.getGlyphOrder()
    with _lock:
        _subsets[key] = built
        while len(_subsets) > SUBSETS_KEPT:
            _subsets.popitem(last=False)
    return built


class _SkipPreparedFonts(ftsubset.Subsetter):
    """fpdf2's subsetter, except for fonts prepare_for_output already subset."""

    def subset(self, font: TTFont) -> None:
        if not getattr(font, "already_subset", False):
            super().subset(font)


class _SubsetModule:
    """Stands in for ``fontTools.subset`` inside fpdf2's output module (its only use there is
    ``ftsubset.Options`` and ``ftsubset.Subsetter``): fpdf2 has no hook to embed a font that
    is already subset. Other fonts are subset exactly as before."""

    Options = ftsubset.Options
    Subsetter = _SkipPreparedFonts


fpdf_output.ftsubset = _SubsetModule
