"""Winnowed character shingles: a small, position-independent sample of a text's 6-character
substrings that two texts sharing a long passage are sure to share.

Every 6-character shingle is hashed; of each window of 12 consecutive hashes the smallest is
kept (winnowing, Schleimer et al. 2003). Any passage of 17 characters or more that two texts
share therefore yields at least one common fingerprint, whatever surrounds it — unlike
sampling by hash value, which can miss a short text entirely — and about one shingle in seven
is kept. Hashes are 32-bit and computed with numpy, so they are the same in every process
(Python's own str hash is salted per process).
"""

import numpy as np

SHINGLE = 6  # UTF-16 code units: two or three Chinese words, rarer than any one word
WINDOW = 12  # shingles; a shared passage of SHINGLE + WINDOW - 1 chars is always found
_EMPTY = np.empty(0, dtype=np.uint32)
# Odd 64-bit constants (from the golden ratio and MurmurHash3): multiplying by them mixes
# every input bit into the high half, which is kept.
_MIX_A = np.uint64(0x9E3779B97F4A7C15)
_MIX_B = np.uint64(0xC2B2AE3D27D4EB4F)
_HIGH_HALF = np.uint64(32)


def fingerprints(text: str) -> np.ndarray:
    """The sorted, distinct winnowed fingerprints (uint32) of ``text``, a normalised text."""
    if not text:
        return _EMPTY
    # Pad to a whole shingle: a text shorter than one still has a fingerprint (itself).
    units = text.encode("utf-16-le").ljust(2 * SHINGLE, b"\0")
    # Every 4 consecutive code units read as one uint64, one per position, without a copy;
    # a 6-unit shingle is two such reads two positions apart.
    quads = np.ndarray((len(units) // 2 - 3,), dtype=np.uint64, buffer=units, strides=(2,))
    hashes = quads[:-2] * _MIX_A
    hashes += quads[2:]
    hashes *= _MIX_B
    hashes = (hashes >> _HIGH_HALF).astype(np.uint32)
    return sorted_unique(_window_minima(hashes, min(WINDOW, len(hashes))))


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique for a small array, several times faster (numpy 2's has a high fixed cost)."""
    values = np.sort(values)
    keep = np.empty(len(values), dtype=bool)
    keep[:1] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _window_minima(hashes: np.ndarray, window: int) -> np.ndarray:
    """The minimum of every ``window`` consecutive hashes, by doubling: the minima of windows
    of 2, 4, 8 … combined, a few vectorised passes instead of one per window position."""
    minima, width = hashes, 1
    while width * 2 <= window:
        minima = np.minimum(minima[:-width], minima[width:])
        width *= 2
    if width < window:  # two overlapping windows of ``width`` cover one of ``window``
        minima = np.minimum(minima[: len(minima) - (window - width)], minima[window - width :])
    return minima
