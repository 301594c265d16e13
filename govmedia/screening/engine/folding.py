"""Fold text so that variants of a term meet: case, full width and compatibility forms (NFKC),
traditional characters. Folding is char-for-char (same length); dropping noise is separate.

Noise is everything that is not a letter or digit (punctuation, symbols, spaces, zero-width
and other format characters, combining marks): evasion hides terms behind it (台*湾, 台 湾).
"""

import re
import unicodedata
from functools import cache
from itertools import chain

from .traditional import traditional_to_simplified

# Python's \w is "alphanumeric or underscore"; noise is its complement plus the underscore.
NOISE_RUN = re.compile(r"[\W_]+")
NOISE_SPLIT = re.compile(r"([\W_]+)")

# Besides the BMP, the supplementary blocks people use to dodge filters.
_EXTRA_RANGES = (
    range(0x1D400, 0x1D800),  # mathematical alphanumerics (𝐀)
    range(0x1F100, 0x1F200),  # enclosed alphanumerics supplement
    range(0x20000, 0x2FA20),  # CJK extensions B–F, compatibility supplement
    range(0x30000, 0x323B0),  # CJK extensions G–H
)

# Characters outside the BMP. A character class holding astral code points is checked range
# by range (slow: 0.9 s over 10 MB), so BMP and astral folds are found separately, and the
# astral pass only runs when there is an astral character at all (a bare class finds that
# fastest; a capturing group costs four times as much).
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_ASTRAL_RUN = re.compile("([\U00010000-\U0010ffff]+)")


def fold_chars(text: str) -> str:
    """Fold every character; the result has exactly the length of ``text``."""
    table, foldable = _fold_table()
    folded = _translate_runs(text, foldable, table)
    if _ASTRAL.search(folded) is None:
        return folded
    return _translate_runs(folded, _ASTRAL_RUN, table)


def fold_term(term: str) -> str:
    """The form a lexicon term is matched in: folded, noise dropped. Empty means unmatchable."""
    return NOISE_RUN.sub("", fold_chars(term))


def _translate_runs(text: str, runs: re.Pattern, table: dict[int, str]) -> str:
    # Chinese text has few foldable chars: translate only their runs, not the whole text
    # (str.translate costs ~50 ns a character, str.lower() alone ~5).
    parts = runs.split(text)
    if len(parts) == 1:
        return text
    parts[1::2] = [run.translate(table) for run in parts[1::2]]
    return "".join(parts)


@cache
def _fold_table() -> tuple[dict[int, str], re.Pattern]:
    """The translate table for chars that fold, and a pattern matching runs of BMP ones.
    Built once per process (~0.1 s)."""
    t2s = traditional_to_simplified()
    table: dict[int, str] = {}
    for code in chain(range(0xD800), range(0xE000, 0x10000), *_EXTRA_RANGES):
        char = chr(code)
        folded = _fold_one(char, t2s)
        # Only folds that yield a letter or digit: full-width punctuation stays noise, which
        # keeps this table sparse in ordinary Chinese text. (⾞ → 车 and ㊙ → 秘 are kept.)
        if folded != char and folded.isalnum():
            table[code] = folded
    bmp = (code for code in table if code <= 0xFFFF)
    return table, re.compile(f"([{_char_class(bmp)}]+)")


def _fold_one(char: str, t2s: dict[str, str]) -> str:
    folded = _single(char.lower(), char)  # İ lowers to two chars: i and a combining dot
    folded = _single(unicodedata.normalize("NFKC", folded), folded)  # ㍿ → 株式会社: keep ㍿
    folded = t2s.get(folded, folded)
    return _single(folded.lower(), folded)  # Ａ → A → a


def _single(candidate: str, fallback: str) -> str:
    """The candidate if it is one character (the offset map must stay 1:1); its first
    character if it only grew by combining marks; otherwise the fallback."""
    if len(candidate) == 1:
        return candidate
    if candidate and all(unicodedata.combining(mark) for mark in candidate[1:]):
        return candidate[0]
    return fallback


def _char_class(codes) -> str:
    """A compact regex character class (ranges) for a set of code points."""
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
