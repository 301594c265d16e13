"""The screening entry point: built once from lexicon entries, then ``check`` any number of texts."""

import gc
from collections import Counter
from collections.abc import Iterable
from operator import itemgetter

from .automaton import CompiledLexicon, inside_word
from .categories import COMMERCIAL_CONTEXT
from .commerce import in_commercial_context
from .detectors import DEFAULT_DETECTORS, Detector
from .document import Document, normalise
from .finding import REPORT_ORDER, Finding, make_finding
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
        # For each detector, the automaton patterns that are its anchors (None: always run).
        self._detector_anchors = [
            frozenset(terms[fold_term(anchor)] for anchor in detector.anchors)
            if detector.anchors
            else None
            for detector in self._detectors
        ]

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
        findings, covers, anchored = self._lexicon_hits(document)
        for detector, anchors in zip(self._detectors, self._detector_anchors, strict=True):
            if anchors is None or not anchors.isdisjoint(anchored):
                findings.extend(detector.detect(document))
        return keep_longest(sorted(drop_whitelisted(findings, covers), key=REPORT_ORDER))

    def _lexicon_hits(self, document: Document):
        """Findings for lexicon terms, the spans whitelist phrases cover, and the indices of
        the detector anchors that occur."""
        findings: list[Finding] = []
        covers: list[tuple[int, int, str]] = []
        matches = self._lexicon.matches(document.folded)
        anchored = self._lexicon.anchor_indices.intersection(map(itemgetter(0), matches))
        folded, original, patterns = document.folded, document.original, self._lexicon.patterns
        # This loop runs once per match: lookups are kept out of it, and the common case (no
        # noise inside the match, plain text) is Document.locate's first step, inlined.
        locate, copied_span = document.locate, document.folded_to_content.copied_span
        plain_text = document.content_to_original is None
        for index, start, end in _first_occurrences(matches):
            pattern = patterns[index]
            if not pattern.entries or (
                (pattern.word_start or pattern.word_end)
                and inside_word(folded, start, end, pattern)
            ):
                continue
            span = copied_span(start, end) if plain_text else None
            if span is None:
                span = locate(start, end, across_boundaries=pattern.spans_punctuation)
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
        return findings, covers, anchored


def _first_occurrences(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """At most MAX_HITS_PER_RULE matches of each pattern."""
    if len(matches) <= MAX_HITS_PER_RULE:
        return matches
    counts = Counter(map(itemgetter(0), matches))  # C speed; the loop below is rarely needed
    budget = {
        pattern: MAX_HITS_PER_RULE for pattern, count in counts.items() if count > MAX_HITS_PER_RULE
    }
    if not budget:
        return matches
    kept = []
    for match in matches:
        if match[0] in budget:
            if not budget[match[0]]:
                continue
            budget[match[0]] -= 1
        kept.append(match)
    return kept


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
