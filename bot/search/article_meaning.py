"""An article-level feature for the second stage: how close the whole article's meaning is to
the question's.

A passage is judged on its own words and meaning; interpolating a passage's score with its
document's (a standard passage-retrieval technique) helps pick the right article, whose
passages the answer types and the passage's own meaning then choose between. An article's
meaning is the normalised sum of its passages' meaning vectors (semantic.py), made from the
vectors the index already keeps, so it costs no memory and no build time: a question sums the
vectors of the few articles among its candidates.
"""

from __future__ import annotations

import numpy as np


def article_meanings(
    meanings: np.ndarray, article_of: np.ndarray, docs: np.ndarray, question: np.ndarray
) -> np.ndarray:
    """For each passage of `docs`, the cosine similarity of `question` (a unit vector) with its
    article's meaning. `meanings` holds every passage's vector (int8 or float, one row a
    passage), `article_of` each passage's article, in article order (an article's passages
    are consecutive, as the index numbers them). Zeros when the vectors do not fit the
    question's (an index made without the model)."""
    docs = np.asarray(docs, dtype=np.int64)
    if meanings.ndim != 2 or meanings.shape[1] != len(question) or not len(docs):
        return np.zeros(len(docs), dtype=np.float32)
    articles, inverse = np.unique(article_of[docs], return_inverse=True)
    starts = np.searchsorted(article_of, articles, side="left")
    ends = np.searchsorted(article_of, articles, side="right")
    sums = np.stack([meanings[s:e].sum(axis=0, dtype=np.float32) for s, e in zip(starts, ends)])
    norms = np.linalg.norm(sums, axis=1)
    cosines = (sums @ question.astype(np.float32)) / np.where(norms > 0, norms, 1.0)
    return cosines[inverse].astype(np.float32)
