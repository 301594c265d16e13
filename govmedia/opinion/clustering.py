"""One event, one case candidate: near-duplicate signals grouped by MinHash (pure, no Django).

Two hundred angry comments about one 停水 are one alert, not two hundred. Signals are compared
by the Jaccard similarity of their character bigrams (normalised as screening normalises text,
so 停 水 and 停水 are the same), estimated by MinHash and found through LSH buckets, so adding a
signal costs a lookup rather than a comparison with every earlier one. Only signals within the
time window of each other join: the same words a month later are a new event.

MinHash signatures are deterministic (datasketch's fixed seed), so a signal's signature can be
stored with it and the clusters of a later batch continue those of earlier ones.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH
from datasketch.hashfunc import sha1_hash32

from .expressions import normalise

NUM_PERM = 64
SHINGLE = 2
# Named, so that stored signatures stay readable whatever a later datasketch defaults to.
SCHEME = "affine32"


@dataclass(frozen=True, slots=True)
class Signal:
    key: Hashable
    text: str
    at: datetime


# The scheme's permutations (datasketch's fixed seed) and the value of a MinHash of nothing.
_TEMPLATE = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
_PERMUTATIONS, _DTYPE = _TEMPLATE.permutations, _TEMPLATE.hashvalues.dtype
_EMPTY = _TEMPLATE.hashvalues
# MurmurHash3's 32-bit finaliser, with which the affine32 scheme mixes each hash before the
# permutations (datasketch.minhash._fmix, width 32).
_FMIX32 = tuple(np.uint32(c) for c in (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16))


def shingles(text: str) -> set[bytes]:
    folded = normalise(text)
    if len(folded) <= SHINGLE:
        return {folded.encode()} if folded else set()
    return {folded[i : i + SHINGLE].encode() for i in range(len(folded) - SHINGLE + 1)}


@lru_cache(maxsize=65536)
def _shingle_hash(shingle: bytes) -> int:
    # datasketch's default hash; a district's comments share most of their bigrams, so most
    # are hashed once per process rather than once per text.
    return sha1_hash32(shingle)


def _fmix32(hv: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    return hv ^ (hv >> s3)


def signatures(texts: Sequence[str]) -> list[bytes]:
    """The MinHash of each text, as bytes to store with the signal: the values that
    MinHash(num_perm=NUM_PERM, scheme=SCHEME).update_batch(shingles) gives (a test holds them
    equal, so stored signatures stay valid), for all the texts in one numpy operation instead
    of a MinHash object each."""
    hashes = [[_shingle_hash(s) for s in shingles(text)] for text in texts]
    sizes = np.fromiter((len(h) for h in hashes), np.int64, len(hashes))
    flat = np.fromiter((v for h in hashes for v in h), _DTYPE, int(sizes.sum()))
    a, b = _PERMUTATIONS
    result = np.tile(_EMPTY, (len(hashes), 1))
    filled = sizes > 0
    if filled.any():
        permuted = _fmix32(flat)[:, None] * a + b  # uint32 arithmetic wraps, as datasketch's
        starts = (np.cumsum(sizes) - sizes)[filled]
        result[filled] = np.minimum.reduceat(permuted, starts, axis=0)
    return [row.tobytes() for row in result]


def signature(text: str) -> bytes:
    """The MinHash of a text, as bytes to store with the signal."""
    return signatures([text])[0]


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where an added signal went: into ``cluster`` (None: it starts one, named by its own key);
    ``merged`` are clusters it bridged, which now belong to ``cluster`` too."""

    cluster: Hashable | None
    merged: tuple[Hashable, ...] = ()


