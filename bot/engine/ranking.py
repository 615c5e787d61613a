"""BM25 ranking of any list of token lists: passages, statements, reporting sentences."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.engine.postings import IndexCacheError, PostingsIndex


class Ranker:
    """rank-bm25's BM25Okapi scores (computed exactly by PostingsIndex, at compiled speed),
    best first, ties broken by position, and only for documents that share at least one term
    with the query: a score is no evidence of relevance on its own, since BM25Okapi floors
    common terms' idf to a positive epsilon."""

    def __init__(self, docs: Sequence[Sequence[str]] = (), *, k1: float = 1.5, b: float = 0.75) -> None:
        self._engine = PostingsIndex.build(docs, k1=k1, b=b) if len(docs) else None

    @classmethod
    def from_engine(cls, engine: PostingsIndex | None) -> Ranker:
        ranker = cls()
        ranker._engine = engine
        return ranker

    def doc_freq(self, term: str) -> int:
        return 0 if self._engine is None else self._engine.doc_freq(term)

    def vocabulary(self) -> list[str]:
        """The distinct terms of the ranked documents."""
        return [] if self._engine is None else self._engine.terms()

    def top(self, terms: Sequence[str], k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(document, score) pairs, at most `k`, from the documents `allowed` (a bool mask)."""
        if self._engine is None or not terms or k < 1:
            return []
        ids, scores = self._engine.top_k(list(terms), k, allowed)
        return [(int(i), float(s)) for i, s in zip(ids, scores)]

    def terms_of(self, docs: Sequence[int] | np.ndarray, terms: Sequence[str]) -> list[set[str]]:
        """For each of `docs`, those of `terms` it contains."""
        return [set() for _ in range(len(docs))] if self._engine is None else self._engine.terms_of(docs, terms)

    def save(self, directory: Path) -> None:
        if self._engine is not None:
            self._engine.save(directory)

    @classmethod
    def load(cls, directory: Path, n_docs: int) -> Ranker:
        """The ranker saved in `directory` over `n_docs` documents; raises IndexCacheError (a
        ValueError) if it is missing, corrupt, or not over that many documents."""
        if n_docs == 0:
            return cls()
        engine = PostingsIndex.load(directory)
        if engine.n_docs != n_docs:
            raise IndexCacheError(f"{directory} indexes {engine.n_docs} documents, expected {n_docs}")
        return cls.from_engine(engine)
