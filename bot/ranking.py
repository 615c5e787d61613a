"""BM25 ranking of any list of token lists: passages, statements, reporting sentences."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rank_bm25 import BM25Okapi


class Ranker:
    """rank-bm25's BM25Okapi scores, returned best first with ties broken by position, and
    only for documents that share at least one term with the query (a score is no evidence
    of relevance on its own: BM25Okapi floors common terms' idf to a positive epsilon)."""

    def __init__(self, docs: Sequence[Sequence[str]], *, k1: float = 1.5, b: float = 0.75) -> None:
        self._sets = [frozenset(doc) for doc in docs]
        self._bm25 = BM25Okapi([list(doc) for doc in docs], k1=k1, b=b) if docs else None

    def __len__(self) -> int:
        return len(self._sets)

    def contains(self, doc: int, term: str) -> bool:
        return term in self._sets[doc]

    def top(self, terms: Sequence[str], k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(document, score) pairs, at most `k`, from the documents `allowed` (a bool mask)."""
        if self._bm25 is None or not terms or k < 1:
            return []
        wanted = set(terms)
        matching = [
            i for i, doc in enumerate(self._sets) if not doc.isdisjoint(wanted) and (allowed is None or allowed[i])
        ]
        if not matching:
            return []
        scores = np.asarray(self._bm25.get_batch_scores(list(terms), matching), dtype=np.float64)
        ids = np.asarray(matching, dtype=np.int64)
        order = np.lexsort((ids, -scores))[:k]
        return [(int(ids[i]), float(scores[i])) for i in order]
