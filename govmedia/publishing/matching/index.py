"""Approved revisions, kept for finding the one a pulled post publishes.

    best(post): the same normalised text (a dict keyed by its hash) → score 100;
                else the revisions sharing most winnowed shingles with the post (an inverted
                index) → judge the few best → the best judgement.

The inverted index lives in numpy arrays, not dicts of lists: 100,000 revisions hold ~14
million (shingle, revision) pairs, which as Python objects would take gigabytes. Arrays
cannot grow in place, so revisions added since the last look-up wait in a pending list and
become a new sorted segment at the next ``best``; segments of similar size are merged (as a
log-structured merge tree does), so a look-up searches a few segments, and adding n
revisions one by one costs O(n log n) in all. A removed revision is forgotten at once and its
postings are dropped at the next merge.

MinHash LSH (datasketch) was measured against this index (bench/publishing_match.py, the
figures are in its output): hashing one text with 128 permutations costs more than a whole
look-up here, and LSH finds a text by its overall resemblance, so a post that is a part of a
revision (its first paragraph) is not found at all and cannot be told "仅覆盖稿件的 20%".

Not thread-safe: one index per worker, or a lock around ``add``/``remove`` and ``best``.
"""

from collections.abc import Hashable, Iterator
from dataclasses import replace
from itertools import repeat
from operator import itemgetter

import numpy as np

from .judge import (
    DEFAULT_THRESHOLD,
    Judgement,
    Post,
    Revision,
    check_carried,
    check_threshold,
    judge_prepared,
    prepare_post,
    prepare_revision,
)
from .shingles import fingerprints

# A post whose fingerprints are mostly absent from a revision is no copy of it, nor a part
# of it: not worth judging (the judgement would be a low score anyway).
_MIN_CONTAINMENT = 0.3
# Candidates sharing less than this share of the best one's fingerprints are not judged.
_RUNNER_UP = 0.5
# A shingle in more than 1% of the revisions (官话套话: 高度重视, 特此通知) says little about
# which revision a post copies: it is not looked up.
_COMMON_SHARE = 0.01
_MIN_COMMON = 64
# How many of the post's fingerprints are looked up, how many of their postings are read
# (the rarest), and how many revision numbers at most.
_QUERY = 48
_SAMPLE = 16
_GATHER = 1024
# A segment with at most this many postings is also kept as a dict (fingerprint → revision
# numbers): the per-account indexes of coordination (a few sources each) are looked up tens of
# thousands of times, and for them numpy's fixed cost per call is most of a look-up.
_SMALL = 4096


