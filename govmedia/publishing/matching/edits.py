"""The character diff of a revision and a post (diff-match-patch on the normalised texts),
and the edits in it that change a fact rather than fix a typo: a name replaced (names.py) or a
figure replaced by another that the revision happens to state elsewhere (3000 → 5000 where
5000 also appears), which the figure atoms alone cannot see.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from .facts import figures
from .names import added_name, name_kind

_CONTEXT = 8  # characters of revision text kept around an edit
_MAX_NAME = 4  # 欧阳建国
_MAX_FIGURE_EDIT = 12  # longer replacements are rewrites, left to the similarity score
_MAX_ADDED_NAME_EDIT = 20  # an added line (来源, 编辑) of this length may hold a name
_CJK_ONLY = re.compile(r"[\u4e00-\u9fff]+")
_DIGIT = re.compile(r"[0-9]")
_NUMERAL = re.compile(r"[0-9〇零一二两三四五六七八九十百千万亿]")


@dataclass(frozen=True, slots=True)
class Edit:
    before: str  # revision text just before the edit, in the same paragraph
    deleted: str
    inserted: str
    after: str  # revision text just after it, in the same paragraph


def edits(revision_paragraphs: Iterable[str], post_paragraphs: Iterable[str]) -> Iterator[Edit]:
    """The places where the post differs from the revision, deletions and insertions that
    stand together taken as one replacement."""
    revision = "\n".join(revision_paragraphs)
    differ = diff_match_patch()
    # No deadline: the result must not depend on the machine's load. Only texts that already
    # share most of their characters get here, and line mode (a paragraph per line) keeps
    # the character diff to the paragraphs that differ.
    differ.Diff_Timeout = 0
    diffs = differ.diff_main(revision, "\n".join(post_paragraphs), True)
    differ.diff_cleanupSemantic(diffs)  # 张建国 → 李建华 as one replacement, not 张→李, 国→华
    position = start = 0
    deleted = inserted = ""
    for operation, text in [*diffs, (diff_match_patch.DIFF_EQUAL, "")]:
        if operation == diff_match_patch.DIFF_EQUAL:
            if deleted or inserted:
                yield _edit(revision, start, deleted, inserted)
                deleted = inserted = ""
            position += len(text)
            start = position
        elif operation == diff_match_patch.DIFF_DELETE:
            deleted += text
            position += len(text)
        else:
            inserted += text


def fact_change(edit: Edit) -> str | None:
    """Why ``edit`` changes a fact (in Chinese), or None when it is an allowed light edit."""
    if _swaps_figure(edit):
        return f"数字“{_shown(edit, edit.deleted)}”被改为“{_shown(edit, edit.inserted)}”"
    if _is_name(edit.deleted) and _is_name(edit.inserted):
        kind = name_kind(edit.before, edit.after, edit.deleted, edit.inserted)
        if kind is not None:
            return f"{kind}“{_shown(edit, edit.deleted)}”被改为“{_shown(edit, edit.inserted)}”"
    elif (
        not edit.deleted
        and len(edit.inserted) <= _MAX_ADDED_NAME_EDIT
        and added_name(edit.before, edit.after, edit.inserted)
    ):
        return f"增加了人名：“{_shown(edit, edit.inserted)}”"
    return None


def _swaps_figure(edit: Edit) -> bool:
    """A short replacement that brings in a digit, or puts numerals for numerals, and so
    changes the value of a figure (3000 → 三千 is the same figure written another way)."""
    if not edit.deleted or not edit.inserted:
        return False
    if max(len(edit.deleted), len(edit.inserted)) > _MAX_FIGURE_EDIT:
        return False
    if not (
        _DIGIT.search(edit.inserted)
        or (_NUMERAL.search(edit.deleted) and _NUMERAL.search(edit.inserted))
    ):
        return False
    # Compare the figures of the two sides with the context around the edit (which is the
    # same on both, so a number cut by its edge is cut alike).
    return _atoms(edit.before + edit.deleted + edit.after) != _atoms(
        edit.before + edit.inserted + edit.after
    )


def _atoms(text: str) -> list[str]:
    return sorted(atom for figure in figures(text) for atom in figure.atoms)


def _is_name(text: str) -> bool:
    return 0 < len(text) <= _MAX_NAME and _CJK_ONLY.fullmatch(text) is not None


def _edit(revision: str, start: int, deleted: str, inserted: str) -> Edit:
    end = start + len(deleted)
    before = revision[max(0, start - _CONTEXT) : start].rpartition("\n")[2]
    after = revision[end : end + _CONTEXT].partition("\n")[0]
    return Edit(before, deleted, inserted, after)


def _shown(edit: Edit, middle: str) -> str:
    """``middle`` with two characters of context on each side: 区长张建国."""
    return edit.before[-2:] + middle + edit.after[:2]
