"""Make arbitrary user text safe to typeset.

Filings are typed (or pasted) by people, so they contain emoji, rare CJK
extension-B characters, stray control characters from Word, and so on. None of
that may crash a renderer: lxml (DOCX) rejects control characters outright, and
a PDF font simply has no glyph for most emoji.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# What XML 1.0 (and so DOCX) refuses, plus lone surrogates that cannot be encoded.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Joiners and variation selectors only steer how an emoji is drawn; in print they are noise.
_EMOJI_CONTROLS = re.compile("[\u200d\ufe00-\ufe0f\U000e0100-\U000e01ef]")

# 〓 (geta mark) is what Chinese typesetting prints for a character it lacks.
MISSING_GLYPH = "〓"


def clean_text(text: str | None) -> str:
    """Normalise newlines and tabs and drop characters no document format accepts."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _XML_INVALID.sub("", text)


def replace_missing(text: str, has_glyph: Callable[[str], bool]) -> str:
    """Swap characters the fonts cannot draw for 〓, dropping invisible joiners.

    Variation selectors and zero-width joiners ride along with emoji; replacing
    them too would print one emoji as several marks.
    """
    out = []
    for ch in _EMOJI_CONTROLS.sub("", text):
        if ch == "\n" or has_glyph(ch):
            out.append(ch)
        elif unicodedata.category(ch) not in ("Mn", "Me", "Cf"):
            out.append(MISSING_GLYPH)
    return "".join(out)
