"""One event, one case candidate: near-duplicate signals grouped by MinHash (pure, no Django).

Two hundred angry comments about one 停水 are one alert, not two hundred. Signals are compared
by the Jaccard similarity of their character bigrams (normalised as screening normalises text,
so 停 水 and 停水 are the same), estimated by MinHash and found through LSH buckets, so adding a
signal costs a lookup rather than a comparison with every earlier one. Only signals within the
time window of each other join: the same words a month later are a new event.

MinHash signatures are deterministic (datasketch's fixed seed), so a signal's signature can be
stored with it and the clusters of a later batch continue those of earlier ones.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from datasketch import MinHash, MinHashLSH

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


# Drawn once: drawing the permutations is 95 % of a fresh MinHash's cost (130 µs of 137).
_TEMPLATE = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
_PERMUTATIONS, _DTYPE = _TEMPLATE.permutations, _TEMPLATE.hashvalues.dtype


def shingles(text: str) -> set[bytes]:
    folded = normalise(text)
    if len(folded) <= SHINGLE:
        return {folded.encode()} if folded else set()
    return {folded[i : i + SHINGLE].encode() for i in range(len(folded) - SHINGLE + 1)}


def signature(text: str) -> bytes:
    """The MinHash of a text, as bytes to store with the signal."""
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=_PERMUTATIONS)
    minhash.update_batch(list(shingles(text)))
    return minhash.hashvalues.tobytes()


def _minhash(stored: bytes) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM,
        scheme=SCHEME,
        permutations=_PERMUTATIONS,
        hashvalues=np.frombuffer(stored, _DTYPE),
    )


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
        # one and decide on the estimated similarity itself.
        self._lsh = MinHashLSH(threshold=threshold * 0.8, num_perm=NUM_PERM)
        self._parent: dict[Hashable, Hashable] = {}  # union-find over cluster names
        self._order: dict[Hashable, int] = {}  # cluster name -> when it started
        # The inserted signatures and times as arrays (row per key): a query's candidates are
        # compared in one numpy operation — a burst about one event makes hundreds of them,
        # and comparing each in Python was most of the time.
        self._row: dict[Hashable, int] = {}
        self._sigs = np.empty((1024, NUM_PERM), _DTYPE)
        self._times = np.empty(1024, np.float64)

    def remember(self, key: Hashable, stored: bytes, at: datetime, cluster: Hashable) -> None:
        """An earlier signal and the cluster it is already in (from the database)."""
        self._insert(key, _minhash(stored), at)
        self._cluster(cluster)
        self._parent[key] = self._find(cluster)

    def add(self, key: Hashable, stored: bytes, at: datetime) -> Assignment:
        minhash = _minhash(stored)
        if minhash.is_empty():  # nothing to compare (an attachment, an emoji): its own cluster
            self._cluster(key)
            return Assignment(None)
        found = {self._find(other) for other in self._similar(minhash, at)}
        self._insert(key, minhash, at)
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

    def _similar(self, minhash: MinHash, at: datetime) -> list[Hashable]:
        """The LSH candidates within the window whose estimated Jaccard similarity (the share
        of equal MinHash values, as MinHash.jaccard computes it) reaches the threshold."""
        candidates = list(self._lsh.query(minhash))
        if not candidates:
            return []
        rows = np.fromiter((self._row[k] for k in candidates), np.int64, len(candidates))
        near = np.abs(self._times[rows] - at.timestamp()) <= self.window.total_seconds()
        equal = (self._sigs[rows] == minhash.hashvalues).sum(axis=1) / NUM_PERM
        return [candidates[i] for i in np.flatnonzero(near & (equal >= self.threshold))]

    def _insert(self, key: Hashable, minhash: MinHash, at: datetime) -> None:
        self._lsh.insert(key, minhash)
        row = self._row[key] = len(self._row)
        if row == len(self._times):
            self._sigs = np.concatenate([self._sigs, np.empty_like(self._sigs)])
            self._times = np.concatenate([self._times, np.empty_like(self._times)])
        self._sigs[row] = minhash.hashvalues
        self._times[row] = at.timestamp()

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
    for signal in ordered:
        clusterer.add(signal.key, signature(signal.text), signal.at)
    groups: dict[Hashable, list[Hashable]] = {}
    for signal in ordered:
        groups.setdefault(clusterer.cluster_of(signal.key), []).append(signal.key)
    return list(groups.values())