class ApprovedIndex:
    def __init__(
        self,
        *,
        threshold: int = DEFAULT_THRESHOLD,
        candidates: int = 3,
        carried: int | None = None,
    ):
        check_threshold(threshold)
        check_carried(carried, threshold)
        self.threshold = threshold
        self.carried = carried  # reposts: see judge.py
        self.candidates = candidates
        self._keys: list[Hashable | None] = []  # by revision number; None once removed
        self._revisions: list[Revision | None] = []
        self._numbers: dict[Hashable, int] = {}
        # hash of the flat text → revision numbers: str's hash is salted per process, which
        # is fine for an index that lives in one process, and cached on the post's string.
        self._by_text: dict[int, list[int]] = {}
        self._segments: list[_Segment] = []
        self._pending: list[tuple[int, np.ndarray]] = []
        self._removed = 0

    def __len__(self) -> int:
        return len(self._numbers)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._numbers

    def add(self, key: Hashable, text: str, *, html: bool = False) -> None:
        """Add an approved revision; a key added again is replaced."""
        self.add_prepared(key, prepare_revision(text, html=html))

    def add_prepared(self, key: Hashable, revision: Revision) -> None:
        """Add a revision already prepared (judge.prepare_revision): one text indexed in many
        small indexes (coordination's per-account sources) is prepared once."""
        if key in self._numbers:
            self.remove(key)
        flat = revision.flat
        number = len(self._revisions)
        self._keys.append(key)
        self._revisions.append(revision)
        self._numbers[key] = number
        self._by_text.setdefault(hash(flat), []).append(number)
        self._pending.append((number, fingerprints(flat)))

    def remove(self, key: Hashable) -> None:
        """Forget a revision (withdrawn approval); KeyError if it is not in the index."""
        number = self._numbers.pop(key)
        text_hash = hash(self._revisions[number].flat)
        self._by_text[text_hash].remove(number)
        if not self._by_text[text_hash]:
            del self._by_text[text_hash]
        self._keys[number] = self._revisions[number] = None
        self._removed += 1

    def best(self, text: str, *, html: bool = False) -> Judgement:
        """The judgement of the post against the approved revision it most resembles:
        ``key`` is that revision's key when the post matches it, and ``nearest`` names the
        revision the score and the reason are about (None when none resembles the post)."""
        return self.best_prepared(prepare_post(text, html=html))

    def best_prepared(self, post: Post, *, prints: np.ndarray | None = None) -> Judgement:
        """``best`` for a post already prepared (judge.prepare_post), with its fingerprints
        when known: coordination judges the same text against many small indexes and
        prepares it once."""
        if not post.flat:
            return Judgement(False, 0, "发布内容为空（去除标点、表情和链接后没有文字）")
        exact = self._exact(post)
        if exact is not None:
            return exact
        best: Judgement | None = None
        for number in self._candidates(post.flat, prints):
            judgement = judge_prepared(
                self._revisions[number], post, threshold=self.threshold, carried=self.carried
            )
            key = self._keys[number]
            judgement = replace(judgement, key=key if judgement.match else None, nearest=key)
            if best is None or (judgement.match, judgement.score) > (best.match, best.score):
                best = judgement
            if best.match and best.score == 100:
                break
        return best or Judgement(False, 0, "未找到相近的审核通过稿件")

    def _exact(self, post: Post) -> Judgement | None:
        """Score 100 for the same text (its paragraphs keep what tells figures apart): no
        need to read its figures, nor to diff it."""
        for number in reversed(self._by_text.get(hash(post.flat), ())):
            if self._revisions[number].flat == post.flat:
                key = self._keys[number]
                return Judgement(True, 100, key=key, nearest=key)
        return None

    def _candidates(self, text: str, prints: np.ndarray | None = None) -> Iterator[int]:
        """Revision numbers worth judging, those sharing most fingerprints first.

        The post is looked up by its _QUERY smallest fingerprints (a bottom-k sketch: a copy
        of a revision has nearly the same smallest ones), and of those the _SAMPLE rarest
        postings are read, up to _GATHER revision numbers in all: rare fingerprints say most
        about which revision a post copies, and a look-up then costs about the same however
        large the index grows. Past the vectorised search the arrays are a few dozen items,
        where plain Python beats numpy's per-call cost."""
        self._seal()
        query = (fingerprints(text) if prints is None else prints)[:_QUERY]
        common = max(_MIN_COMMON, int(len(self) * _COMMON_SHARE))
        if len(self._segments) == 1 and self._segments[0].small is not None:
            yield from self._small_candidates(self._segments[0].small, query.tolist(), common)
            return
        held = 0  # query fingerprints found in the index
        rare = []  # (how many revisions hold it, segment, where its postings begin)
        for segment in self._segments:
            begins, lengths = segment.held(query)
            held += len(lengths)
            wanted = lengths <= common
            rare += zip(lengths[wanted].tolist(), repeat(segment), begins[wanted].tolist())
        if not rare:
            return
        rare.sort(key=itemgetter(0))
        postings, read = [], 0
        for length, segment, begin in rare:
            if len(postings) == _SAMPLE or (postings and read + length > _GATHER):
                break
            postings.append(segment.numbers[begin : begin + length])
            read += length
        numbers, shared = _counted(np.concatenate(postings))
        # Share of the post's informative fingerprints a revision holds, estimated from the
        # sample: a post that is mostly its own text is no copy, however rare what it shares.
        informative = len(query) - (held - len(rare))
        enough = _MIN_CONTAINMENT * len(postings) * informative / len(rare)
        least = max(enough, int(shared.max()) * _RUNNER_UP)
        worthy = np.flatnonzero(shared >= least)
        pairs = zip(shared[worthy].tolist(), numbers[worthy].tolist(), strict=True)
        ranked = sorted(pairs, reverse=True)
        given = 0
        for _, number in ranked:  # most shared first; among equals, the latest added
            if self._revisions[number] is not None:  # else removed since the last merge
                yield number
                given += 1
                if given == self.candidates:
                    return

    def _small_candidates(self, postings_of: dict, query: list[int], common: int):
        """What ``_candidates`` gives for a single small segment, in plain Python: the same
        postings read in the same order (by how many revisions hold a fingerprint, then by
        fingerprint), the same counts and cuts, the same ranking."""
        held, rare = 0, []
        for fingerprint in query:  # sorted ascending, as searchsorted returns them
            numbers = postings_of.get(fingerprint)
            if numbers is None:
                continue
            held += 1
            if len(numbers) <= common:
                rare.append(numbers)
        if not rare:
            return
        rare.sort(key=len)  # stable: among equal lengths, by fingerprint
        shared: dict[int, int] = {}
        postings = read = 0
        for numbers in rare:
            if postings == _SAMPLE or (postings and read + len(numbers) > _GATHER):
                break
            for number in numbers:
                shared[number] = shared.get(number, 0) + 1
            postings += 1
            read += len(numbers)
        informative = len(query) - (held - len(rare))
        enough = _MIN_CONTAINMENT * postings * informative / len(rare)
        least = max(enough, max(shared.values()) * _RUNNER_UP)
        ranked = sorted(
            ((count, number) for number, count in shared.items() if count >= least), reverse=True
        )
        given = 0
        for _, number in ranked:
            if self._revisions[number] is not None:
                yield number
                given += 1
                if given == self.candidates:
                    return

    def _seal(self) -> None:
        """Turn the pending revisions into a segment, merging segments of similar size."""
        if not self._pending:
            return
        numbers = np.array([number for number, _ in self._pending], dtype=np.int32)
        prints = [prints for _, prints in self._pending]
        sizes = np.array([len(each) for each in prints], dtype=np.int32)
        self._pending = []
        segment = _Segment.build(np.concatenate(prints), np.repeat(numbers, sizes))
        self._segments.append(segment)
        while len(self._segments) > 1 and len(self._segments[-2]) <= 2 * len(self._segments[-1]):
            newer = self._segments.pop()
            self._segments[-1] = _Segment.merged([self._segments[-1], newer], self._alive())
        if self._removed * 2 > len(self):  # mostly tombstones: compact everything
            self._segments = [_Segment.merged(self._segments, self._alive())]
            self._removed = 0

    def _alive(self) -> np.ndarray:
        return np.fromiter((revision is not None for revision in self._revisions), dtype=bool)


