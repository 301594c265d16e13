"""Character-level differences between two revisions' text, for the revision compare view.

Pure Python (diff-match-patch and the standard library, no Django). Feed it the plain text of
each revision (richtext.plain_text), not HTML.

Bounding the work, deterministically. Myers' algorithm costs O(N·D) (N the length, D the number
of edits): two unrelated 10,000-character texts take about two minutes of pure Python, two
unrelated 200,000-character texts hours. diff-match-patch's own bound, Diff_Timeout, cuts the
search off after so many seconds, so the same two texts would diff differently on a busy server
than on an idle one. Instead:

- Diff_Timeout is 0 (no clock, and no "half-match" shortcut, which only runs with a timeout);
- the search is cut off once it has explored MAX_DIFF_WORK cells of the edit graph (counted,
  not timed, and shared by the whole diff), after which each remaining changed region is reported
  as "old deleted, new inserted" — the same degradation a timeout gives, but the same on every
  machine. 500,000 cells is well under a second of one core for the worst input, and still diffs
  exactly a revision with several hundred characters changed here and there (a rewrite shows
  as whole blocks replaced). The count
  is kept by passing a budget where diff-match-patch expects its deadline, see _Deadline;
- texts longer than MAX_CHAR_DIFF_CHARS characters are compared line by line
  (diff_linesToChars), never character by character.

A typical revision (a few words changed here and there) stays far below the budget and gets the
exact character-level diff. summary() says which granularity was used and whether the budget ran
out, so a page can say so.
"""

from enum import IntEnum
from functools import lru_cache
from html import escape

from diff_match_patch import diff_match_patch

MAX_CHAR_DIFF_CHARS = 200_000
MAX_DIFF_WORK = 500_000


class Op(IntEnum):
    DELETE = diff_match_patch.DIFF_DELETE
    EQUAL = diff_match_patch.DIFF_EQUAL
    INSERT = diff_match_patch.DIFF_INSERT


class _Budget:
    """The work allowed for one diff, in steps of the search (MAX_DIFF_WORK)."""

    def __init__(self, work: int) -> None:
        self.left = work
        self.exhausted = False


class _Deadline:
    """Stands in for diff-match-patch's deadline in one bisection, which compares it with the
    clock once per round d (`time.time() > deadline`); round d explores about d cells of the
    edit graph each way, so each comparison charges d + 1 to the diff's shared budget, and the
    deadline "has passed" once the budget is spent. Every comparison operator answers the same
    question, whichever side of the comparison the deadline is on.
    """

    def __init__(self, budget: _Budget) -> None:
        self.budget = budget
        self.rounds = 0

    def _passed(self) -> bool:
        self.rounds += 1
        self.budget.left -= self.rounds
        if self.budget.left < 0:
            self.budget.exhausted = True
        return self.budget.exhausted

    def __lt__(self, other):  # deadline < now, and now > deadline
        return self._passed()

    __le__ = __lt__

    def __gt__(self, other):  # deadline > now, and now < deadline
        return not self._passed()

    __ge__ = __gt__


class _Engine(diff_match_patch):
    def __init__(self) -> None:
        super().__init__()
        self.Diff_Timeout = 0  # no clock; also disables the non-optimal half-match shortcut

    def diff_bisect(self, text1, text2, deadline):
        # Each bisection counts its own rounds; recursive calls get the deadline passed here.
        budget = deadline.budget if isinstance(deadline, _Deadline) else deadline
        return super().diff_bisect(text1, text2, _Deadline(budget))


@lru_cache(maxsize=8)
def _compute(old: str, new: str) -> tuple[tuple[tuple[Op, str], ...], str, bool]:
    """(diffs, granularity "char" or "line", whether the work budget ran out)."""
    dmp = _Engine()
    budget = _Budget(MAX_DIFF_WORK)
    if max(len(old), len(new)) > MAX_CHAR_DIFF_CHARS:
        granularity = "line"
        chars_old, chars_new, lines = dmp.diff_linesToChars(old, new)
        diffs = dmp.diff_main(chars_old, chars_new, False, budget)
        dmp.diff_charsToLines(diffs, lines)
    else:
        granularity = "char"
        diffs = dmp.diff_main(old, new, True, budget)
    dmp.diff_cleanupSemantic(diffs)
    return tuple((Op(op), text) for op, text in diffs), granularity, budget.exhausted


def diff(old: str, new: str) -> list[tuple[Op, str]]:
    """[(Op, text), …]: Op.EQUAL runs, Op.DELETE (only in old), Op.INSERT (only in new)."""
    return list(_compute(old, new)[0])


def _html(text: str) -> str:
    return escape(text).replace("\r\n", "\n").replace("\n", "<br>")


def side_by_side(old: str, new: str) -> tuple[str, str]:
    """Two HTML fragments for a two-column view: old with <del class="diff-del"> around what
    was removed, new with <ins class="diff-ins"> around what was added. Text is escaped, line
    breaks become <br>."""
    left: list[str] = []
    right: list[str] = []
    for op, text in _compute(old, new)[0]:
        if op == Op.EQUAL:
            left.append(_html(text))
            right.append(_html(text))
        elif op == Op.DELETE:
            left.append(f'<del class="diff-del">{_html(text)}</del>')
        else:
            right.append(f'<ins class="diff-ins">{_html(text)}</ins>')
    return "".join(left), "".join(right)


def summary(old: str, new: str) -> dict:
    """Characters added, removed and unchanged; `changed`; `granularity` ("char", or "line" for
    texts over MAX_CHAR_DIFF_CHARS); `approximate` when the work budget ran out and some changed
    regions are shown whole rather than character by character."""
    diffs, granularity, exhausted = _compute(old, new)
    counts = {Op.DELETE: 0, Op.EQUAL: 0, Op.INSERT: 0}
    for op, text in diffs:
        counts[op] += len(text)
    return {
        "added": counts[Op.INSERT],
        "removed": counts[Op.DELETE],
        "unchanged": counts[Op.EQUAL],
        "changed": old != new,
        "granularity": granularity,
        "approximate": exhausted,
    }
