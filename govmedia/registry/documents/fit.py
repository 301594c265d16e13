"""Fit the form's table onto one page: wrap every cell, shrink the longest, else continue.

The form is printed and sealed one copy per sheet, so a long 功能定位 or
其他需要说明事项 must not push the signature block onto a second page. Rows grow
to fit their text; while the table is taller than the page allows, the tallest
shrinkable cell loses half a point, down to MIN_PT (小六, the smallest size
still read on paper). If even that is not enough, shrinking is undone and the
tallest texts are cut line by line, ending in 续见附页: the renderer then prints
their full text on a continuation sheet (附页), as paper forms say "可另附页".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from govmedia.officialdoc.wrap import wrap_text

from .form import SEAL_GAP, Cell, Table

PT_MM = 25.4 / 72
PAD_X, PAD_Y = 1.6, 1.4  # cell padding, mm
LEADING = 1.3  # line height as a multiple of the font size
STEP = 0.5  # points per shrink step
CONTINUED_MARK = "（续见附页）"
CUT_LINES = 2  # lines a cut text starts with on the form, before spare room is shared out

# Width in mm of a string set at 1 pt; the renderer supplies it from its font.
Measure = Callable[[str], float]


def line_height(size: float) -> float:
    return size * PT_MM * LEADING


def sign_height(cell: Cell, size: float) -> float:
    """Room under a signature cell's text: the seal and the signature lines."""
    return SEAL_GAP + len(cell.sign) * line_height(size) if cell.sign else 0.0


@dataclass(frozen=True)
class FittedCell:
    cell: Cell
    size: float
    lines: tuple[str, ...]
    continued: bool = False  # cut short; the full text goes on the continuation sheet

    @property
    def text(self) -> str:
        """What the cell shows, for a renderer that wraps by itself (Word)."""
        if not self.continued:
            return self.cell.text
        return _prefix(self.cell.text, self.lines[:-1]) + self.lines[-1]


@dataclass(frozen=True)
class FittedTable:
    row_heights: tuple[float, ...]
    cells: tuple[FittedCell, ...]

    @property
    def height(self) -> float:
        return sum(self.row_heights)

    @property
    def continued(self) -> tuple[Cell, ...]:
        return tuple(f.cell for f in self.cells if f.continued)

    def row_top(self, row: int) -> float:
        return sum(self.row_heights[:row])


def fit_table(table: Table, measure: Measure, budget: float) -> FittedTable:
    """Sizes and lines for every cell so the table is at most budget mm tall."""
    fitter = _Fitter(table, measure)
    while not fitter.shrink(budget):
        # The longest text goes to the continuation sheet; the rest are fitted again.
        index = fitter.tallest_uncut()
        if index is None:
            break  # nothing left to cut: the page overflows rather than drop the form
        fitter = _Fitter(table, measure, fitter.cut_cells | {index})
    fitter.extend_cut(budget)
    return fitter.result(budget)


def _prefix(text: str, lines: tuple[str, ...]) -> str:
    """The start of text that lines were wrapped from (wrapping drops spaces and breaks)."""
    wanted = sum(len("".join(line.split())) for line in lines)
    end = 0
    while wanted and end < len(text):
        wanted -= not text[end].isspace()
        end += 1
    return text[:end]


class _Fitter:
    def __init__(self, table: Table, measure: Measure, cut_cells: frozenset[int] = frozenset()):
        self.table = table
        self.measure = measure
        self.sizes = [c.size for c in table.cells]
        # A cut cell keeps its size and shows its first lines, ending in 续见附页.
        self.cut_cells = cut_cells
        self.max_lines = dict.fromkeys(cut_cells, CUT_LINES)
        self._wrapped: dict[tuple[int, float], list[str]] = {}

    def over(self, budget: float) -> float:
        return sum(self.row_heights()) - budget

    def shrink(self, budget: float) -> bool:
        """Shrink the tallest cells step by step; True if the table then fits."""
        while self.over(budget) > 0.01:
            index = self.tallest_growing(
                lambda i, c: i not in self.cut_cells and self.sizes[i] - STEP >= c.min_size - 1e-9
            )
            if index is None:
                return False
            self.sizes[index] -= STEP
        return True

    def tallest_uncut(self) -> int | None:
        return self.tallest_growing(lambda i, c: c.shrinkable and i not in self.cut_cells)

    def extend_cut(self, budget: float) -> None:
        """Give the page's spare height back to the cut cells, a line at a time."""
        growing = set(self.cut_cells)
        while growing:
            for i in sorted(growing):
                self.max_lines[i] += 1
                if self.over(budget) > 0.01 or self.max_lines[i] > len(self.wrapped(i)):
                    self.max_lines[i] -= 1
                    growing.discard(i)

    def continued(self, i: int) -> bool:
        return i in self.max_lines and len(self.wrapped(i)) > self.max_lines[i]

    def wrapped(self, i: int) -> list[str]:
        key = (i, self.sizes[i])
        if key not in self._wrapped:
            size, width = self.sizes[i], self.table.cells[i].w - 2 * PAD_X
            text = self.table.cells[i].text
            self._wrapped[key] = wrap_text(text, width, lambda s: self.measure(s) * size)
        return self._wrapped[key]

    def lines(self, i: int) -> list[str]:
        lines, limit = self.wrapped(i), self.max_lines.get(i)
        if limit is None or len(lines) <= limit:
            return lines
        return [*lines[: limit - 1], self._with_mark(i, lines[limit - 1])]

    def _with_mark(self, i: int, line: str) -> str:
        width = (self.table.cells[i].w - 2 * PAD_X) / self.sizes[i]
        while line and self.measure(line + CONTINUED_MARK) > width:
            line = line[:-1]
        return line + CONTINUED_MARK

    def height(self, i: int) -> float:
        cell, size = self.table.cells[i], self.sizes[i]
        return 2 * PAD_Y + len(self.lines(i)) * line_height(size) + sign_height(cell, size)

    def row_heights(self) -> list[float]:
        rows = list(self.table.row_min_heights)
        for i, cell in enumerate(self.table.cells):
            if cell.rowspan == 1:
                rows[cell.row] = max(rows[cell.row], self.height(i))
        for i, cell in enumerate(self.table.cells):
            spanned = rows[cell.row : cell.row + cell.rowspan]
            if cell.rowspan > 1 and (short := self.height(i) - sum(spanned)) > 0:
                rows[cell.row + cell.rowspan - 1] += short
        return rows

    def tallest_growing(self, eligible: Callable[[int, Cell], bool]) -> int | None:
        """The tallest eligible value cell that makes its row taller than the row's minimum."""
        best, best_h = None, 0.0
        for i, cell in enumerate(self.table.cells):
            if cell.rowspan != 1 or cell.label or not eligible(i, cell):
                continue
            h = self.height(i)
            if h > self.table.row_min_heights[cell.row] + 0.01 and h > best_h:
                best, best_h = i, h
        return best

    def result(self, budget: float) -> FittedTable:
        cells = tuple(
            FittedCell(cell, self.sizes[i], tuple(self.lines(i)), self.continued(i))
            for i, cell in enumerate(self.table.cells)
        )
        return FittedTable(tuple(self._stretched(self.row_heights(), budget)), cells)

    def _stretched(self, rows: list[float], budget: float) -> list[float]:
        """Share the height left on the page among the stretch rows (room for seals)."""
        spare = budget - sum(rows)
        stretch = self.table.stretch_rows
        if spare > 0 and stretch:
            for row in stretch:
                rows[row] += spare / len(stretch)
        return rows
