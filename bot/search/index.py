"""Rank passages for a question with BM25 and return hits with their provenance."""

from __future__ import annotations

import array
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from bot.corpus.articles import Article, newest_first
from bot.corpus.forces import mentioned_force, resolve_force
from bot.corpus.passages import Passage, article_passages, normalise_text
from bot.corpus.tokens import tokenize
from bot.engine.postings import PostingsIndex
from bot.engine.ranking import Ranker
from bot.search.answer_sentence import best_sentence
from bot.search.answer_types import answer_type
from bot.search.evidence import evidence, weigh
from bot.search.rerank import Candidate, Weights, features, mix
from bot.search.semantic import embedder

# Passages sharing this much of their word trigrams are the same text published twice.
DUPLICATE_SIMILARITY = 0.8
# How many of BM25's best passages the second stage re-orders (at least; 4 x k if more).
CANDIDATES = 30
WEIGHTS = Weights()


def _shingles(text: str) -> frozenset[tuple[str, ...]]:
    words = re.findall(r"[^\W_]+", text.lower())
    return frozenset(zip(words, words[1:], words[2:])) if len(words) >= 3 else frozenset([tuple(words)])


def _similar(sa: frozenset, sb: frozenset) -> bool:
    """Whether two passages are the same text, give or take a few words (Jaccard of trigrams)."""
    if min(len(sa), len(sb)) < DUPLICATE_SIMILARITY * max(len(sa), len(sb)):  # Jaccard <= min/max
        return False
    return len(sa & sb) >= DUPLICATE_SIMILARITY * len(sa | sb)


@dataclass(frozen=True)
class Hit:
    """A ranked passage. `terms` are the question's terms it contains (for highlighting)."""

    passage: Passage
    score: float
    rank: int
    terms: frozenset[str]
    also: tuple[Passage, ...] = ()  # near-identical passages in other articles (same campaign text)
    bm25: float = 0.0  # the first stage's score (BM25Okapi's); `score` is the re-ranking's
    answer: tuple[int, int] | None = None  # span in passage.text of the sentence that best answers


def passage_terms(passage: Passage) -> list[str]:
    """What BM25 indexes for a passage: its words, plus its article's title and force, so that
    a question naming the force or the article's subject finds the passage."""
    return tokenize(passage.text) + article_terms(passage.article)


def article_terms(article: Article) -> list[str]:
    return tokenize(article.title) + tokenize(article.force)


def _title_terms(passage: Passage) -> frozenset[str]:
    return frozenset(article_terms(passage.article))


class PassageList(Sequence[Passage]):
    """The passages of an index, made on demand from compact arrays: an index of a million
    passages holds three integers per passage, not a million objects."""

    def __init__(self, articles: Sequence[Article], article_of: np.ndarray, starts: np.ndarray, ends: np.ndarray):
        self._articles = articles
        self.article_of, self.starts, self.ends = article_of, starts, ends
        firsts = np.zeros(len(articles), dtype=np.int64)
        if len(article_of):
            changes = np.flatnonzero(np.diff(article_of)) + 1
            firsts[article_of[np.r_[0, changes]]] = np.r_[0, changes]
        self._firsts = firsts

    def __len__(self) -> int:
        return len(self.article_of)

    def __getitem__(self, i: int) -> Passage:  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]  # type: ignore[return-value]
        a = int(self.article_of[i])
        article = self._articles[a]
        start, end = int(self.starts[i]), int(self.ends[i])
        ordinal = int(i if i >= 0 else len(self) + i) - int(self._firsts[a])
        return Passage(article, ordinal, start, end, normalise_text(article.body[start:end]))

    def index(self, passage: Passage, *_: object) -> int:  # type: ignore[override]
        a = self._articles.index(passage.article)
        return int(self._firsts[a]) + passage.index


