"""Fold text so that variants of a term meet: case, full width and compatibility forms (NFKC),
traditional characters. Folding is char-for-char (same length); dropping noise is separate.

Noise is everything that is not a letter or digit (punctuation, symbols, spaces, zero-width
and other format characters, combining marks): evasion hides terms behind it (台*湾, 台 湾).
"""

import codecs
import re
import unicodedata
from functools import cache
from itertools import chain

import numpy as np

from .traditional import traditional_to_simplified

# Python's \w is "alphanumeric or underscore"; noise is its complement plus the underscore.
NOISE_RUN = re.compile(r"[\W_]+")
NOISE_SPLIT = re.compile(r"([\W_]+)")  # the plain formulation fold_and_drop_noise matches

# Besides the BMP, the supplementary blocks people use to dodge filters.
_EXTRA_RANGES = (
    range(0x1D400, 0x1D800),  # mathematical alphanumerics (𝐀)
    range(0x1F100, 0x1F200),  # enclosed alphanumerics supplement
    range(0x20000, 0x2FA20),  # CJK extensions B–F, compatibility supplement
    range(0x30000, 0x323B0),  # CJK extensions G–H
)

# Characters outside the BMP. A character class holding many astral ranges is checked range by
# range (slow: 0.9 s over 10 MB), so classes below hold the whole astral plane as one range
# and leave the finer test to the translate table or a lookbehind: astral chars are rare.
_ASTRAL_CLASS = "\U00010000-\U0010ffff"

_NOISE = np.uint32(1 << 31)  # a flag above every code point (see _code_point_table)


def fold_chars(text: str) -> str:
    """Fold every character; the result has exactly the length of ``text``."""
    return _fold(text)[0]


def fold_and_drop_noise(text: str) -> tuple[str, str, np.ndarray | None]:
    """``fold_chars(text)`` (the light view), that with its noise dropped (the folded view),
    and a mask of the chars of ``text`` the folded view keeps (None when nothing was dropped).

    The same result as folding and then splitting at NOISE_SPLIT, but done on code points in
    numpy arrays, one table lookup per char: on Chinese prose (a noise char every ten or so)
    the regex split and the per-run offset lists cost three times the automaton's scan. The
    mask rather than the index of each kept char: most texts have no hit to map back (see
    offsets.KeptIndexMap).
    """
    codes = _code_points(text)
    light_codes = _code_point_table()[codes]
    kept = light_codes < _NOISE
    light_codes &= _NOISE - 1
    light = text if np.array_equal(light_codes, codes) else _decode(light_codes)
    folded_codes = light_codes[kept]
    if len(folded_codes) == len(codes):
        return light, light, None
    return light, _decode(folded_codes), kept


def _code_points(text: str) -> np.ndarray:
    """The code points of ``text``, from UTF-16 (half the bytes of UTF-32) if it has no astral
    char: then every code unit is a char (a lone surrogate too)."""
    utf16 = text.encode("utf-16-le", "surrogatepass")
    if len(utf16) == 2 * len(text):
        return np.frombuffer(utf16, dtype=np.uint16)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _decode(codes: np.ndarray) -> str:
    """The str of a code point array, read in place (no bytes copy of the array)."""
    return codecs.utf_32_le_decode(codes, "surrogatepass", True)[0]


def fold_term(term: str) -> str:
    """The form a lexicon term is matched in: folded, noise dropped. Empty means unmatchable."""
    return NOISE_RUN.sub("", fold_chars(term))


def _fold(text: str) -> tuple[str, bool]:
    """The folded text, and whether it holds astral noise (an emoji, say), which the faster
    noise split does not see."""
    table, foldable = _fold_table()
    # Chinese text has few foldable chars: translate only their runs, not the whole text
    # (str.translate costs ~50 ns a character, str.lower() alone ~5).
    parts = foldable.split(text)
    if len(parts) == 1:
        return text, False
    runs = [run.translate(table) for run in parts[1::2]]
    parts[1::2] = runs
    # Every fold is a letter or digit: only an astral char left as it is can be noise.
    return "".join(parts), NOISE_RUN.search("".join(runs)) is not None


@cache
def _code_point_table() -> np.ndarray:
    """For every code point, what it folds to, with the _NOISE flag set if that is noise: one
    table (uint32, ~4.5 MB), so one lookup a char. Built once per process from the same table
    and pattern as fold_chars and NOISE_RUN."""
    table, _ = _fold_table()
    fold = np.arange(0x110000, dtype=np.uint32)
    fold[np.fromiter(table.keys(), dtype=np.uint32)] = np.fromiter(
        (ord(char) for char in table.values()), dtype=np.uint32
    )
    noise = np.zeros(0x110000, dtype=bool)
    every_char = "".join(map(chr, range(0x110000)))  # surrogates included: they are noise too
    for run in NOISE_RUN.finditer(every_char):
        noise[run.start() : run.end()] = True
    return fold | np.where(noise[fold], _NOISE, np.uint32(0))


def _runs_of(char_class: str) -> re.Pattern:
    """A capturing pattern for runs of ``char_class``, written ``([c][c]*)`` rather than
    ``([c]+)``: the regex engine skips ahead with a leading bare class, but tries a leading
    repeat at every position (three times slower on Chinese text)."""
    return re.compile(f"([{char_class}][{char_class}]*)")


@cache
def _fold_table() -> tuple[dict[int, str], re.Pattern]:
    """The translate table for chars that fold, and a pattern for runs of them and of astral
    chars (see _ASTRAL_CLASS). Built once per process (~0.1 s)."""
    t2s = traditional_to_simplified()
    table: dict[int, str] = {}
    for code in chain(range(0xD800), range(0xE000, 0x10000), *_EXTRA_RANGES):
        char = chr(code)
        folded = _fold_one(char, t2s)
        # Only folds that yield a letter or digit: full-width punctuation stays noise, which
        # keeps this table sparse in ordinary Chinese text. (⾞ → 车 and ㊙ → 秘 are kept.)
        if folded != char and folded.isalnum():
            table[code] = folded
    # A BMP char folding to an astral char that folds further (none does today) goes all the
    # way in the one pass, as it did when astral chars were folded in a second pass.
    for code, folded in table.items():
        if code <= 0xFFFF < ord(folded):
            table[code] = table.get(ord(folded), folded)
    bmp = sorted(code for code in table if code <= 0xFFFF)
    return table, _runs_of(_char_class(_ranges(bmp)) + _ASTRAL_CLASS)


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


def _ranges(codes: list[int]) -> list[list[int]]:
    """Sorted code points as [first, last] ranges."""
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ranges


def _char_class(ranges) -> str:
    """The body of a regex character class for (first, last) code point ranges."""
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
