"""Hits as terminal text and as the JSON the command line prints."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import datetime

from bot.corpus.links import markdown_url
from bot.search.index import Hit

# ANSI escape sequences (CSI `ESC [ ... m`, OSC `ESC ] ... BEL`, and two-character ones), then
# any other C0 or C1 control character but newline and tab.
_CONTROLS = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?|\x9b[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?|\x1b[ -~]?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


_C1 = re.compile(r"[\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` without terminal control sequences, so an article cannot drive the terminal."""
    return _CONTROLS.sub("", text)


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
            f"   {markdown_url(article.url)}",
        ]
    )


def json_line(payload: object) -> str:
    """One line of JSON, non-ASCII kept readable but C1 controls written as \\u escapes (JSON
    already escapes C0): the same data, and nothing a terminal acts on."""
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(payload, ensure_ascii=False))


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
