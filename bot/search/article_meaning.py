"""An article-level feature for the second stage: how close the whole article's meaning is to
the question's.

A passage is judged on its own words and meaning; interpolating a passage's score with its
document's (a standard passage-retrieval technique) helps pick the right article, whose
passages the answer types and the passage's own meaning then choose between. An article's
meaning is the normalised sum of its passages' meaning vectors (semantic.py), int8 as the
passages' are (256 bytes an article). They are made with the index, all at once (a second at a
million passages), and saved with it: made on a question's first look at an article instead,
they cost a tenth of a millisecond of most questions.
"""

from __future__ import annotations

import numpy as np

from bot.search.semantic import QUANTUM


def article_vectors(meanings: np.ndarray, article_of: np.ndarray, n_articles: int) -> np.ndarray:
    """Each article's meaning (int8 x QUANTUM; no columns when `meanings` has none), from
    `meanings`, one row a passage (int8 x QUANTUM or float), and `article_of`, each passage's
    article in article order (an article's passages are consecutive, as the index numbers them).

    The sums are float32 sums of small integers, exact in any order; each length is the one
    np.linalg.norm gives the sum alone, so a vector is the same as one made by itself."""
    width = meanings.shape[1] if meanings.ndim == 2 else 0
    out = np.zeros((n_articles, width), dtype=np.int8)
    if not width or not len(article_of):
        return out
    article_of = np.asarray(article_of)
    firsts = np.flatnonzero(np.r_[True, article_of[1:] != article_of[:-1]])
    totals = np.add.reduceat(np.asarray(meanings, dtype=np.float32), firsts, axis=0)
    norms = np.array([float(np.linalg.norm(total)) for total in totals], dtype=np.float32)
    some = norms > 0
    out[article_of[firsts[some]]] = np.rint(totals[some] / norms[some, None] * QUANTUM)
    return out


class ArticleMeanings:
    """Scores passages by their articles' vectors (`article_vectors`); `article_of` gives each
    passage's article."""

    def __init__(self, vectors: np.ndarray, article_of: np.ndarray) -> None:
        self.vectors, self._article_of = vectors, article_of

    def similarities(self, docs: np.ndarray, question: np.ndarray) -> np.ndarray:
        """For each passage of `docs`, the cosine similarity of `question` (a unit vector) with
        its article's meaning; zeros when the vectors do not fit the question's."""
        docs = np.asarray(docs, dtype=np.int64)
        if self.vectors.ndim != 2 or self.vectors.shape[1] != len(question) or not len(docs):
            return np.zeros(len(docs), dtype=np.float32)
        articles = self._article_of[docs]
        return self.vectors[articles].astype(np.float32) @ question.astype(np.float32) / QUANTUM
