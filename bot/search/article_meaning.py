"""An article-level feature for the second stage: how close the whole article's meaning is to
the question's.

A passage is judged on its own words and meaning; interpolating a passage's score with its
document's (a standard passage-retrieval technique) helps pick the right article, whose
passages the answer types and the passage's own meaning then choose between. An article's
meaning is the normalised sum of its passages' meaning vectors (semantic.py), made from the
vectors the index already keeps, so it costs no build time: an article's vector is made the
first time a question has one of its passages among its candidates, and kept (int8, as the
passages' are: 256 bytes an article, in an array whose untouched pages take no memory).
"""

from __future__ import annotations

import numpy as np

from bot.search.semantic import QUANTUM


class ArticleMeanings:
    """Article vectors from passage vectors. `meanings` holds every passage's vector (int8 x
    QUANTUM or float, one row a passage; no columns for an index made without the model),
    `article_of` each passage's article, in article order (an article's passages are
    consecutive, as the index numbers them)."""

    def __init__(self, meanings: np.ndarray, article_of: np.ndarray, n_articles: int) -> None:
        self._meanings, self._article_of = meanings, article_of
        self._vectors = np.zeros((n_articles, meanings.shape[1] if meanings.ndim == 2 else 0), dtype=np.int8)
        self._made = np.zeros(n_articles, dtype=bool)

    def _make(self, articles: np.ndarray) -> None:
        starts = np.searchsorted(self._article_of, articles, side="left")
        ends = np.searchsorted(self._article_of, articles, side="right")
        for article, start, end in zip(articles, starts, ends):
            total = self._meanings[start:end].sum(axis=0, dtype=np.float32)
            norm = float(np.linalg.norm(total))
            if norm > 0:
                self._vectors[article] = np.rint(total / norm * QUANTUM)
        self._made[articles] = True

    def similarities(self, docs: np.ndarray, question: np.ndarray) -> np.ndarray:
        """For each passage of `docs`, the cosine similarity of `question` (a unit vector) with
        its article's meaning; zeros when the vectors do not fit the question's."""
        docs = np.asarray(docs, dtype=np.int64)
        if self._vectors.shape[1] != len(question) or not len(docs):
            return np.zeros(len(docs), dtype=np.float32)
        articles = self._article_of[docs]
        new = np.unique(articles[~self._made[articles]])
        if len(new):
            self._make(new)
        return self._vectors[articles].astype(np.float32) @ question.astype(np.float32) / QUANTUM
