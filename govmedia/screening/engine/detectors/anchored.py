"""A detector's pattern tried only where its anchors occur.

The screener's automaton finds every occurrence of every anchor in the scan it makes anyway.
A detector whose matches all begin at an anchor (or a fixed distance before one) tries its
pattern there instead of walking the whole text: the regex engine takes ~10 ms to walk 10 MB
of Chinese even when nothing is there, and a text rarely holds more than a few anchors.
"""

import re
from collections.abc import Iterable, Iterator


def finditer_at(
    pattern: re.Pattern, text: str, starts: Iterable[int] | None = None
) -> Iterator[re.Match]:
    """``pattern.finditer(text)``, trying only ``starts`` (ascending; None: everywhere).

    The same matches as long as every match of ``pattern`` begins at one of ``starts`` and none
    is empty: finditer takes the leftmost match at or after the end of the previous one, and
    ``pattern.match(text, start)`` sees the whole text (lookbehinds too) as finditer does."""
    if starts is None:
        return pattern.finditer(text)
    return _matches_at(pattern, text, starts)


def _matches_at(pattern: re.Pattern, text: str, starts: Iterable[int]) -> Iterator[re.Match]:
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)) is not None:
            end = match.end()
            yield match
