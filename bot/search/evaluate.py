"""Measure answer quality on a question set: hit@1, hit@3 and MRR, overall and by kind.

Two formats are read. A YAML list (`tests/questions.yaml`): each entry names the question, the
article file its answer is in and words the answering passage must all contain (`contains`)
or one of which it must contain (`contains_any`); or
`answer: none` for a question the articles cannot answer, where the right behaviour is to say
so. JSON lines (`../shared/corpus/questions.jsonl`): one object a line with `q`, `accept_urls`,
`must_contain_any` (one of them must be in the passage), `kind`, and `unanswerable: true`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.search.index import Hit, Index

# A passage longer than this is not an answer anyone reads (the shared corpus's scorer agrees).
MAX_ANSWER_CHARS = 1000


@dataclass(frozen=True)
class Question:
    text: str
    articles: tuple[str, ...] = ()  # file names of the articles that answer it
    contains: tuple[str, ...] = ()  # all of these must be in the passage
    force: str | None = None
    urls: tuple[str, ...] = ()  # or: the addresses of the articles that answer it
    contains_any: tuple[str, ...] = ()  # and one of these must be in the passage
    kind: str = ""

    @property
    def answerable(self) -> bool:
        return bool(self.articles or self.urls)


@dataclass(frozen=True)
class Outcome:
    question: Question
    rank: int | None  # rank of the first correct hit; for no-answer questions 1 if none returned
    top: Hit | None


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]

    def _answerable(self, kind: str | None) -> list[Outcome]:
        return [o for o in self.outcomes if o.question.answerable and kind in (None, o.question.kind)]

    def answerable_count(self, kind: str | None = None) -> int:
        return len(self._answerable(kind))

    def hits_at(self, k: int, kind: str | None = None) -> int:
        return sum(1 for o in self._answerable(kind) if o.rank is not None and o.rank <= k)

    def hit_at(self, k: int, kind: str | None = None) -> float:
        return self.hits_at(k, kind) / max(self.answerable_count(kind), 1)

    def mrr_of(self, kind: str | None = None) -> float:
        answerable = self._answerable(kind)
        return sum(1 / o.rank for o in answerable if o.rank) / max(len(answerable), 1)

    @property
    def mrr(self) -> float:
        return self.mrr_of()

    @property
    def kinds(self) -> list[str]:
        """The kinds of the answerable questions, in the order they first appear."""
        return list(dict.fromkeys(o.question.kind for o in self._answerable(None) if o.question.kind))

    @property
    def declined(self) -> tuple[int, int]:
        """(declined, total) over the unanswerable questions."""
        unanswerable = [o for o in self.outcomes if not o.question.answerable]
        return sum(1 for o in unanswerable if o.rank == 1), len(unanswerable)

    @property
    def no_answer_accuracy(self) -> float | None:
        declined, total = self.declined
        return declined / total if total else None


def _strings(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(str(v) for v in value)  # type: ignore[union-attr]


def _yaml_questions(path: Path, text: str) -> list[Question]:
    entries = yaml.safe_load(text)
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path}: expected a non-empty YAML list of questions")
    questions = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not str(entry.get("question", "")).strip():
            raise ValueError(f"{path}: entry {number} has no `question`")
        kind = str(entry.get("kind", ""))
        if entry.get("answer") == "none":
            questions.append(Question(str(entry["question"]), kind=kind))
            continue
        if not entry.get("article") or not (entry.get("contains") or entry.get("contains_any")):
            raise ValueError(
                f"{path}: entry {number} needs `article` (a file name or a list) and `contains` "
                "(or `contains_any`, or `answer: none`)"
            )
        articles, contains = _strings(entry["article"]), _strings(entry.get("contains"))
        force, contains_any = entry.get("force"), _strings(entry.get("contains_any"))
        question = str(entry["question"])
        questions.append(Question(question, articles, contains, force, contains_any=contains_any, kind=kind))
    return questions


def _jsonl_questions(path: Path, text: str) -> list[Question]:
    questions = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: line {number} is not JSON ({exc.msg})") from None
        if not isinstance(entry, dict) or not str(entry.get("q", "")).strip():
            raise ValueError(f"{path}: line {number} has no `q`")
        kind = str(entry.get("kind", ""))
        if entry.get("unanswerable"):
            questions.append(Question(str(entry["q"]), kind=kind))
            continue
        urls, contains_any = _strings(entry.get("accept_urls")), _strings(entry.get("must_contain_any"))
        if not urls or not contains_any:
            raise ValueError(
                f"{path}: line {number} needs `accept_urls` and `must_contain_any` (or `unanswerable: true`)"
            )
        questions.append(Question(str(entry["q"]), urls=urls, contains_any=contains_any, kind=kind))
    if not questions:
        raise ValueError(f"{path}: no questions in the file")
    return questions


def load_questions(path: Path) -> list[Question]:
    """Read a question set (JSON lines if the file name ends in .jsonl, else YAML), raising
    ValueError that names the entry at fault."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return _jsonl_questions(path, text)
    return _yaml_questions(path, text)


def _same_url(url: str) -> str:
    return url.split("#", 1)[0].rstrip("/").lower()


def is_correct(hit: Hit, question: Question) -> bool:
    passage = hit.passage
    text = passage.text.lower()
    if len(passage.text) > MAX_ANSWER_CHARS:
        return False
    in_article = passage.article.name in question.articles or _same_url(passage.article.url) in {
        _same_url(u) for u in question.urls
    }
    has_words = all(w.lower() in text for w in question.contains)
    has_any = not question.contains_any or any(w.lower() in text for w in question.contains_any)
    return in_article and has_words and has_any


def evaluate(index: Index, questions: list[Question], k: int = 10) -> Report:
    outcomes = []
    for question in questions:
        hits = index.search(question.text, k=k, force=question.force)
        if not question.answerable:
            rank = None if hits else 1
        else:
            rank = next((hit.rank for hit in hits if is_correct(hit, question)), None)
        outcomes.append(Outcome(question, rank, hits[0] if hits else None))
    return Report(tuple(outcomes))


def report_lines(report: Report) -> list[str]:
    """The figures `python -m bot eval` prints: overall, then by kind, then unanswerable."""
    n = report.answerable_count()
    lines = [
        f"{n} answerable questions: hit@1 {report.hit_at(1):.3f}  hit@3 {report.hit_at(3):.3f}  MRR {report.mrr:.3f}"
        f"  ({report.hits_at(1)}/{n} at rank 1, {report.hits_at(3)}/{n} in the top 3)"
    ]
    for kind in report.kinds:
        m = report.answerable_count(kind)
        lines.append(
            f"  kind={kind}: hit@1 {report.hits_at(1, kind)}/{m}  hit@3 {report.hits_at(3, kind)}/{m}  "
            f"MRR {report.mrr_of(kind):.3f}"
        )
    declined, total = report.declined
    if total:
        lines.append(f"{total} unanswerable: said so for {declined / total:.3f} ({declined}/{total} declined)")
    return lines
