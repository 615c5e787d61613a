"""What an answer carries besides its passages: fitting reporting channels, age notices, and
links into the article. No Discord here: the adapter renders these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.corpus.fragments import text_fragment_url
from bot.safeguarding.directory import Channel
from bot.safeguarding.router import is_safeguarding
from bot.search.index import Hit
from bot.search.library import Library

MAX_HITS = 5


@dataclass(frozen=True)
class Answer:
    question: str
    hits: tuple[Hit, ...]
    channels: tuple[Channel, ...]  # where to report, when the question is about that


def answer(library: Library, question: str, force: str | None = None) -> Answer:
    """The best passages for `question`, and the reporting channels that fit it when it is about
    abuse, exploitation or reporting, or when no passage matches. Raises UnknownForce."""
    hits = tuple(library.index.search(question, k=MAX_HITS, force=force))
    wants_channels = not hits or is_safeguarding(question)
    channels = tuple(library.router.route(question)) if wants_channels else ()
    return Answer(question, hits, channels)


def months_between(earlier: datetime, later: datetime) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def stale_notice(published: datetime, now: datetime, stale_after_months: int) -> str | None:
    """A warning for an article older than the configured age, else None."""
    age = months_between(published, now)
    if age < stale_after_months:
        return None
    years, months = divmod(age, 12)
    if years:
        span = f"{years} year{'s' * (years > 1)}" + (f" {months} month{'s' * (months > 1)}" if months else "")
    else:
        span = f"{months} month{'s' * (months > 1)}"
    return (
        f"This article is {span} old. Details such as phone numbers and web addresses may have "
        "changed: check the force's website."
    )


def context_link(hit: Hit) -> str:
    """The article url scrolled to the quoted passage (a text fragment)."""
    passage = hit.passage
    return text_fragment_url(passage.article.url, passage.article.body, passage.start, passage.end)
