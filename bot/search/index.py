"""Rank passages for a question with BM25 and return hits with their provenance."""

from __future__ import annotations

import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from bot.corpus.articles import Article, newest_first
from bot.corpus.forces import ForceNames
from bot.corpus.passages import NO_LEAD, Passage, article_passages, passage_text
from bot.corpus.spelling import Speller
from bot.corpus.tokens import tokenize
from bot.engine.postings import PostingsIndex
from bot.engine.ranking import Ranker
from bot.search.answer_sentence import best_sentence
from bot.search.answer_types import AnswerType, answer_type, counted_term, defined_acronym
from bot.search.article_meaning import ArticleMeanings, article_vectors
from bot.search.duplicates import duplicate_groups
from bot.search.evidence import evidence, weigh
from bot.search.rerank import Candidate, Weights, focused, scored
from bot.search.semantic import embedder

# How many of BM25's best passages the second stage re-orders (at least; 4 x k if more).
CANDIDATES = 30
WEIGHTS = Weights()
MEANING_BATCH = 4096


@dataclass(frozen=True)
class Hit:
    """A ranked passage. `terms` are the question's terms: a highlighter bolds those the passage
    contains, when (and only if) it is shown."""

    passage: Passage
    score: float
    rank: int
    terms: frozenset[str]
    also: tuple[Passage, ...] = ()  # near-identical passages in other articles (same campaign text)
    bm25: float = 0.0  # the first stage's score (BM25Okapi's); `score` is the re-ranking's
    weights: tuple[tuple[str, float], ...] = ()  # the question's terms with their weights
    kind: AnswerType | None = None  # the answer type the question asks for

    @cached_property
    def answer(self) -> tuple[int, int] | None:
        """The span in passage.text of the sentence that best answers (found when first asked
        for: most hits are never shown)."""
        return best_sentence(self.passage.text, [t for t, _ in self.weights], dict(self.weights), self.kind)


def passage_terms(passage: Passage) -> list[str]:
    """What BM25 indexes for a passage: its words, plus its article's title and force, so that
    a question naming the force or the article's subject finds the passage."""
    return tokenize(passage.text) + article_terms(passage.article)


def article_terms(article: Article) -> list[str]:
    return tokenize(article.title) + tokenize(article.force)


def _meanings(passages: PassageList) -> np.ndarray | None:
    """Every passage's meaning vector, made once at build time, a batch at a time."""
    model = embedder()
    if model is None:
        return None
    out = np.zeros((len(passages), model.dimensions), dtype=np.int8)
    for start in range(0, len(passages), MEANING_BATCH):
        batch = range(start, min(start + MEANING_BATCH, len(passages)))
        out[start : start + len(batch)] = model.quantised([passages.text(i) for i in batch])
    return out


