"""How much of a revision a post carries and how much of the post comes from the revision.

Both are read off the longest common subsequence (LCS) of the two normalised texts, computed by
rapidfuzz (bit-parallel, ~1 ms for two 3,000-character texts): LCS / len(revision) and
LCS / len(post). The score is the smaller of the two, so a post must carry most of the
revision *and* consist mostly of it: a teaser or the first paragraph alone covers too little
of the revision, one quoted sentence inside another text is too little of the post.

A repost may reorder paragraphs, which a subsequence cannot follow; when the plain order falls
short, each post paragraph is moved to where its nearest revision paragraph stands and the
LCS is taken again.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from .shingles import fingerprints

# Beyond this many character pairs (two 60,000-character texts) the LCS would take over a
# second: such texts are compared by shared shingles instead (no government article is
# that long; a pasted dump might be).
_LCS_BUDGET = 3_600_000_000
# A post paragraph less similar than this to every revision paragraph (a 来源 line, an added
# title) has no place of its own and stays after the paragraph it followed.
_PLACED = 50


@dataclass(frozen=True, slots=True)
class Coverage:
    of_revision: float  # share of the revision found in the post, 0–1
    of_post: float  # share of the post found in the revision, 0–1
    post_paragraphs: tuple[str, ...]  # in the order compared with the revision
    exact: bool = True  # False when compared by shingles (texts too long for the LCS)

    @property
    def score(self) -> int:
        # Rounded down: 84.9 must not pass a threshold of 85.
        return _percent(min(self.of_revision, self.of_post))

    @property
    def revision_percent(self) -> int:
        return _percent(self.of_revision)

    @property
    def post_percent(self) -> int:
        return _percent(self.of_post)


def _percent(share: float) -> int:
    return math.floor(100 * share + 1e-9)


def coverage(
    revision_paragraphs: Sequence[str], post_paragraphs: Sequence[str], *, threshold: int
) -> Coverage:
    """Coverage both ways. The post is realigned when its paragraphs are out of order, or
    when the plain order falls short of ``threshold`` and realigning could reach it."""
    revision, post = "".join(revision_paragraphs), "".join(post_paragraphs)
    if len(revision) * len(post) > _LCS_BUDGET:
        return _by_shingles(revision, post, tuple(post_paragraphs))
    plain = _measured(revision, tuple(post_paragraphs))
    if (
        plain.score == 100
        or min(len(revision_paragraphs), len(post_paragraphs)) < 2
        or _best_possible(len(revision), len(post)) < threshold
        or (plain.score >= threshold and _in_order(revision, post_paragraphs))
    ):
        return plain
    aligned = realigned(revision_paragraphs, post_paragraphs)
    if aligned == plain.post_paragraphs:
        return plain
    return max(plain, _measured(revision, aligned), key=lambda result: result.score)


def realigned(
    revision_paragraphs: Sequence[str], post_paragraphs: Sequence[str]
) -> tuple[str, ...]:
    """The post's paragraphs in the order of the revision paragraphs they are, or resemble
    most; one like none of them (a 来源 line, an added title) stays after the one before."""
    revision = "".join(revision_paragraphs)
    starts = list(accumulate(map(len, revision_paragraphs), initial=0))
    places, place = [], -1
    for paragraph in post_paragraphs:
        found = revision.find(paragraph)  # most reordered paragraphs are unchanged
        if found >= 0:
            place = found
        else:
            nearest = process.extractOne(
                paragraph, revision_paragraphs, scorer=fuzz.ratio, score_cutoff=_PLACED
            )
            if nearest is not None:
                place = starts[nearest[2]]
        places.append(place)
    order = sorted(range(len(post_paragraphs)), key=lambda index: (places[index], index))
    return tuple(post_paragraphs[index] for index in order)


def _in_order(revision: str, post_paragraphs: Sequence[str]) -> bool:
    """Whether the post's paragraphs that appear verbatim in the revision keep its order (a
    cheap check that spares the realignment for most light edits)."""
    places = [place for paragraph in post_paragraphs if (place := revision.find(paragraph)) >= 0]
    return all(earlier < later for earlier, later in zip(places, places[1:], strict=False))


def _measured(revision: str, post_paragraphs: tuple[str, ...]) -> Coverage:
    post = "".join(post_paragraphs)
    common = len(revision) if revision == post else LCSseq.similarity(revision, post)
    return Coverage(common / len(revision), common / len(post), post_paragraphs)


def _best_possible(revision_length: int, post_length: int) -> float:
    """The highest score two texts of these lengths can reach."""
    return 100 * min(revision_length, post_length) / max(revision_length, post_length)


def _by_shingles(revision: str, post: str, post_paragraphs: tuple[str, ...]) -> Coverage:
    ours, theirs = fingerprints(revision), fingerprints(post)
    shared = len(np.intersect1d(ours, theirs, assume_unique=True))
    return Coverage(shared / len(ours), shared / len(theirs), post_paragraphs, exact=False)
