"""A serving BM25 index: rank-bm25 `BM25Okapi` scores, exactly, with pruned top-k.

Scores. Every score is computed from the stored term frequency and document length with the very
float64 operations, in the very order, that `BM25Okapi.get_scores` uses (idf from `math.log`, the
epsilon floor from the average of all raw idfs summed in first-occurrence order, contributions
added in query order, a repeated term added each time), so scores and rankings are bit-identical.

Modules. layout.py: the arrays (two posting orders per term, see there); build.py: building
them; storage.py: saving and loading them (checked by store.py); topk.py: the numpy query path;
kernels.py and kernel_parts.py: the compiled one. This module is the index's face.

Top-k. A query (1) scores the heads of the impact lists exactly: the k-th best is a threshold
theta the answer must reach. (2) It plans per term: skip it, scan the prefix of impact >= lambda,
or scan it all, such that Lambda = sum(skipped m*max) + sum(cut m*lambda) < theta, so a doc in no
scanned prefix scores below theta (MaxScore and the threshold algorithm are extreme plans; the
plan reading the fewest postings wins). (3) It adds the prefixes into a dense accumulator: each
touched doc gets a lower bound, and an upper bound with its unseen terms at their bounds.
(4) It resolves the unseen terms of the surviving candidates (dense columns first, one pass with
per-doc early exit; then a streaming scan or galloping per list, whichever is cheaper), dropping
a candidate as soon as its upper bound falls below theta, while k lower bounds raise theta.
(5) The survivors are rescored exactly and sorted by (-score, doc id). So the answer equals the
exhaustive ranking restricted to matching (and allowed) docs; slack factors only ever admit more
candidates, covering float32 and summation-order rounding. A mask keeping few docs scores those
docs directly. Compiled, a question whose bounds cannot prune (BM25Okapi's epsilon floor gives
very common terms weights like rare ones'), whose plan reads many impact-ordered postings (each
a cache miss in a large index), or whose resolving outgrows the plan, goes instead through a
float32 filter (kernel_scan.py): approximate scores of every matching doc, the very common terms
added from their dense tf columns in vectorised passes, then exact rescoring of the docs within
a proven rounding bound of the k-th (1M docs: p99 ~2.7 ms, ~11 ms without it). With numba
installed, steps 1-5 run as one compiled kernel (JIT-cached in __pycache__: ~7 s once per
machine, then ~0.2 s for a process's first query); without it an exact numpy version of steps
1-3 and 5 runs (1M docs: p50 ~2 ms, p99 ~28 ms against ~0.9 / ~2.7 ms compiled). Queries are
serialised by a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bot.engine import storage, store
from bot.engine.build import build_postings, encode
from bot.engine.layout import Postings
from bot.engine.topk import Scratch, top_k

IndexCacheError = store.StoreError  # a saved index is missing, truncated, corrupt or of another version

# Indexes with at least this many documents answer through the compiled kernels (when numba is
# installed); smaller ones use the numpy path, which is then faster than importing numba.
COMPILED_MIN_DOCS = 20_000


def _kernels() -> Any:
    """The compiled kernels module, imported on first use; None without numba."""
    global _KERNELS
    if _KERNELS is False:
        try:
            import bot.engine.kernels as compiled
        except ImportError:  # pragma: no cover - numba not installed
            _KERNELS = None
        else:
            _KERNELS = compiled
    return _KERNELS


_KERNELS: Any = False  # not imported yet


class PostingsIndex:
    """BM25Okapi-exact scores and pruned top-k over term posting lists (see module docstring)."""

    def __init__(self, postings: Postings, vocabulary: list[str] | None = None) -> None:
        self._p = postings
        vocabulary = postings.terms() if vocabulary is None else vocabulary
        df = np.diff(postings.offsets)
        self._ids = {w: i for i, w in enumerate(vocabulary) if df[i] > 0}
        self._scratch = Scratch(postings.n_docs)
        self.use_numba = True  # False forces the numpy path (tests run both)
        self._lock = threading.Lock()

    @classmethod
    def build(cls, docs: Sequence[Sequence[str]], *, k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25):
        """Index token lists (ids assigned in first-occurrence order, like rank-bm25's dicts)."""
        return cls.build_encoded(*encode(docs), k1=k1, b=b, epsilon=epsilon)

    @classmethod
    def build_encoded(
        cls,
        term_ids: np.ndarray,
        doc_offsets: np.ndarray,
        vocabulary: Sequence[str],
        *,
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
    ) -> PostingsIndex:
        """Index doc i = vocabulary[term_ids[doc_offsets[i]:doc_offsets[i+1]]]."""
        postings = build_postings(term_ids, doc_offsets, vocabulary, k1=k1, b=b, epsilon=epsilon)
        return cls(postings, list(vocabulary))

    def save(self, directory: Path) -> None:
        """Write to a temporary sibling folder, then swap it into place (see store.py)."""
        storage.save(self._p, directory)

    @classmethod
    def load(cls, directory: Path) -> PostingsIndex:
        """Load a saved index (postings memory-mapped), verifying every file's size and CRC-32;
        raises IndexCacheError, never returns an index built from damaged files."""
        return cls(storage.load(directory))

    n_docs = property(lambda self: self._p.n_docs, doc="Number of documents.")
    vocabulary_size = property(lambda self: len(self._ids), doc="Distinct terms occurring in the corpus.")
    n_postings = property(lambda self: int(self._p.offsets[-1]), doc="Distinct (term, doc) pairs.")
    k1 = property(lambda self: self._p.k1)
    b = property(lambda self: self._p.b)
    epsilon = property(lambda self: self._p.epsilon)
    avgdl = property(lambda self: self._p.avgdl)

    def terms(self) -> list[str]:
        """The distinct terms occurring in the corpus."""
        return list(self._ids)

    def doc_freq(self, term: str) -> int:
        """How many documents contain `term` (0 for a term the corpus never uses)."""
        i = self._ids.get(term)
        return 0 if i is None else int(self._p.offsets[i + 1] - self._p.offsets[i])

    def matched_terms(self, query: Sequence[str]) -> list[str]:
        """The distinct query terms that occur in the corpus, in query order."""
        return [w for w in dict.fromkeys(query) if w in self._ids]

    def terms_of(self, docs: Sequence[int] | np.ndarray, terms: Sequence[str]) -> list[set[str]]:
        """For each of `docs`, those of `terms` it contains (a binary search per term, of all
        the documents at once, as a question's candidates are looked at together)."""
        p = self._p
        found: list[set[str]] = [set() for _ in range(len(docs))]
        needles = np.asarray(docs, dtype=p.doc_docs.dtype)
        for w in dict.fromkeys(terms):
            t = self._ids.get(w)
            if t is None or not len(needles):
                continue
            s, e = int(p.offsets[t]), int(p.offsets[t + 1])
            listed = p.doc_docs[s:e]
            at = np.minimum(np.searchsorted(listed, needles), e - s - 1)
            for i in np.flatnonzero(listed[at] == needles).tolist():
                found[i].add(w)
        return found

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Scores of all docs, bit-identical to `BM25Okapi(docs).get_scores(query)`."""
        p, out = self._p, np.zeros(self.n_docs)
        for t in (self._ids[w] for w in query if w in self._ids):
            s, e = p.offsets[t], p.offsets[t + 1]
            d = p.doc_docs[s:e]
            out[d] += p.contrib(t, d, p.doc_tf[s:e])  # doc ids are unique within a list
        return out

    def top_k(self, query: Sequence[str], k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(doc ids int64, scores float64) of the best k matching docs, best first, ties by lower
        id; only docs containing a query term (and `allowed`, a bool mask over docs) qualify."""
        occ = [self._ids[w] for w in query if w in self._ids]
        if allowed is not None:
            allowed = np.asarray(allowed)
            if allowed.dtype != bool or allowed.shape != (self.n_docs,):
                raise ValueError(f"allowed must be a bool array of shape ({self.n_docs},)")
            if not (allowed.flags.c_contiguous and allowed.flags.writeable):
                allowed = allowed.copy()  # one array layout: one compiled kernel signature
        if k < 1 or not occ:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        kernels = _kernels() if self.use_numba and self.n_docs >= COMPILED_MIN_DOCS else None
        with self._lock:
            return top_k(self._p, occ, k, allowed, self._scratch, kernels)
