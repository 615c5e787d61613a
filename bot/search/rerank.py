"""Second stage: re-order BM25's best candidates by the evidence that they answer the question.

BM25 ranks a passage by the question's words it shares, its article's title and force
included, so an article's opening paragraph (which repeats the title) beats the passage that
holds the answer. Among BM25's top candidates each passage gets a mix of:

- its BM25 score, divided by the best candidate's;
- the cosine similarity of its meaning with the question's (static word embeddings, so
  "kid" meets "child" and "legit" meets "genuine" without a word list);
- whether one of its sentences holds an answer of the kind asked for (a date for "when", a
  number for "how many" ...) next to a word of the question.

Weights were chosen on Cranfield, the seeds' questions and the shared corpus together (see the
README's quality table). A "focus" feature (the share of the question's words beyond the
article's title found in the passage) was measured too and lowered Cranfield and the seeds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from bot.corpus.tokens import tokenize
from bot.search.answer_sentence import sentence_bounds
from bot.search.answer_types import AnswerType, counts, holds_answer, names_a_day

EXACT_TYPES = frozenset({AnswerType.DATE, AnswerType.NUMBER, AnswerType.PHONE})
LOOSE_TYPE = 1 / 3
UNCOUNTED = 0.25
VAGUE_DATE = 0.5


@dataclass(frozen=True)
class Weights:
    bm25: float = 1.0
    meaning: float = 0.3
    answer_type: float = 0.6


@dataclass(frozen=True)
class Candidate:
    """A BM25 candidate with the evidence that it answers the question."""

    doc: int
    bm25: float
    meaning: float  # cosine similarity with the question, 0 without the model
    typed: float  # a sentence holds an answer of the type asked for, next to a question word (see _typed)
    score: float = 0.0  # the mix that orders candidates


def _typed(kind: AnswerType | None, text: str, terms: set[str], counted: str | None) -> float:
    """1 for a sentence with a date, number or phone number asked for next to a question word
    (for "how many children", a number just before "children"; another number is UNCOUNTED;
    for "when", a day; only a year or a month is VAGUE_DATE);
    LOOSE_TYPE for the looser kinds (names, places, addresses), whose patterns match more
    that is not the answer; 0 for none."""
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


def features(
    weight: Mapping[str, float],
    kind: AnswerType | None,
    ranked: Sequence[tuple[int, float]],
    meanings: Sequence[float] | np.ndarray,
    text: Callable[[int], str],
    counted: str | None = None,
) -> list[Candidate]:
    """The evidence for each of `ranked` ((doc, BM25 score), best first), given the question's
    terms and their `weight`, its answer type, each candidate's `meanings` (cosine with the
    question), a way to get a candidate's `text`, and what a "how many" question counts."""
    wanted = {t for t, w in weight.items() if w > 0}
    typed = [0.0] * len(ranked) if kind is None else [_typed(kind, text(doc), wanted, counted) for doc, _ in ranked]
    return [Candidate(doc, score, float(m), t) for (doc, score), m, t in zip(ranked, meanings, typed)]


def mix(candidates: Sequence[Candidate], weights: Weights = Weights()) -> list[Candidate]:
    """`candidates` scored by `weights` and sorted best first (ties keep BM25's order)."""
    if not candidates:
        return []
    top = abs(max(c.bm25 for c in candidates)) or 1.0  # BM25Okapi scores can be negative in a tiny corpus
    scored = [
        Candidate(
            c.doc,
            c.bm25,
            c.meaning,
            c.typed,
            weights.bm25 * c.bm25 / top + weights.meaning * c.meaning + weights.answer_type * c.typed,
        )
        for c in candidates
    ]  # made whole, not with dataclasses.replace: a tenth of the cost
    order = sorted(range(len(scored)), key=lambda i: (-scored[i].score, i))
    return [scored[i] for i in order]