class Clusterer:
    """Assigns each added signal to the cluster of the earlier signals within the window whose
    estimated similarity to it reaches the threshold. A signal similar to signals of several
    clusters joins them into one (the earliest cluster keeps its name): comments about one event
    written two different ways meet through the ones in between."""

    def __init__(self, *, window: timedelta, threshold: float = 0.5):
        if not 0 < threshold <= 1:
            raise ValueError("threshold must be in (0, 1]")
        self.window = window
        self.threshold = threshold
        # LSH finds candidates around its threshold only probabilistically: ask it for a looser
        # one and decide on the estimated similarity itself. The bands are those datasketch's
        # MinHashLSH chooses for it; the buckets are kept here as row numbers into the arrays
        # below, so that a query's candidates are compared in one numpy operation, with no
        # MinHash object per signal and no set of keys per band.
        bands = MinHashLSH(threshold=threshold * 0.8, num_perm=NUM_PERM).hashranges
        self._bands: list[tuple[int, int, dict[bytes, list[int]]]] = [
            (start, end, {}) for start, end in bands
        ]
        self._parent: dict[Hashable, Hashable] = {}  # union-find over cluster names
        self._order: dict[Hashable, int] = {}  # cluster name -> when it started
        self._keys: list[Hashable] = []  # row -> key
        self._sigs = np.empty((1024, NUM_PERM), _DTYPE)
        self._times = np.empty(1024, np.float64)

    def remember(self, key: Hashable, stored: bytes, at: datetime, cluster: Hashable) -> None:
        """An earlier signal and the cluster it is already in (from the database)."""
        self._insert(key, np.frombuffer(stored, _DTYPE), at)
        self._cluster(cluster)
        self._parent[key] = self._find(cluster)

    def add(self, key: Hashable, stored: bytes, at: datetime) -> Assignment:
        values = np.frombuffer(stored, _DTYPE)
        if (values == _EMPTY).all():  # nothing to compare (an attachment, an emoji): alone
            self._cluster(key)
            return Assignment(None)
        found = {self._find(other) for other in self._similar(values, at)}
        self._insert(key, values, at)
        if not found:
            self._cluster(key)
            self._parent[key] = key
            return Assignment(None)
        first, *others = sorted(found, key=self._order.__getitem__)
        for other in others:
            self._parent[other] = first
        self._parent[key] = first
        return Assignment(first, tuple(others))

    def cluster_of(self, key: Hashable) -> Hashable:
        return self._find(key)

    def _similar(self, values: np.ndarray, at: datetime) -> list[Hashable]:
        """The candidates (a band equal) within the window whose estimated Jaccard similarity
        (the share of equal MinHash values, as MinHash.jaccard computes it) reaches the
        threshold."""
        buckets = [
            bucket
            for start, end, table in self._bands
            if (bucket := table.get(values[start:end].tobytes()))
        ]
        if not buckets:
            return []
        rows = np.unique(np.concatenate(buckets))
        near = np.abs(self._times[rows] - at.timestamp()) <= self.window.total_seconds()
        equal = (self._sigs[rows] == values).sum(axis=1) / NUM_PERM
        return [self._keys[i] for i in rows[near & (equal >= self.threshold)]]

    def _insert(self, key: Hashable, values: np.ndarray, at: datetime) -> None:
        row = len(self._keys)
        self._keys.append(key)
        if row == len(self._times):
            self._sigs = np.concatenate([self._sigs, np.empty_like(self._sigs)])
            self._times = np.concatenate([self._times, np.empty_like(self._times)])
        self._sigs[row] = values
        self._times[row] = at.timestamp()
        for start, end, table in self._bands:
            table.setdefault(values[start:end].tobytes(), []).append(row)

    def _cluster(self, name: Hashable) -> None:
        if name not in self._order:
            self._order[name] = len(self._order)
            self._parent.setdefault(name, name)

    def _find(self, key: Hashable) -> Hashable:
        root = key
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[key] != root:  # path compression
            self._parent[key], key = root, self._parent[key]
        return root


def cluster(
    signals: Iterable[Signal], *, window: timedelta, threshold: float = 0.5
) -> list[list[Hashable]]:
    """Signals grouped into clusters, each in time order, clusters in the order they started."""
    clusterer = Clusterer(window=window, threshold=threshold)
    ordered = sorted(signals, key=lambda s: s.at)
    stored = signatures([signal.text for signal in ordered])
    for signal, values in zip(ordered, stored, strict=True):
        clusterer.add(signal.key, values, signal.at)
    groups: dict[Hashable, list[Hashable]] = {}
    for signal in ordered:
        groups.setdefault(clusterer.cluster_of(signal.key), []).append(signal.key)
    return list(groups.values())