class PassageList(Sequence[Passage]):
    """The passages of an index, made on demand from compact arrays: an index of a million
    passages holds four integers per passage, not a million objects. `groups[i]` numbers
    passage i's near-duplicate group (see duplicates.py); `meanings[i]` is its meaning vector
    (see semantic.py; no columns when the model is not installed)."""

    def __init__(
        self,
        articles: Sequence[Article],
        article_of: np.ndarray,
        starts: np.ndarray,
        ends: np.ndarray,
        groups: np.ndarray | None = None,
        lead_starts: np.ndarray | None = None,
        lead_ends: np.ndarray | None = None,
        meanings: np.ndarray | None = None,
    ):
        self._articles = articles
        self.article_of, self.starts, self.ends = article_of, starts, ends
        no_lead = np.full(len(article_of), NO_LEAD[0], dtype=np.int32)
        # A later chunk of a long list quotes its lead-in line body[lead_start:lead_end] first.
        self.lead_starts = no_lead if lead_starts is None else lead_starts
        self.lead_ends = no_lead if lead_ends is None else lead_ends
        self.groups = np.arange(len(article_of), dtype=np.int32) if groups is None else groups
        self.meanings = np.zeros((len(article_of), 0), dtype=np.int8) if meanings is None else meanings
        arrays = (article_of, starts, ends, self.lead_starts, self.lead_ends, self.groups, self.meanings)
        if len({len(a) for a in arrays}) != 1:
            raise ValueError("passage arrays differ in length")
        firsts = np.zeros(len(articles), dtype=np.int64)
        if len(article_of):
            changes = np.flatnonzero(np.diff(article_of)) + 1
            firsts[article_of[np.r_[0, changes]]] = np.r_[0, changes]
        self._firsts = firsts

    def __len__(self) -> int:
        return len(self.article_of)

    def __getitem__(self, i: int) -> Passage:  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        a = int(self.article_of[i])
        article = self._articles[a]
        start, end = int(self.starts[i]), int(self.ends[i])
        lead = (int(self.lead_starts[i]), int(self.lead_ends[i]))
        ordinal = int(i if i >= 0 else len(self) + i) - int(self._firsts[a])
        return Passage(article, ordinal, start, end, passage_text(article.body, start, end, lead), lead)

    def text(self, i: int) -> str:
        """Passage i's text as the article has it (white space not normalised, which neither
        the model nor the answer patterns mind): cheaper than making the passage, for a look
        at candidates that may not be shown."""
        body = self._articles[int(self.article_of[i])].body
        text = body[int(self.starts[i]) : int(self.ends[i])]
        lead = int(self.lead_starts[i])
        return f"{body[lead : int(self.lead_ends[i])]}\n{text}" if lead != NO_LEAD[0] else text

    def index(self, passage: Passage, *_: object) -> int:
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
        flat, offsets, text_ends = array.array("i"), array.array("q", [0]), array.array("q")
        article_of, spans = array.array("i"), array.array("i")
        for article in progress(articles):
            extra = [term_id(t, len(vocabulary)) for t in article_terms(article)]
            for passage in article_passages(article):
                article_of.append(number[id(article)])
                spans.extend((passage.start, passage.end, *passage.lead))
                flat.extend([term_id(t, len(vocabulary)) for t in tokenize(passage.text)])
                text_ends.append(len(flat))
                flat.extend(extra)
                offsets.append(len(flat))
        starts, ends, lead_starts, lead_ends = np.frombuffer(spans, dtype=np.int32).reshape(-1, 4).T.copy()
        leads = {"lead_starts": lead_starts, "lead_ends": lead_ends}
        article_number = np.frombuffer(article_of, dtype=np.int32)
        passages = PassageList(articles, article_number, starts, ends, **leads)
        engine = None
        if len(passages):
            term_ids, doc_offsets = np.frombuffer(flat, dtype=np.int32), np.frombuffer(offsets, dtype=np.int64)
            groups = duplicate_groups(
                term_ids, doc_offsets[:-1], np.frombuffer(text_ends, dtype=np.int64), lambda i: passages[i].text
            )
            passages = PassageList(articles, article_number, starts, ends, groups, **leads)
            meanings = _meanings(passages)
            passages = PassageList(articles, article_number, starts, ends, groups, **leads, meanings=meanings)
            engine = PostingsIndex.build_encoded(term_ids, doc_offsets, list(vocabulary), k1=k1, b=b)
            del term_ids, doc_offsets, flat
        vectors = article_vectors(passages.meanings, passages.article_of, len(articles))
        self._setup(articles, passages, Ranker.from_engine(engine), vectors)

    @classmethod
    def restore(
        cls,
        articles: Sequence[Article],
        passages: PassageList,
        ranker: Ranker,
        article_meanings: np.ndarray,
        forces: Sequence[str] | None = None,
    ) -> Index:
        """An index from its saved parts (articles newest first, as `articles` orders them;
        `article_meanings` as `article_vectors` made them; `forces`, each article's force, spares
        making every article to read it)."""
        index = cls.__new__(cls)
        index._setup(articles, passages, ranker, article_meanings, forces)
        return index

    def _setup(
        self,
        articles: Sequence[Article],
        passages: PassageList,
        ranker: Ranker,
        article_meanings: np.ndarray,
        forces: Sequence[str] | None = None,
    ) -> None:
        self.articles = articles
        self.passages = passages
        article_forces = [a.force for a in articles] if forces is None else forces
        self.forces = tuple(sorted(set(article_forces)))
        self._force_names = ForceNames(self.forces)
        number = {force: n for n, force in enumerate(self.forces)}
        force_number = np.array([number[f] for f in article_forces], dtype=np.int32)
        self._force_of = force_number[passages.article_of] if len(passages) else np.zeros(0, np.int32)
        self.ranker = ranker
        if len(article_meanings) != len(articles):
            raise ValueError("article vectors do not match the articles")
        self.article_meanings = ArticleMeanings(article_meanings, passages.article_of)
        self.speller = Speller(ranker.vocabulary, ranker.doc_freq)  # question words the index lacks

    def _article_number(self, doc: int) -> int:
        return int(self.passages.article_of[doc])

    def _title_terms(self, doc: int) -> list[str]:
        return article_terms(self.articles[self._article_number(doc)])

    def force_mask(self, force: str) -> np.ndarray:
        """Passages of the loaded force that `force` names; raises UnknownForce."""
        return self._force_of == self.forces.index(self._force_names.resolve(force))

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
        UnknownForce for a force name that matches none loaded. The same text published twice
        shows once, with the others in `Hit.also`.
        """
        if k < 1:
            raise ValueError(f"k must be at least 1, not {k}")
        terms = list(dict.fromkeys(self.speller.correct(question)))
        named = self._force_names.mentioned(question) if force is None else None
        ranked = self._candidates(terms, max(k * 4, CANDIDATES), force, named)
        if not ranked:
            return []
        weight = weigh(self.ranker.doc_freq, len(self.passages))
        known = {t: weight(t) if self.ranker.doc_freq(t) else 0.0 for t in terms}
        model = embedder()
        docs = np.array([d for d, _ in ranked])
        meanings, articles = np.zeros(len(docs)), None
        if model is not None:
            vector = model.embed([question])[0]  # once, for passages and articles alike
            meanings = model.similarities_of(vector, self.passages.meanings[docs])
            articles = self.article_meanings.similarities(docs, vector)
        kind = answer_type(question)
        counted = counted_term(question) if kind is AnswerType.NUMBER else None
        defined = defined_acronym(question) if kind is AnswerType.DEFINITION else None
        candidates = scored(known, kind, ranked, meanings, self.passages.text, counted, defined, articles, WEIGHTS)
        held = dict(zip(docs.tolist(), self.ranker.terms_of(docs, terms)))  # each candidate's question terms

        def terms_in(doc: int, wanted: Sequence[str]) -> list[str]:
            return [t for t in wanted if t in held[doc]]

        candidates = focused(
            kind, candidates, known, self.passages.text, self._article_number, self._title_terms, terms_in, 2 * k
        )  # 2 x k places: k shown, the same text in other articles making up the rest
        best = candidates[0]
        # The force a question names says where to look, not what is asked: "the minimum
        # eyesight standard to join the Metropolitan Police" is not answered by any passage
        # that merely names the Met.
        scope = set(tokenize(f"{named} police constabulary")) if named else set()
        content = [t for t in terms if t not in scope] or terms
        if not evidence(content, weight, set(terms_in(best.doc, content)), best.meaning).answers:
            return []
        groups: dict[int, tuple[Candidate, list[int]]] = {}
        group_of = self.passages.groups[[c.doc for c in candidates]].tolist()
        for candidate, group in zip(candidates, group_of):
            if group in groups:
                groups[group][1].append(candidate.doc)
            elif len(groups) < k:
                groups[group] = (candidate, [])
        question_terms, weighted = frozenset(terms), tuple(known.items())
        hits = []
        for rank, (c, twins) in enumerate(groups.values(), start=1):
            passage = self.passages[c.doc]
            also = tuple(self.passages[d] for d in twins)
            hits.append(Hit(passage, c.score, rank, question_terms, also, c.bm25, weighted, kind))
        return hits
