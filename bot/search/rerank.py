"""Second stage: re-order BM25's best candidates by the evidence that they answer the question.

BM25 ranks a passage by the question's words it shares, its article's title and force
included, so an article's opening paragraph (which repeats the title) beats the passage that
holds the answer. Among BM25's top candidates each passage gets a mix of:

- its BM25 score, divided by the best candidate's;
- the cosine similarity of its meaning with the question's (static word embeddings, so
  "kid" meets "child" and "legit" meets "genuine" without a word list);
- whether one of its sentences holds an answer of the kind asked for (a date for "when", a
  number for "how many" ...) next to a word of the question;
- the cosine similarity of its whole article's meaning with the question's (article_meaning.py).

Weights were chosen on Cranfield, the seeds' questions and the shared corpus together (see the
README's quality table). A "focus" feature (the share of the question's words beyond the
article's title found in the passage) was measured too and lowered Cranfield and the seeds;
its sentence-level form reorders only passages of the same article, for questions of no
answer type (`focused`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from bot.corpus.tokens import tokenize
from bot.search.answer_sentence import sentence_bounds, sentence_share
from bot.search.answer_types import AnswerType, counts, defines, holds_answer, names_a_day

EXACT_TYPES = frozenset({AnswerType.DATE, AnswerType.NUMBER, AnswerType.PHONE})
LOOSE_TYPE = 1 / 2
UNCOUNTED = 0.25
VAGUE_DATE = 0.5
SENTENCE_FOCUS = 0.5  # see `focused`
BOUND_SLACK = 1e-9  # rounding room between a bound on a focus, summed in another order, and the focus


@dataclass(frozen=True)
class Weights:
    bm25: float = 1.0
    meaning: float = 0.3
    answer_type: float = 0.6
    article_meaning: float = 0.05


@dataclass(frozen=True)
class Candidate:
    """A BM25 candidate with the evidence that it answers the question."""

    doc: int
    bm25: float
    meaning: float  # cosine similarity with the question, 0 without the model
    typed: float  # a sentence holds an answer of the type asked for, next to a question word (see _typed)
    score: float = 0.0  # the mix that orders candidates
    article_meaning: float = 0.0  # cosine similarity of its article's meaning with the question


def _typed(kind: AnswerType | None, text: str, terms: set[str], counted: str | None, defined: str | None) -> float:
    """1 for a sentence with a date, number or phone number asked for next to a question word
    (for "how many children", a number just before "children"; another number is UNCOUNTED;
    for "when", a day; only a year or a month is VAGUE_DATE), or for a passage that spells out
    the acronym `defined` a "what is CPET?" question asks about;
    LOOSE_TYPE for the looser kinds (names, places, addresses), whose patterns match more
    that is not the answer; 0 for none."""
    if kind is AnswerType.DEFINITION:
        return 1.0 if defined is not None and defines(defined, text) else 0.0
    if kind is None or not holds_answer(kind, text):
        return 0.0
    sentences = (text[start:end] for start, end in sentence_bounds(text))
    if not any(holds_answer(kind, s) and terms.intersection(tokenize(s)) for s in sentences):
        return 0.0
    if kind is AnswerType.NUMBER and counted is not None:
        return 1.0 if counts(counted, text) else UNCOUNTED
    if kind is AnswerType.DATE:
        return 1.0 if names_a_day(text) else VAGUE_DATE
    return 1.0 if kind in EXACT_TYPES else LOOSE_TYPE


def _typed_all(
    weight: Mapping[str, float],
    kind: AnswerType | None,
    ranked: Sequence[tuple[int, float]],
    text: Callable[[int], str],
    counted: str | None,
    defined: str | None,
) -> list[float]:
    if kind is None:
        return [0.0] * len(ranked)
    wanted = {t for t, w in weight.items() if w > 0}
    return [_typed(kind, text(doc), wanted, counted, defined) for doc, _ in ranked]


def features(
    weight: Mapping[str, float],
    kind: AnswerType | None,
    ranked: Sequence[tuple[int, float]],
    meanings: Sequence[float] | np.ndarray,
    text: Callable[[int], str],
    counted: str | None = None,
    defined: str | None = None,
    article_meanings: Sequence[float] | np.ndarray | None = None,
) -> list[Candidate]:
    """The evidence for each of `ranked` ((doc, BM25 score), best first), given the question's
    terms and their `weight`, its answer type, each candidate's `meanings` (cosine with the
    question), a way to get a candidate's `text`, what a "how many" question counts and the
    acronym a "what is ..." question asks about, and the cosine of each candidate's article."""
    typed = _typed_all(weight, kind, ranked, text, counted, defined)
    articles = [0.0] * len(ranked) if article_meanings is None else article_meanings
    return [
        Candidate(doc, score, float(m), t, article_meaning=float(a))
        for (doc, score), m, t, a in zip(ranked, meanings, typed, articles)
    ]


def _mixed(
    bm25: np.ndarray, meaning: np.ndarray, typed: np.ndarray, article: np.ndarray, weights: Weights
) -> tuple[list[float], list[int]]:
    """The mix of each candidate (float64, the same operations in the same order as in Python)
    and the order best first, ties in BM25's order (a stable sort)."""
    top = abs(float(bm25.max())) or 1.0  # BM25Okapi scores can be negative in a tiny corpus
    score = (
        weights.bm25 * bm25 / top
        + weights.meaning * meaning
        + weights.answer_type * typed
        + weights.article_meaning * article
    )
    return score.tolist(), np.argsort(-score, kind="stable").tolist()


