"""Hits as terminal text and as the JSON the command line prints."""

from __future__ import annotations

import textwrap
from datetime import datetime

from bot.search.index import Hit


def published_label(date: datetime) -> str:
    """`8 April 2020`: day first, as UK readers expect."""
    return f"{date.day} {date:%B %Y}"


def hit_text(hit: Hit, width: int = 88) -> str:
    """A hit for a terminal: the quoted passage, then title, force, date and link."""
    article = hit.passage.article
    quoted: list[str] = []
    for line in hit.passage.text.split("\n"):
        quoted += textwrap.wrap(line, width - 5, initial_indent="   | ", subsequent_indent="   | ")
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