class _Segment:
    """An immutable inverted index: the sorted distinct fingerprints, and for each the
    revision numbers holding it (``numbers[starts[i]:starts[i + 1]]``)."""

    __slots__ = ("fingerprints", "starts", "numbers", "small")

    def __init__(self, fingerprints: np.ndarray, starts: np.ndarray, numbers: np.ndarray):
        self.fingerprints, self.starts, self.numbers = fingerprints, starts, numbers
        # The same postings as a dict, for a small segment (see _SMALL); None for a large one.
        self.small: dict[int, list[int]] | None = None
        if len(numbers) <= _SMALL:
            bounds = starts.tolist()
            all_numbers = numbers.tolist()
            self.small = {
                fingerprint: all_numbers[bounds[i] : bounds[i + 1]]
                for i, fingerprint in enumerate(fingerprints.tolist())
            }

    def __len__(self) -> int:
        return len(self.numbers)

    @classmethod
    def build(cls, prints: np.ndarray, numbers: np.ndarray) -> "_Segment":
        if not len(prints):
            return cls(prints, np.zeros(1, dtype=np.intp), numbers)
        order = np.argsort(prints, kind="stable")
        prints, numbers = prints[order], numbers[order]
        first = np.flatnonzero(np.concatenate(([True], prints[1:] != prints[:-1])))
        return cls(prints[first], np.append(first, len(prints)), numbers)

    @classmethod
    def merged(cls, segments: list["_Segment"], alive: np.ndarray) -> "_Segment":
        """One segment holding the postings of ``segments`` that are still ``alive``."""
        pairs = [segment._pairs() for segment in segments]
        prints = np.concatenate([prints for prints, _ in pairs])
        numbers = np.concatenate([numbers for _, numbers in pairs])
        keep = alive[numbers]
        return cls.build(prints[keep], numbers[keep])

    def held(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each ``query`` fingerprint this segment holds, where its postings begin and
        how many revisions hold it."""
        places = np.searchsorted(self.fingerprints, query)
        inside = places < len(self.fingerprints)
        places = places[inside]
        places = places[self.fingerprints[places] == query[inside]]
        begins = self.starts[places]
        return begins, self.starts[places + 1] - begins

    def _pairs(self) -> tuple[np.ndarray, np.ndarray]:
        return np.repeat(self.fingerprints, np.diff(self.starts)), self.numbers


def _counted(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct revision numbers and how often each occurs (np.unique is slower for the
    few hundred numbers of a look-up)."""
    numbers = np.sort(numbers)
    starts = np.empty(len(numbers), dtype=bool)
    starts[:1] = True
    np.not_equal(numbers[1:], numbers[:-1], out=starts[1:])
    first = np.flatnonzero(starts)
    counts = np.empty(len(first), dtype=np.intp)
    np.subtract(first[1:], first[:-1], out=counts[:-1])
    counts[-1:] = len(numbers) - first[-1:]
    return numbers[first], counts