def mix(candidates: Sequence[Candidate], weights: Weights = Weights()) -> list[Candidate]:
    """`candidates` scored by `weights` and sorted best first (ties keep BM25's order)."""
    if not candidates:
        return []
    columns = np.array([(c.bm25, c.meaning, c.typed, c.article_meaning) for c in candidates], dtype=np.float64)
    bm25, meaning, typed, article = columns.T
    score, order = _mixed(bm25, meaning, typed, article, weights)
    return [
        Candidate(c.doc, c.bm25, c.meaning, c.typed, score[i], c.article_meaning)
        for i, c in ((i, candidates[i]) for i in order)
    ]  # made whole, not with dataclasses.replace: a tenth of the cost


def scored(
    weight: Mapping[str, float],
    kind: AnswerType | None,
    ranked: Sequence[tuple[int, float]],
    meanings: np.ndarray,
    text: Callable[[int], str],
    counted: str | None,
    defined: str | None,
    article_meanings: np.ndarray | None,
    weights: Weights,
) -> list[Candidate]:
    """`mix(features(...), weights)`, each candidate made once, its mix in one vector."""
    if not ranked:
        return []
    docs, bm25 = zip(*ranked)
    typed = _typed_all(weight, kind, ranked, text, counted, defined)
    meaning = np.asarray(meanings, dtype=np.float64)
    article = np.zeros(len(ranked)) if article_meanings is None else np.asarray(article_meanings, dtype=np.float64)
    score, order = _mixed(
        np.array(bm25, dtype=np.float64), meaning, np.array(typed, dtype=np.float64), article, weights
    )
    m, a = meaning.tolist(), article.tolist()
    return [Candidate(docs[i], bm25[i], m[i], typed[i], score[i], a[i]) for i in order]


def within_articles(
    candidates: Sequence[Candidate],
    article_of: Callable[[int], int],
    focus: Callable[[Candidate], float],
    weight: float,
    depth: int | None = None,
    most: Callable[[Candidate], float] | None = None,
) -> list[Candidate]:
    """`candidates` (best score first, as `mix` orders them) with each article keeping the
    places its passages hold, and its passages in those places ordered by score + `weight` x
    `focus` (0 to 1), so the order of articles, which document ranking reads, does not change.

    Only the first `depth` places (all by default) are ordered so: an article's passages are
    read best score first only until none left could reach one of its places among them, and
    the rest follow in their order. `most` (1 by default), a bound on a candidate's `focus`
    cheaper than it, spares working out the focus of one that could not reach those places."""
    depth = len(candidates) if depth is None else depth
    places: dict[int, list[int]] = {}
    for i, c in enumerate(candidates):
        places.setdefault(article_of(c.doc), []).append(i)
    out = list(candidates)
    for slots in places.values():
        wanted = sum(1 for slot in slots if slot < depth)
        if len(slots) < 2 or wanted == 0:
            continue
        keyed: list[tuple[float, int]] = []
        for i in slots:
            if len(keyed) >= wanted:
                last = -sorted(keyed)[wanted - 1][0]
                if candidates[i].score + weight <= last:
                    break  # nor can any after it (a tie goes to the earlier place)
                if most is not None and candidates[i].score + weight * most(candidates[i]) + BOUND_SLACK < last:
                    continue  # its focus cannot lift it into a place
            keyed.append((-(candidates[i].score + weight * focus(candidates[i])), i))
        top = [i for _, i in sorted(keyed)[:wanted]]
        rest = [i for i in slots if i not in top]
        for slot, i in zip(slots, top + rest):
            out[slot] = candidates[i]
    return out


def focused(
    kind: AnswerType | None,
    candidates: Sequence[Candidate],
    weight: Mapping[str, float],
    text: Callable[[int], str],
    article_of: Callable[[int], int],
    title_terms: Callable[[int], Collection[str]],
    terms_in: Callable[[int, list[str]], Collection[str]] | None = None,
    depth: int | None = None,
) -> list[Candidate]:
    """For a question of no answer type (nothing marks the sentence with the answer), each
    article's candidates reordered among themselves by the share of the question's words beyond
    the article's title and force (the question's `weight`s) that one of their sentences holds,
    at SENTENCE_FOCUS: an article's passages all share its title, so what tells them apart is
    the rest of the question. Mixed in with articles' order free, this lowered Cranfield and
    the seeds (README, "Measured and not taken"); here articles keep their places. `terms_in`
    (those of some terms a passage is indexed with) spares reading passages that hold none;
    `depth`, how many places are shown (see `within_articles`)."""
    if kind is not None:
        return list(candidates)
    titles: dict[int, set[str]] = {}
    looked_up: dict[int, tuple[dict[str, float], Collection[str] | None]] = {}

    def body_and_found(doc: int) -> tuple[dict[str, float], Collection[str] | None]:
        if doc not in looked_up:
            article = article_of(doc)
            if article not in titles:
                titles[article] = set(title_terms(doc))
            body = {t: w for t, w in weight.items() if t not in titles[article]}
            looked_up[doc] = body, None if terms_in is None else terms_in(doc, list(body))
        return looked_up[doc]

    def focus(c: Candidate) -> float:
        body, found = body_and_found(c.doc)
        return 0.0 if found is not None and not found else sentence_share(text(c.doc), body, found)

    def most(c: Candidate) -> float:
        """The share of the terms the passage holds: no sentence of it holds more."""
        body, found = body_and_found(c.doc)
        total = sum(body.values())
        return 1.0 if found is None or total <= 0 else sum(body[t] for t in set(found)) / total

    return within_articles(candidates, article_of, focus, SENTENCE_FOCUS, depth, most if terms_in else None)
