"""Many 监测方案 over many texts: one automaton over every subscription's terms (pure, no Django).

Scanning each text once per subscription would cost 1,000 scans a comment at 1,000
subscriptions; instead all terms go into one Aho–Corasick automaton, a text is scanned once, and
only the subscriptions that have a found term (or that hold on a text without any of their
terms, such as ``NOT 广告``) are evaluated.
"""

from collections.abc import Hashable, Mapping

from ahocorasick_rs import AhoCorasick, MatchKind

from .expressions import Expression, Span, normalise


class SubscriptionMatcher:
    def __init__(self, expressions: Mapping[Hashable, Expression]):
        self._expressions = dict(expressions)
        self._terms = sorted({term for expr in self._expressions.values() for term in expr.terms})
        self._by_term: dict[str, list[Hashable]] = {}
        for key, expression in self._expressions.items():
            for term in expression.terms:
                self._by_term.setdefault(term, []).append(key)
        self._always = [key for key, expr in self._expressions.items() if expr.holds_on_nothing]
        # Overlapping matches need the standard match kind; the terms are normalised already.
        self._automaton = (
            AhoCorasick(self._terms, matchkind=MatchKind.Standard) if self._terms else None
        )

    def __len__(self) -> int:
        return len(self._expressions)

    def match(self, text: str) -> list[Hashable]:
        """The keys of the subscriptions that hold on the text, in the order they were given."""
        found = self.occurrences(normalise(text))
        candidates = set(self._always)
        for term in found:
            candidates.update(self._by_term[term])
        return [
            key
            for key in self._expressions
            if key in candidates and self._expressions[key].holds(found)
        ]

    def occurrences(self, normalised: str) -> dict[str, list[Span]]:
        found: dict[str, list[Span]] = {}
        if self._automaton is None or not normalised:
            return found
        for index, start, end in self._automaton.find_matches_as_indexes(
            normalised, overlapping=True
        ):
            found.setdefault(self._terms[index], []).append((start, end))
        return found
