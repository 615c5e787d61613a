"""Rank passages for a question with BM25 and return hits with their provenance."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.articles import Article
from bot.forces import mentioned_force, resolve_force
from bot.passages import Passage, article_passages
from bot.ranking import Ranker
from bot.tokens import tokenize

# A question must be matched on at least this share of its information (terms weighted by how
# rare they are; words the corpus never uses count as rarest). Below it, the best passage only
# shares incidental words with the question and the honest answer is "nothing matches".
MIN_COVERAGE = 0.3
# Passages sharing this much of their word trigrams are the same text published twice.
DUPLICATE_SIMILARITY = 0.8


def _shingles(text: str) -> frozenset[tuple[str, ...]]:
    words = re.findall(r"[^\W_]+", text.lower())
    return frozenset(zip(words, words[1:], words[2:])) if len(words) >= 3 else frozenset([tuple(words)])


def near_identical(a: str, b: str) -> bool:
    """Whether two passages are the same text, give or take a few words (Jaccard of trigrams)."""
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) >= DUPLICATE_SIMILARITY * len(sa | sb)


@dataclass(frozen=True)
class Hit:
    """A ranked passage. `terms` are the question's terms it contains (for highlighting)."""

    passage: Passage
    score: float
    rank: int
    terms: frozenset[str]
    also: tuple[Passage, ...] = ()  # near-identical passages in other articles (same campaign text)


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
        terms = [passage_terms(p) for p in self.passages]
        self._ranker = Ranker(terms, k1=k1, b=b)
        self._df = Counter(term for doc in terms for term in set(doc))
        self._force_of = np.array([self.forces.index(p.article.force) for p in self.passages], dtype=np.int32)

    def _weight(self, term: str) -> float:
        """How much a term says about a question: rare terms more, unknown terms most."""
        n = len(self.passages)
        return math.log((n + 1) / (self._df.get(term, 0) + 0.5))

    def force_mask(self, force: str) -> np.ndarray:
        """Passages of the loaded force that `force` names; raises UnknownForce."""
        return self._force_of == self.forces.index(resolve_force(force, self.forces))

    def search(self, question: str, *, k: int = 5, force: str | None = None) -> list[Hit]:
        """The best `k` passages for `question`, optionally from one force's articles only.

        Returns no hits when the question's words are absent from the corpus, or too few of
        its informative words are matched (see MIN_COVERAGE). Raises UnknownForce for a force
        name that matches none loaded.
        """
        if k < 1:
            raise ValueError(f"k must be at least 1, not {k}")
        terms = list(dict.fromkeys(tokenize(question)))
        if force is not None:
            ranked = self._ranker.top(terms, k * 4, self.force_mask(force))
        else:
            ranked = []
            # A question that names a force ("what has Staffordshire Police said ...") is about
            # that force's articles, when it has any that match.
            named = mentioned_force(question, self.forces)
            if named is not None:
                ranked = self._ranker.top(terms, k * 4, self.force_mask(named))
            ranked = ranked or self._ranker.top(terms, k * 4)
        if not ranked:
            return []
        total = sum(self._weight(t) for t in terms)
        covered = sum(self._weight(t) for t in terms if self._ranker.contains(ranked[0][0], t))
        if covered < MIN_COVERAGE * total:
            return []
        groups: list[tuple[int, float, list[Passage]]] = []
        for doc, score in ranked:
            passage = self.passages[doc]
            twin = next((g for g in groups if near_identical(self.passages[g[0]].text, passage.text)), None)
            if twin is not None:
                twin[2].append(passage)
            elif len(groups) < k:
                groups.append((doc, score, []))
        hits = []
        for rank, (doc, score, twins) in enumerate(groups, start=1):
            passage = self.passages[doc]
            in_text = frozenset(t for t in terms if t in set(tokenize(passage.text)))
            hits.append(Hit(passage=passage, score=score, rank=rank, terms=in_text, also=tuple(twins)))
        return hits