class Index:
    """BM25 over the passages of a set of articles, newest articles first."""

    def __init__(
        self,
        articles: Sequence[Article],
        *,
        k1: float = 1.5,
        b: float = 0.75,
        progress: Callable[[Sequence[Article]], Iterable[Article]] = iter,
    ) -> None:
        """Split and index `articles` (see `restore` for an index saved earlier). Terms are
        numbered as they come, so a million passages never exist as lists of strings."""
        articles = tuple(newest_first(articles))
        number = {id(article): n for n, article in enumerate(articles)}
        vocabulary: dict[str, int] = {}
        term_id = vocabulary.setdefault
        flat, offsets = array.array("i"), array.array("q", [0])
        article_of, spans = array.array("i"), array.array("i")
        for article in progress(articles):
            extra = article_terms(article)
            for passage in article_passages(article):
                article_of.append(number[id(article)])
                spans.extend((passage.start, passage.end))
                flat.extend([term_id(t, len(vocabulary)) for t in tokenize(passage.text) + extra])
                offsets.append(len(flat))
        bounds = np.frombuffer(spans, dtype=np.int32).reshape(-1, 2)
        passages = PassageList(articles, np.frombuffer(article_of, dtype=np.int32), bounds[:, 0], bounds[:, 1])
        engine = None
        if len(passages):
            engine = PostingsIndex.build_encoded(
                np.frombuffer(flat, dtype=np.int32),
                np.frombuffer(offsets, dtype=np.int64),
                list(vocabulary),
                k1=k1,
                b=b,
            )
        self._setup(articles, passages, Ranker.from_engine(engine))

    @classmethod
    def restore(cls, articles: Sequence[Article], passages: PassageList, ranker: Ranker) -> Index:
        """An index from its saved parts (articles newest first, as `articles` orders them)."""
        index = cls.__new__(cls)
        index._setup(tuple(articles), passages, ranker)
        return index

    def _setup(self, articles: tuple[Article, ...], passages: PassageList, ranker: Ranker) -> None:
        self.articles = articles
        self.passages = passages
        self.forces = tuple(sorted({a.force for a in articles}))
        force_number = np.array([self.forces.index(a.force) for a in articles], dtype=np.int32)
        self._force_of = force_number[passages.article_of] if len(passages) else np.zeros(0, np.int32)
        self.ranker = ranker

    def force_mask(self, force: str) -> np.ndarray:
        """Passages of the loaded force that `force` names; raises UnknownForce."""
        return self._force_of == self.forces.index(resolve_force(force, self.forces))

    def _candidates(self, terms: list[str], n: int, force: str | None, named: str | None) -> list[tuple[int, float]]:
        if force is not None:
            return self.ranker.top(terms, n, self.force_mask(force))
        # A question that names a force ("what has Staffordshire Police said ...") is about
        # that force's articles, when it has any that match.
        ranked = self.ranker.top(terms, n, self.force_mask(named)) if named is not None else []
        return ranked or self.ranker.top(terms, n)

    def search(self, question: str, *, k: int = 5, force: str | None = None) -> list[Hit]:
        """The best `k` passages for `question`, optionally from one force's articles only.

        BM25 picks the candidates; `rerank` orders them by the evidence that they answer the
        question. Returns no hits when that evidence is too weak (see `evidence`). Raises
        UnknownForce for a force name that matches none loaded.
        """
        if k < 1:
            raise ValueError(f"k must be at least 1, not {k}")
        terms = list(dict.fromkeys(tokenize(question)))
        named = mentioned_force(question, self.forces)
        ranked = self._candidates(terms, max(k * 4, CANDIDATES), force, named)
        if not ranked:
            return []
        weight = weigh(self.ranker.doc_freq, len(self.passages))
        known = {t: weight(t) if self.ranker.doc_freq(t) else 0.0 for t in terms}
        model = embedder()
        similarity = None if model is None else partial(model.similarities, question)
        passages = [(d, s, self.passages[d]) for d, s in ranked]
        kind = answer_type(question)
        candidates = mix(features(terms, known, kind, passages, similarity, _title_terms), WEIGHTS)
        best = candidates[0]
        # The force a question names says where to look, not what is asked: "the minimum
        # eyesight standard to join the Metropolitan Police" is not answered by any passage
        # that merely names the Met.
        scope = set(tokenize(f"{named} police constabulary")) if named else set()
        content = [t for t in terms if t not in scope] or terms
        if not evidence(content, weight, set(passage_terms(best.passage)), best.meaning).answers:
            return []
        groups: list[tuple[Candidate, list[Passage], frozenset]] = []
        for candidate in candidates:
            shingles = _shingles(candidate.passage.text)
            twin = next((g for g in groups if _similar(g[2], shingles)), None)
            if twin is not None:
                twin[1].append(candidate.passage)
            elif len(groups) < k:
                groups.append((candidate, [], shingles))
        hits = []
        for rank, (candidate, twins, _) in enumerate(groups, start=1):
            passage = candidate.passage
            in_text = frozenset(terms).intersection(tokenize(passage.text))
            answer = best_sentence(passage.text, terms, known, kind)
            hits.append(Hit(passage, candidate.score, rank, in_text, tuple(twins), candidate.bm25, answer))
        return hits
