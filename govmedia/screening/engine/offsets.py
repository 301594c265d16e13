"""Map character indices of a derived string back to the string it was derived from.

The derived string is a sequence of pieces. Most pieces are copied char for char from the
source (a run of text between noise, or between tags), so one (derived start, shift) pair per
piece is enough, and a lookup is one bisect. A few pieces stand for a longer source
span (an HTML entity decoded to one char, a tag turned into a line break): every char of such
a piece maps to that whole span.
"""

from bisect import bisect_right

import numpy as np


class OffsetMap:
    """Piece ``k`` starts at derived index ``derived_starts[k]``; a copied char's source index
    is its derived index plus ``shifts[k]`` (how many source chars were dropped before it)."""

    __slots__ = ("_derived_starts", "_shifts", "_spans")

    def __init__(
        self,
        derived_starts: list[int],
        shifts: list[int],
        spans: dict[int, int] | None = None,
    ):
        self._derived_starts = derived_starts
        self._shifts = shifts
        # piece index -> source end, for the pieces that are not char-for-char
        self._spans = spans or {}

    @classmethod
    def identity(cls) -> "OffsetMap":
        return cls([0], [0])

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Source span behind derived chars first..last (inclusive): start(first), end(last)."""
        if self._spans:
            return self.start(first), self.end(last)
        # Fast path, all pieces char-for-char: inline both lookups.
        derived, shifts = self._derived_starts, self._shifts
        return (
            first + shifts[bisect_right(derived, first) - 1],
            last + shifts[bisect_right(derived, last) - 1] + 1,
        )

    def _piece(self, index: int) -> int:
        return bisect_right(self._derived_starts, index) - 1

    def start(self, index: int) -> int:
        """Source index of the first source char behind derived char ``index``."""
        piece = self._piece(index)
        if piece in self._spans:
            return self._derived_starts[piece] + self._shifts[piece]
        return index + self._shifts[piece]

    def end(self, index: int) -> int:
        """Source index just past the source chars behind derived char ``index``."""
        piece = self._piece(index)
        if piece in self._spans:
            return self._spans[piece]
        return index + self._shifts[piece] + 1


class OffsetMapBuilder:
    """Collects pieces in order while a derived string is being assembled."""

    def __init__(self) -> None:
        self.length = 0  # derived chars so far
        self._derived_starts: list[int] = []
        self._shifts: list[int] = []
        self._spans: dict[int, int] = {}

    def copied(self, source_start: int, count: int) -> None:
        """``count`` chars copied verbatim from ``source_start``."""
        if count:
            self._add(source_start, count)

    def replaced(self, source_start: int, source_end: int, count: int) -> None:
        """``count`` chars that stand for the whole source span."""
        if count:
            self._spans[len(self._derived_starts)] = source_end
            self._add(source_start, count)

    def _add(self, source_start: int, count: int) -> None:
        self._derived_starts.append(self.length)
        self._shifts.append(source_start - self.length)
        self.length += count

    def build(self) -> OffsetMap:
        if not self._derived_starts:
            return OffsetMap.identity()
        return OffsetMap(self._derived_starts, self._shifts, self._spans)


class KeptIndexMap:
    """The map for a derived string made by dropping chars (the noise) from its source, given
    the mask of the source chars kept (None: none was dropped; see folding.fold_and_drop_noise).
    Derived char ``i`` stands at source index ``i`` plus the number of chars dropped before it.

    Held for each dropped char: the number of chars kept before it, ascending, so that a lookup
    is one bisect, or one numpy searchsorted for many lookups at once. That array is made at
    the first lookup, since most texts have no hit to map back, and has an entry per dropped
    char only, a fraction of the text (Chinese prose has a noise char every five to ten)."""

    __slots__ = ("_mask", "_kept_before", "_view")

    def __init__(self, mask: np.ndarray | None) -> None:
        self._mask = mask
        self._kept_before: np.ndarray | None = None
        self._view: memoryview | None = None  # the same array, for bisect (plain ints)

    def _kept_before_dropped(self) -> np.ndarray:
        if self._kept_before is None:
            dropped = np.flatnonzero(~self._mask) if self._mask is not None else np.empty(0, int)
            dropped -= np.arange(len(dropped))
            self._kept_before, self._view = dropped, memoryview(dropped)
        return self._kept_before

    def start(self, index: int) -> int:
        """Source index of derived char ``index``."""
        if self._view is None:
            self._kept_before_dropped()
        return index + bisect_right(self._view, index)

    def end(self, index: int) -> int:
        return self.start(index) + 1

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Source span behind derived chars first..last (inclusive)."""
        return self.start(first), self.start(last) + 1

    def spans(self, first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``span`` of each pair of ``first`` and ``last`` (arrays)."""
        kept_before = self._kept_before_dropped()
        return (
            first + np.searchsorted(kept_before, first, side="right"),
            last + np.searchsorted(kept_before, last, side="right") + 1,
        )
