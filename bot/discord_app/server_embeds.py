"""Embeds for `/settings` and `/stats`, and the look-ups they need. Plain functions."""

from __future__ import annotations

from collections.abc import Sequence

import discord
import numpy as np

from bot.corpus.passages import Passage
from bot.discord_app.embeds import add_fields_within, escape, fit, message_embed
from bot.search.answers import context_link
from bot.search.index import Hit
from bot.search.library import Library
from bot.servers.settings import MAX_CONTACTS, ServerSettings
from bot.servers.stats import Summary
from bot.settings import Settings


def passage_at(library: Library, url: str, position: int) -> Passage | None:
    """The passage at `position` in the article at `url`, if that article is still loaded."""
    articles = library.articles
    number = next((i for i, article in enumerate(articles) if article.url == url), None)
    if number is None:
        return None
    passages = library.index.passages
    ids = np.flatnonzero(np.asarray(passages.article_of) == number)
    return passages[int(ids[position])] if 0 <= position < len(ids) else None


def settings_embed(
    server: ServerSettings, owner: Settings, *, changed: Sequence[str] = (), note: str | None = None
) -> discord.Embed:
    """What a server's settings are now, each unset value shown as the bot's default."""
    lines = [f"Changed: {', '.join(changed)}." if changed else "Change a value with the options of `/settings`."]
    if note:
        lines.append(note)
    embed = message_embed("Settings for this server", "\n".join(lines))
    default = " (the bot's default)"
    private = server.private(owner.private_answers)
    add_fields_within(
        embed,
        [
            ("Default force", escape(server.default_force) if server.default_force else "All forces"),
            (
                "Answers",
                ("Private to the asker" if private else "Public in the channel")
                + (default if server.private_answers is None else ""),
            ),
            (
                "Staleness note after",
                f"{server.stale_months(owner.stale_after_months)} months"
                + (default if server.stale_after_months is None else ""),
            ),
            (
                f"Local contacts on /report (up to {MAX_CONTACTS})",
                "\n".join(f"{n}. {escape(line)}" for n, line in enumerate(server.contacts, 1)) or "None",
            ),
        ],
    )
    return embed


def _passage_link(library: Library, url: str, position: int) -> str:
    passage = passage_at(library, url, position)
    if passage is None:
        return f"<{url}> passage {position + 1} (no longer loaded)"
    title = escape(fit(passage.article.title, 80))
    try:
        link = context_link(Hit(passage, 0.0, 0, frozenset()))
    except ValueError:
        link = url
    return f"[{title}]({link}) passage {position + 1}: “{escape(fit(passage.text, 90))}”"


def _article_link(library: Library, url: str) -> str:
    article = next((a for a in library.articles if a.url == url), None)
    return f"[{escape(fit(article.title, 100))}]({url})" if article else f"<{url}> (no longer loaded)"


def stats_embed(week: Summary, month: Summary, library: Library) -> discord.Embed:
    """Use over the last 7 and 30 days: counts, votes, the articles answered from most, and the
    passages voted down most, with links to them."""
    embed = message_embed(
        "How this server uses the bot",
        "Counts only: questions are never stored, and votes are not linked to anyone.",
        "Votes come from the Helpful? buttons under each answer.",
    )
    for summary in (week, month):
        embed.add_field(
            name=f"Last {summary.days} days",
            value=(
                f"Questions answered: **{summary.answered}**\nNo matching passage: **{summary.declined}**\n"
                f"Voted helpful: **{summary.helpful}**\nVoted not helpful: **{summary.not_helpful}**"
            ),
        )
    add_fields_within(
        embed,
        [
            (
                f"Answered from most (last {month.days} days)",
                "\n".join(f"{n}× {_article_link(library, url)}" for url, n in month.top_articles) or "No answers yet.",
            ),
            (
                f"Voted not helpful most (last {month.days} days)",
                "\n".join(f"{n}× {_passage_link(library, url, position)}" for url, position, n in month.voted_down)
                or "No passage voted down.",
            ),
        ],
    )
    return embed
