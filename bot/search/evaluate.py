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
    """Read a question set, raising ValueError that names the file, and the entry at fault."""
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a question set (not UTF-8 text)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ValueError(f"{path}: not a question set (YAML does not parse{where})") from None
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path}: not a question set (expected a non-empty YAML list of questions)")
    return [_question(path, number, entry) for number, entry in enumerate(entries, start=1)]


def _question(path: Path, number: int, entry: object) -> Question:
    if not isinstance(entry, dict) or not _is_text(entry.get("question")) or not str(entry["question"]).strip():
        raise ValueError(f"{path}: entry {number} has no `question`")
    text = str(entry["question"])
    if entry.get("answer") == "none":
        return Question(text, ())
    articles, contains, force = entry.get("article"), entry.get("contains"), entry.get("force")
    if not articles or not contains or not _texts(articles) or not _texts(contains):
        raise ValueError(
            f"{path}: entry {number} needs `article` (a file name or a list) and `contains` (or `answer: none`)"
        )
    if force is not None and not _is_text(force):
        raise ValueError(f"{path}: entry {number}: `force` must be a force's name")
    return Question(text, _as_tuple(articles), _as_tuple(contains), None if force is None else str(force))


def _is_text(value: object) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _texts(value: object) -> bool:
    return _is_text(value) or (isinstance(value, list) and all(_is_text(v) for v in value))


def _as_tuple(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


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
