"""Rank passages for a question with BM25 and return hits with their provenance."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi

from bot.articles import Article
from bot.forces import mentioned_force, resolve_force
from bot.passages import Passage, article_passages
from bot.tokens import tokenize

# A question must be matched on at least this share of its information (terms weighted by how
# rare they are; words the corpus never uses count as rarest). Below it, the best passage only
# shares incidental words with the question and the honest answer is "nothing matches".
MIN_COVERAGE = 0.3


@dataclass(frozen=True)
class Hit:
    """A ranked passage. `terms` are the question's terms it contains (for highlighting)."""

    passage: Passage
    score: float
    rank: int
    terms: frozenset[str]


def passage_terms(passage: Passage) -> list[str]:
    """What BM25 indexes for a passage: its words, plus its article's title and force, so that
    a question naming the force or the article's subject finds the passage."""
    article = passage.article
    return tokenize(passage.text) + tokenize(article.title) + tokenize(article.force)


class Index:
    """BM25 over the passages of a set of articles."""

    def __init__(self, articles: Sequence[Article], *, k1: float = 1.5, b: float = 0.75) -> None:
        self.articles = tuple(sorted(articles, key=lambda a: (a.published, a.url), reverse=True))
        self.passages: tuple[Passage, ...] = tuple(p for a in self.articles for p in article_passages(a))
        self.forces = tuple(sorted({a.force for a in self.articles}))
        self._terms = [passage_terms(p) for p in self.passages]
        self._text_terms = [frozenset(tokenize(p.text)) for p in self.passages]
        self._doc_sets = [frozenset(t) for t in self._terms]
        self._df = Counter(term for terms in self._doc_sets for term in terms)
        self._force_of = np.array([self.forces.index(p.article.force) for p in self.passages], dtype=np.int32)
        self._bm25 = BM25Okapi(self._terms, k1=k1, b=b) if self.passages else None

    def _weight(self, term: str) -> float:
        """How much a term says about a question: rare terms more, unknown terms most."""
        n = len(self.passages)
        return math.log((n + 1) / (self._df.get(term, 0) + 0.5))

    def search(self, question: str, *, k: int = 5, force: str | None = None) -> list[Hit]:
        """The best `k` passages for `question`, optionally from one force's articles only.

        Returns no hits when the question's words are absent from the corpus, or too few of
        its informative words are matched (see MIN_COVERAGE). Raises UnknownForce for a force
        name that matches none loaded.
        """
        if k < 1:
            raise ValueError(f"k must be at least 1, not {k}")
        terms = list(dict.fromkeys(tokenize(question)))
        if not terms or self._bm25 is None:
            return []
        matching = np.array([i for i, d in enumerate(self._doc_sets) if not d.isdisjoint(terms)], dtype=np.int64)
        if force is not None:
            wanted = self.forces.index(resolve_force(force, self.forces))
            candidates = matching[self._force_of[matching] == wanted]
        else:
            # A question that names a force ("what has Staffordshire Police said ...") is about
            # that force's articles, when it has any that match.
            named = mentioned_force(question, self.forces)
            candidates = matching
            if named is not None:
                own = matching[self._force_of[matching] == self.forces.index(named)]
                candidates = own if own.size else matching
        if candidates.size == 0:
            return []
        scores = np.asarray(self._bm25.get_batch_scores(terms, candidates.tolist()), dtype=np.float64)
        order = np.lexsort((candidates, -scores))[:k]
        total = sum(self._weight(t) for t in terms)
        best = candidates[order[0]]
        covered = sum(self._weight(t) for t in terms if t in self._doc_sets[best])
        if covered < MIN_COVERAGE * total:
            return []
        return [
            Hit(
                passage=self.passages[candidates[i]],
                score=float(scores[i]),
                rank=rank,
                terms=frozenset(t for t in terms if t in self._text_terms[candidates[i]]),
            )
            for rank, i in enumerate(order, start=1)
        ]
