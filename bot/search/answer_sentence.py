"""The sentence of a passage that best answers the question, so a reader sees it at once.

Sentences are found with a quick pattern rather than Punkt (which the passages were cut with):
this runs for every returned passage of every question, and Punkt costs ten times as much. A
sentence scores by the share of the question's information it carries (rare words weigh more)
plus ANSWER_BONUS when it holds an answer of the kind asked for (a date for "when" ...).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from bot.corpus.passages import exclaimed_names
from bot.corpus.tokens import tokenize
from bot.search.answer_types import AnswerType, holds_answer

# A sentence ends at . ! ? or … (then any closing quotes or brackets) before white space and a
# capital, digit, opening quote or bullet; a line break ends one too.
_SENTENCE_END = re.compile(r"(?<=[.!?…])(?P<close>[\"'”’)]*)\s+(?=[\"'“‘(]?[A-Z0-9£•])|\n+")
ANSWER_BONUS = 0.5


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, white space around it excluded."""
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() + len(match.group("close") or "")
        if text[:end].endswith(exclaimed_names()):  # "Stop It Now! Helpline" goes on
            continue
        if text[start:end].strip():
            bounds.append((start, end))
        start = match.end()
    if text[start:].strip():
        bounds.append((start, len(text.rstrip())))
    return bounds


def best_sentence(
    text: str, terms: Sequence[str], weight: Mapping[str, float], kind: AnswerType | None
) -> tuple[int, int] | None:
    """The span of the sentence of `text` that best answers a question of `terms`, or None
    when no sentence shares a word with it."""
    total = sum(weight.get(t, 0.0) for t in terms) or 1.0
    wanted = set(terms)
    best, best_score = None, 0.0
    for start, end in sentence_bounds(text):
        sentence = text[start:end]
        found = wanted.intersection(tokenize(sentence))
        if not found:
            continue
        score = sum(weight.get(t, 0.0) for t in found) / total + len(found) * 1e-6
        if kind is not None and holds_answer(kind, sentence):
            score += ANSWER_BONUS
        if score > best_score:
            best, best_score = (start, end), score
    return best


def sentence_share(text: str, terms: Mapping[str, float], found: Collection[str] | None = None) -> float:
    """The largest share of `terms`' weight that one sentence of `text` holds (0 to 1).
    `found`, those of `terms` the whole text holds when they are known, spares tokenizing a
    text of one sentence or of none of the terms, and reading on past a sentence holding them all."""
    total = sum(terms.values())
    if total <= 0 or (found is not None and not found):
        return 0.0
    bounds = sentence_bounds(text)
    if found is not None and len(bounds) == 1:
        return sum(terms[t] for t in set(found) if t in terms) / total
    every = None if found is None else set(found).intersection(terms)
    best = 0.0
    for start, end in bounds:
        words = set(tokenize(text[start:end]))
        best = max(best, sum(w for t, w in terms.items() if t in words) / total)
        if every is not None and every.issubset(words):
            break  # it holds all the text's terms: no sentence holds more (weights are not negative)
    return best
