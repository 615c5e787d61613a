"""Second stage: re-order BM25's best candidates by the evidence that they answer the question.

BM25 ranks a passage by the question's words it shares, its article's title and force
included, so an article's opening paragraph (which repeats the title) beats the passage that
holds the answer. Among BM25's top candidates each passage gets a mix of:

- its BM25 score, divided by the best candidate's;
- the cosine similarity of its meaning with the question's (static word embeddings, so
  "kid" meets "child" and "legit" meets "genuine" without a word list);
- `focus`: how much of the question's information that its article's title and force do not
  already give is in the passage's own text (rare words weigh more). Every passage of an
  article shares the title, so the words beyond it are what tell its passages apart;
- whether one of its sentences holds an answer of the kind asked for (a date for "when", a
  number for "how many" ...) next to a word of the question.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from bot.corpus.passages import Passage
from bot.corpus.tokens import tokenize
from bot.search.answer_sentence import sentence_bounds
from bot.search.answer_types import AnswerType, holds_answer

EXACT_TYPES = frozenset({AnswerType.DATE, AnswerType.NUMBER, AnswerType.PHONE})
LOOSE_TYPE = 0.5


@dataclass(frozen=True)
class Weights:
    bm25: float = 1.0
    meaning: float = 0.3
    focus: float = 0.0
    answer_type: float = 0.4


@dataclass(frozen=True)
class Candidate:
    """A BM25 candidate with the evidence that it answers the question."""

    doc: int
    passage: Passage
    bm25: float
    meaning: float  # cosine similarity with the question, 0 without the model
    coverage: float  # share of the question's information in the passage's text, title and force
    focus: float  # share of the information beyond its title and force in its own text (1 if none)
    typed: float  # a sentence holds an answer of the type asked for, next to a question word (see _typed)
    score: float = 0.0  # the mix that orders candidates


def coverage(terms: Sequence[str], weight: Mapping[str, float], found: set[str] | frozenset[str]) -> float:
    """The weighted share of `terms` that are in `found` (0 when the terms weigh nothing)."""
    total = sum(weight[t] for t in terms)
    return sum(weight[t] for t in terms if t in found) / total if total > 0 else 0.0


def _typed(kind: AnswerType | None, text: str, terms: set[str]) -> float:
    """1 for a sentence with a date, number or phone number asked for next to a question word;
    LOOSE_TYPE for the looser kinds (names, places, addresses), whose patterns match more
    that is not the answer; 0 for none."""
    if kind is None or not holds_answer(kind, text):
        return 0.0
    sentences = (text[start:end] for start, end in sentence_bounds(text))
    if not any(holds_answer(kind, s) and terms.intersection(tokenize(s)) for s in sentences):
        return 0.0
    return 1.0 if kind in EXACT_TYPES else LOOSE_TYPE


def features(
    terms: Sequence[str],
    weight: Mapping[str, float],
    kind: AnswerType | None,
    ranked: Sequence[tuple[int, float, Passage]],
    similarity: Callable[[Sequence[str]], np.ndarray] | None,
    article_terms: Callable[[Passage], frozenset[str]],
) -> list[Candidate]:
    """The evidence for each of `ranked` ((doc, BM25 score, passage), best first)."""
    meanings = similarity([p.text for _, _, p in ranked]) if similarity is not None else np.zeros(len(ranked))
    wanted = set(terms)
    out = []
    for (doc, score, passage), meaning in zip(ranked, meanings):
        own = frozenset(tokenize(passage.text))
        shared = article_terms(passage)
        beyond = [t for t in terms if t not in shared and weight[t] > 0]
        focus = coverage(beyond, weight, own) if beyond else 1.0
        out.append(
            Candidate(
                doc,
                passage,
                score,
                float(meaning),
                coverage(terms, weight, own | shared),
                focus,
                _typed(kind, passage.text, wanted),
            )
        )
    return out


def mix(candidates: Sequence[Candidate], weights: Weights = Weights()) -> list[Candidate]:
    """`candidates` scored by `weights` and sorted best first (ties keep BM25's order)."""
    if not candidates:
        return []
    top = abs(max(c.bm25 for c in candidates)) or 1.0  # BM25Okapi scores can be negative in a tiny corpus
    scored = [
        Candidate(
            c.doc,
            c.passage,
            c.bm25,
            c.meaning,
            c.coverage,
            c.focus,
            c.typed,
            weights.bm25 * c.bm25 / top
            + weights.meaning * c.meaning
            + weights.focus * c.focus
            + weights.answer_type * c.typed,
        )
        for c in candidates
    ]
    order = sorted(range(len(scored)), key=lambda i: (-scored[i].score, i))
    return [scored[i] for i in order]
