"""Hits as terminal text and as the JSON the command line prints."""

from __future__ import annotations

import textwrap
from datetime import datetime

from bot.search.index import Hit


def published_label(date: datetime) -> str:
    """`8 April 2020`: day first, as UK readers expect."""
    return f"{date.day} {date:%B %Y}"


BOLD, PLAIN = "\x1b[1m", "\x1b[0m"


def _wrapped(text: str, width: int, answer: tuple[int, int] | None) -> list[str]:
    """`text` wrapped to `width`, the `answer` span in bold (ANSI) if given."""
    lines, offset = [], 0
    for paragraph in text.split("\n"):
        position = offset
        for line in textwrap.wrap(paragraph, width) or [""]:
            start = text.find(line, position)
            end = position = max(start, position) + len(line)
            if answer and start >= 0 and answer[0] < end and answer[1] > start:
                a, b = max(answer[0], start) - start, min(answer[1], end) - start
                line = f"{line[:a]}{BOLD}{line[a:b]}{PLAIN}{line[b:]}"
            lines.append(line)
        offset += len(paragraph) + 1
    return lines


def hit_text(hit: Hit, width: int = 88, *, highlight: bool = False) -> str:
    """A hit for a terminal: the quoted passage, then title, force, date and link. With
    `highlight` (a terminal that shows ANSI styles), the sentence that best answers is bold."""
    article = hit.passage.article
    quoted = [f"   | {line}" for line in _wrapped(hit.passage.text, width - 5, hit.answer if highlight else None)]
    return "\n".join(
        [
            f"{hit.rank}. {article.title}",
            *quoted,
            f"   {article.force} · {published_label(article.published)} · score {hit.score:.2f}",
            f"   {article.url}",
        ]
    )


def hit_json(hit: Hit) -> dict:
    article = hit.passage.article
    return {
        "rank": hit.rank,
        "score": round(hit.score, 6),
        "text": hit.passage.text,
        "answer_span": list(hit.answer) if hit.answer else None,
        "title": article.title,
        "url": article.url,
        "force": article.force,
        "published": article.published.isoformat(),
        "article": article.name,
    }


def no_answer_text(question: str, n_articles: int) -> str:
    return (
        f"No passage in the {n_articles} loaded articles matches {question!r}. "
        "Try other words (for example 'report', 'online', 'grooming'), or fewer of them."
    )
