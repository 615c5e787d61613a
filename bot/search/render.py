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


# The answer sentence is marked with two private-use characters, which `printable` keeps; the
# stream that writes to a terminal turns them into ANSI bold (see `styled`), any other drops them.
BOLD_ON, BOLD_OFF = "\ue000", "\ue001"
_ANSI = {BOLD_ON: "\x1b[1m", BOLD_OFF: "\x1b[0m"}
_MARKS = re.compile(f"[{BOLD_ON}{BOLD_OFF}]")


def styled(text: str, ansi: bool) -> str:
    """`text` with its bold marks as ANSI bold (`ansi`) or without them."""
    return _MARKS.sub(lambda m: _ANSI[m.group()] if ansi else "", text)


def _wrapped(text: str, width: int, answer: tuple[int, int] | None) -> list[str]:
    """`text` wrapped to `width`, the `answer` span between bold marks if given."""
    lines, offset = [], 0
    for paragraph in text.split("\n"):
        position = offset
        for line in textwrap.wrap(paragraph, width) or [""]:
            start = text.find(line, position)
            end = position = max(start, position) + len(line)
            if answer and start >= 0 and answer[0] < end and answer[1] > start:
                a, b = max(answer[0], start) - start, min(answer[1], end) - start
                line = f"{line[:a]}{BOLD_ON}{line[a:b]}{BOLD_OFF}{line[b:]}"
            lines.append(line)
        offset += len(paragraph) + 1
    return lines


def hit_text(hit: Hit, width: int = 88, *, highlight: bool = False) -> str:
    """A hit for a terminal: the quoted passage, then title, force, date and link. With
    `highlight`, the sentence that best answers is between bold marks (see `styled`)."""
    article = hit.passage.article
    text = _MARKS.sub("", hit.passage.text)  # an article's own marks would unbalance ours
    quoted = [f"   | {line}" for line in _wrapped(text, width - 5, hit.answer if highlight else None)]
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
