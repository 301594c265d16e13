"""Map character indices of a derived string back to the string it was derived from.

The derived string is a sequence of pieces. Most pieces are copied char for char from the
source (a run of text between noise, or between tags), so one (derived start, shift) pair per
piece is enough, and a lookup is one bisect. A few pieces stand for a longer source
span (an HTML entity decoded to one char, a tag turned into a line break): every char of such
a piece maps to that whole span.
"""

from bisect import bisect_right


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
        # Fast path, all pieces char-for-char (the noise map): inline both lookups.
        derived, shifts = self._derived_starts, self._shifts
        return (
            first + shifts[bisect_right(derived, first) - 1],
            last + shifts[bisect_right(derived, last) - 1] + 1,
        )

    def copied_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The source span of derived[start:end] if one char-for-char piece holds all of it
        (nothing was dropped inside it), else None. One bisect: the common case of a match."""
        derived = self._derived_starts
        piece = bisect_right(derived, start)  # the piece after the one holding ``start``
        if (piece < len(derived) and derived[piece] < end) or piece - 1 in self._spans:
            return None
        shift = self._shifts[piece - 1]
        return start + shift, end + shift

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
    """The map for a derived string made by dropping chars (the noise) from its source:
    ``kept[i]`` is the source index of derived char ``i``. Same lookups as OffsetMap, each one
    array read; the array comes from numpy (see folding.fold_and_drop_noise), read through a
    memoryview so that lookups give plain ints at list speed."""

    __slots__ = ("_kept",)

    def __init__(self, kept) -> None:
        self._kept = memoryview(kept)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Source span behind derived chars first..last (inclusive)."""
        return self._kept[first], self._kept[last] + 1

    def copied_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The source span of derived[start:end] if nothing was dropped inside it, else None."""
        kept = self._kept
        first, last = kept[start], kept[end - 1]
        return (first, last + 1) if last - first == end - 1 - start else None

    def start(self, index: int) -> int:
        return self._kept[index]

    def end(self, index: int) -> int:
        return self._kept[index] + 1
