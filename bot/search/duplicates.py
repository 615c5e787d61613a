"""Near-duplicate passages (the same press release published by several forces), found once at
build time so that a search only compares group numbers.

Two passages are the same text when at least DUPLICATE_SIMILARITY of their word trigrams are
shared (Jaccard). Comparing every pair is out of the question at a million passages, so
candidates come from MinHash over the passages' term trigrams (8 bands of 2 hashes: a pair
sharing 60% of its trigrams meets in some band with probability 0.97, at 80% 0.9997) and each
candidate pair is then checked exactly on its words. Passages joined by checked pairs form a
group, numbered by its first passage.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

DUPLICATE_SIMILARITY = 0.8
_BANDS, _ROWS = 8, 2
_CHUNK = 1 << 22  # shingles hashed at a time: bounds the temporary arrays (~32 MB each)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def shingles(text: str) -> frozenset[tuple[str, ...]]:
    words = re.findall(r"[^\W_]+", text.lower())
    return frozenset(zip(words, words[1:], words[2:])) if len(words) >= 3 else frozenset([tuple(words)])


def similar(sa: frozenset, sb: frozenset) -> bool:
    """Whether two passages are the same text, give or take a few words (Jaccard of trigrams)."""
    if min(len(sa), len(sb)) < DUPLICATE_SIMILARITY * max(len(sa), len(sb)):  # Jaccard <= min/max
        return False
    return len(sa & sb) >= DUPLICATE_SIMILARITY * len(sa | sb)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a well-spread 64-bit hash of each value (wrapping arithmetic)."""
    h = (h ^ (h >> np.uint64(30))) * _M1
    h = (h ^ (h >> np.uint64(27))) * _M2
    return h ^ (h >> np.uint64(31))


def _signatures(term_ids: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """(passages, BANDS * ROWS) MinHash of each passage's term trigrams (a passage of fewer than
    three terms: one shingle of all of them)."""
    n = len(starts)
    lengths = (ends - starts).astype(np.int64)
    counts = np.maximum(lengths - 2, 1)
    terms = np.append(term_ids.astype(np.uint64) + np.uint64(1), np.zeros(2, np.uint64))  # 0: none
    out = np.empty((n, _BANDS * _ROWS), dtype=np.uint64)
    first = 0
    while first < n:
        last = int(np.searchsorted(np.cumsum(counts[first:]), _CHUNK)) + first + 1
        last = min(max(last, first + 1), n)
        c = counts[first:last]
        seg = np.repeat(np.arange(last - first), c)
        pos = starts[first:last][seg] + (np.arange(int(c.sum())) - np.repeat(np.cumsum(c) - c, c))
        end = ends[first:last][seg]
        h = np.zeros(len(pos), dtype=np.uint64)
        for j in range(3):
            t = np.where(pos + j < end, terms[np.minimum(pos + j, len(terms) - 1)], np.uint64(0))
            h = _mix(h ^ t)
        cuts = np.cumsum(c) - c
        for j in range(_BANDS * _ROWS):
            out[first:last, j] = np.minimum.reduceat(_mix(h ^ np.uint64(j * 0x9E3779B97F4A7C15 % 2**64)), cuts)
        first = last
    return out


def _candidate_pairs(signatures: np.ndarray) -> set[tuple[int, int]]:
    """(first, other) passages that agree on all hashes of some band; within a band's bucket each
    passage is paired with the bucket's first, so identical text costs no quadratic work."""
    pairs: set[tuple[int, int]] = set()
    for band in range(_BANDS):
        key = signatures[:, band * _ROWS]
        for r in range(1, _ROWS):
            key = _mix(key ^ signatures[:, band * _ROWS + r])
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        same = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
        if not len(same):
            continue
        run_start = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        leader = order[run_start[np.searchsorted(run_start, same, side="right") - 1]]
        pairs.update(zip(leader.tolist(), order[same].tolist()))
    return pairs


def duplicate_groups(
    term_ids: np.ndarray, starts: np.ndarray, ends: np.ndarray, text: Callable[[int], str]
) -> np.ndarray:
    """group[i]: the lowest-numbered passage of passage i's near-duplicate group (i if none).

    Passage i's terms are term_ids[starts[i]:ends[i]]; `text(i)` is its text, for the exact check."""
    n = len(starts)
    parent = np.arange(n, dtype=np.int32)
    if n < 2:
        return parent
    cache: dict[int, frozenset] = {}

    def words(i: int) -> frozenset:
        if i not in cache:
            cache[i] = shingles(text(i))
        return cache[i]

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    for a, b in sorted(_candidate_pairs(_signatures(term_ids, starts, ends))):
        ra, rb = root(a), root(b)
        if ra != rb and similar(words(a), words(b)):
            parent[max(ra, rb)] = min(ra, rb)
    for i in range(n):
        parent[i] = root(i)
    return parent
