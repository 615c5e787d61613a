"""Measure answer quality on a question set: hit@1, hit@3 and MRR.

A question set is a YAML list. Each entry names the question, the article file its answer is in
and words the answering passage must contain; or `answer: none` for a question the articles
cannot answer, where the right behaviour is to say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.search.index import Hit, Index


@dataclass(frozen=True)
class Question:
    text: str
    articles: tuple[str, ...]  # file names of the articles that answer it; empty: no answer expected
    contains: tuple[str, ...] = ()
    force: str | None = None


@dataclass(frozen=True)
class Outcome:
    question: Question
    rank: int | None  # rank of the first correct hit; for no-answer questions 1 if none returned
    top: Hit | None


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]

    def _answerable(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.question.articles]

    def hit_at(self, k: int) -> float:
        answerable = self._answerable()
        return sum(1 for o in answerable if o.rank is not None and o.rank <= k) / max(len(answerable), 1)

    @property
    def mrr(self) -> float:
        answerable = self._answerable()
        return sum(1 / o.rank for o in answerable if o.rank) / max(len(answerable), 1)

    @property
    def no_answer_accuracy(self) -> float | None:
        unanswerable = [o for o in self.outcomes if not o.question.articles]
        if not unanswerable:
            return None
        return sum(1 for o in unanswerable if o.rank == 1) / len(unanswerable)


def load_questions(path: Path) -> list[Question]:
    """Read a question set, raising ValueError that names the entry at fault."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path}: expected a non-empty YAML list of questions")
    questions = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not str(entry.get("question", "")).strip():
            raise ValueError(f"{path}: entry {number} has no `question`")
        if entry.get("answer") == "none":
            questions.append(Question(str(entry["question"]), ()))
            continue
        if not entry.get("article") or not entry.get("contains"):
            raise ValueError(
                f"{path}: entry {number} needs `article` (a file name or a list) and `contains` (or `answer: none`)"
            )
        contains = entry["contains"]
        contains = (contains,) if isinstance(contains, str) else tuple(str(c) for c in contains)
        articles = entry["article"]
        articles = (articles,) if isinstance(articles, str) else tuple(str(a) for a in articles)
        questions.append(Question(str(entry["question"]), articles, contains, entry.get("force")))
    return questions


def is_correct(hit: Hit, question: Question) -> bool:
    text = hit.passage.text.lower()
    return hit.passage.article.name in question.articles and all(w.lower() in text for w in question.contains)


def evaluate(index: Index, questions: list[Question], k: int = 10) -> Report:
    outcomes = []
    for question in questions:
        hits = index.search(question.text, k=k, force=question.force)
        if not question.articles:
            rank = None if hits else 1
        else:
            rank = next((hit.rank for hit in hits if is_correct(hit, question)), None)
        outcomes.append(Outcome(question, rank, hits[0] if hits else None))
    return Report(tuple(outcomes))
