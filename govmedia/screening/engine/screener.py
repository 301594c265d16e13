"""The screening entry point: built once from lexicon entries, then ``check`` any number of texts."""

import gc
from collections.abc import Iterable

import numpy as np

from .automaton import CompiledLexicon, inside_word
from .categories import COMMERCIAL_CONTEXT
from .commerce import in_commercial_context
from .detectors import DEFAULT_DETECTORS, Detector
from .document import Document, normalise
from .finding import Finding, in_report_order, make_finding
from .folding import fold_term
from .lexicon import LexiconEntry
from .limits import MAX_HITS_PER_RULE
from .resolve import drop_whitelisted, keep_longest


class Screener:
    """Immutable and thread-safe; rebuild it (cheaply) when the lexicon changes."""

    def __init__(
        self,
        entries: Iterable[LexiconEntry],
        version: int = 0,
        *,
        detectors: Iterable[Detector] = DEFAULT_DETECTORS,
    ):
        self.version = version
        self._detectors = tuple(detectors)
        self._lexicon = CompiledLexicon(
            entries, anchors=[anchor for detector in self._detectors for anchor in detector.anchors]
        )
        terms = {term: index for index, term in enumerate(self._lexicon.terms)}
        # For each detector, whether each automaton pattern is one of its anchors (None: it
        # always runs); a table rather than a set, for a lookup over all matches at once.
        self._detector_anchors = [
            _table(len(terms), [terms[fold_term(anchor)] for anchor in detector.anchors])
            if detector.anchors
            else None
            for detector in self._detectors
        ]
        self._any_anchor = _table(len(terms), list(self._lexicon.anchor_indices))

    @property
    def entry_count(self) -> int:
        return self._lexicon.entry_count

    @property
    def rejected(self) -> tuple[LexiconEntry, ...]:
        """Entries that can never match: their term is nothing but noise (punctuation, spaces)."""
        return self._lexicon.rejected

    def check(self, text: str, *, html: bool = False) -> list[Finding]:
        """Findings in ``text`` (HTML if ``html``), sorted by start, category, rule."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        if not text:
            return []
        # A long text makes tens of thousands of short-lived objects (matches, findings): the
        # collector would walk the whole heap several times over them, ~10 % of a check.
        # Only the thread that turned it off turns it back on.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._check(text, html)
        finally:
            if collecting:
                gc.enable()

    def _check(self, text: str, html: bool) -> list[Finding]:
        document = normalise(text, html=html)
        matches = self._lexicon.matches(document.folded)
        findings, covers = self._lexicon_hits(document, matches)
        findings.extend(self._detector_hits(document, matches))
        return keep_longest(in_report_order(drop_whitelisted(findings, covers)))

    def _lexicon_hits(self, document: Document, matches: np.ndarray):
        """Findings for lexicon terms, and the spans whitelist phrases cover."""
        findings: list[Finding] = []
        covers: list[tuple[int, int, str]] = []
        if not len(matches):
            return findings, covers
        folded, original, patterns = document.folded, document.original, self._lexicon.patterns
        matches = _first_occurrences(matches)
        content_starts, content_ends = document.folded_to_content.spans(
            matches[:, 1], matches[:, 2] - 1
        )
        columns = (matches, content_starts[:, None], content_ends[:, None])
        rows = np.concatenate(columns, axis=1).tolist()
        # This loop runs once per match: lookups are kept out of it, and the common case (no
        # noise inside the match, plain text) is Document.locate_content's work, inlined.
        locate_content = document.locate_content
        plain_text = document.content_to_original is None
        for index, start, end, content_start, content_end in rows:
            pattern = patterns[index]
            if not pattern.entries or (
                (pattern.word_start or pattern.word_end)
                and inside_word(folded, start, end, pattern)
            ):
                continue
            if plain_text and content_end - content_start == end - start:
                span = content_start, content_end
            else:
                span = locate_content(
                    start, end, content_start, content_end, pattern.spans_punctuation
                )
                if span is None:
                    continue
            first, last = span
            for entry in pattern.entries:
                if entry.whitelist:
                    covers.append((first, last, entry.category))
                elif entry.context != COMMERCIAL_CONTEXT or in_commercial_context(
                    document, start, end
                ):
                    findings.append(_finding(entry, first, last, original))
        return findings, covers

    def _detector_hits(self, document: Document, matches: np.ndarray) -> list[Finding]:
        """Findings of the detectors that always run, and of those whose anchors occur, tried
        where the anchors begin."""
        findings: list[Finding] = []
        anchored = matches[self._any_anchor[matches[:, 0]]]  # a few rows, often none
        for detector, anchors in zip(self._detectors, self._detector_anchors, strict=True):
            if anchors is None:
                findings.extend(detector.detect(document))
            elif len(anchored) and len(starts := anchored[anchors[anchored[:, 0]], 1]):
                findings.extend(detector.detect(document, np.sort(starts).tolist()))
        return findings


def _table(size: int, indices) -> np.ndarray:
    """A bool per index below ``size``: whether it is among ``indices``."""
    table = np.zeros(size, dtype=bool)
    table[indices] = True
    return table


def _first_occurrences(matches: np.ndarray) -> np.ndarray:
    """At most MAX_HITS_PER_RULE matches of each pattern, the first ones."""
    if len(matches) <= MAX_HITS_PER_RULE or np.bincount(matches[:, 0]).max() <= MAX_HITS_PER_RULE:
        return matches
    patterns = matches[:, 0]
    order = np.argsort(patterns, kind="stable")  # grouped by pattern, in match order
    grouped = patterns[order]
    rank = np.empty(len(matches), dtype=np.int64)  # among the matches of the same pattern
    rank[order] = np.arange(len(matches)) - np.searchsorted(grouped, grouped)
    return matches[rank < MAX_HITS_PER_RULE]


def _finding(entry: LexiconEntry, start: int, end: int, original: str) -> Finding:
    return make_finding(
        entry.category,
        entry.term,
        entry.severity,
        start,
        end,
        original[start:end],
        entry.suggestion,
        entry.basis,
        entry.note,
    )
