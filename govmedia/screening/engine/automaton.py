"""All lexicon terms in one Aho–Corasick automaton, matched in a single pass over the text.

ahocorasick-rs rather than pyahocorasick, measured by bench/screening_engine.py on 50,000
random CJK terms and 10 MB of text: one scan takes ~0.12 s against ~10 s, and the build
~0.15 s against ~0.6 s. pyahocorasick's trie looks a node's children up one by one, and a CJK
lexicon gives the root thousands of children; ahocorasick-rs also returns all matches from one
call instead of yielding them to Python one at a time. Its default (contiguous NFA) automaton
takes ~12 MB for 50,000 terms; the DFA scans ~20 % faster but takes ~235 MB, too much for the
several screeners (one per unit's set of lexicons) a process may hold.

The automaton runs over UTF-16 bytes (BytesAhoCorasick), not over the str: for a str,
ahocorasick-rs encodes it to UTF-8 and builds a byte-to-char index of 8 bytes per UTF-8 byte
(~70 MB for 10 MB of text) on every call, a third of the call's time. In UTF-16 a char of the
BMP is two bytes, so a byte offset halved is the char index, and Chinese takes two bytes a char
instead of three: the scan itself is faster too. A match at an odd offset straddles two chars
and is dropped.
"""

from dataclasses import dataclass
from itertools import chain

import numpy as np
from ahocorasick_rs import BytesAhoCorasick

from .folding import NOISE_RUN, fold_chars, fold_term
from .lexicon import LexiconEntry

_ENCODING = "utf-16-le"


@dataclass(frozen=True, slots=True)
class Pattern:
    """A folded term and every entry that folds to it."""

    entries: tuple[LexiconEntry, ...]  # empty for a detector anchor that is no entry
    # The term itself is written across punctuation (来源：网络, NO.1), so a clause boundary
    # inside a match is part of the term, not two words meeting.
    spans_punctuation: bool
    # A Latin/digit edge (NO.1, TOP1) must not sit inside a longer word: not in NO.10.
    word_start: bool
    word_end: bool


class CompiledLexicon:
    def __init__(self, entries, anchors=()):
        grouped: dict[str, list[LexiconEntry]] = {}
        punctuated: set[str] = set()  # folded terms some entry writes with punctuation
        rejected: list[LexiconEntry] = []
        for entry in entries:
            chars = fold_chars(entry.term)
            folded = NOISE_RUN.sub("", chars)
            if not folded:  # all noise (e.g. "★★"): nothing left to match
                rejected.append(entry)
                continue
            grouped.setdefault(folded, []).append(entry)
            if len(folded) != len(chars.strip()):
                punctuated.add(folded)
        anchors = {fold_term(anchor) for anchor in anchors}
        for anchor in anchors:
            grouped.setdefault(anchor, [])
        self.rejected = tuple(rejected)
        self.terms = list(grouped)
        self.patterns = [
            Pattern(
                tuple(group),
                term in punctuated,
                _is_word_char(term[0]),
                _is_word_char(term[-1]),
            )
            for term, group in grouped.items()
        ]
        # The patterns that are a detector's anchor (see detectors/__init__.py).
        self.anchor_indices = frozenset(
            index for index, term in enumerate(self.terms) if term in anchors
        )
        self.entry_count = sum(len(pattern.entries) for pattern in self.patterns)
        self._automaton = (
            BytesAhoCorasick([term.encode(_ENCODING) for term in self.terms]) if grouped else None
        )

    def matches(self, folded: str) -> np.ndarray:
        """A row (pattern index, start, end) for every occurrence, overlapping ones included,
        in the order of their ends.

        ``folded`` holds no lone surrogates (they are noise), so it always encodes. The offsets
        are converted in numpy: a Python loop over the matches costs a tenth of the scan."""
        if self._automaton is None:
            return np.empty((0, 3), dtype=np.int64)
        haystack = folded.encode(_ENCODING)
        found = self._automaton.find_matches_as_indexes(haystack, overlapping=True)
        table = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=3 * len(found))
        table = table.reshape(-1, 3)
        table = table[(table[:, 1] & 1) == 0]  # an odd byte offset straddles two chars
        table[:, 1:] >>= 1  # byte offsets to code unit indices
        if len(haystack) != 2 * len(folded):
            table[:, 1:] -= _astral_before(table[:, 1:], haystack)
        return table


def _astral_before(units: np.ndarray, haystack: bytes) -> np.ndarray:
    """How many astral chars (two code units each) come before each code unit index: the
    difference to its char index. No match starts or ends inside one (no term has half)."""
    high_surrogates = (np.frombuffer(haystack, dtype="<u2") & 0xFC00) == 0xD800
    return np.searchsorted(np.flatnonzero(high_surrogates), units)


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def inside_word(folded: str, start: int, end: int, pattern: Pattern) -> bool:
    """Whether a match with a Latin/digit edge continues a longer Latin/digit word."""
    return (pattern.word_start and start > 0 and _is_word_char(folded[start - 1])) or (
        pattern.word_end and end < len(folded) and _is_word_char(folded[end])
    )
