"""Measure answer quality on a question set (see questions.py): hit@1, hit@3 and MRR, overall
and by kind, and the share of unanswerable questions declined."""

from __future__ import annotations

from dataclasses import dataclass

from bot.search.index import Hit, Index
from bot.search.questions import Question, load_questions

__all__ = ["Outcome", "Question", "Report", "evaluate", "is_correct", "load_questions", "report_lines"]

# A passage longer than this is not an answer anyone reads (the shared corpus's scorer agrees).
MAX_ANSWER_CHARS = 1000


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
