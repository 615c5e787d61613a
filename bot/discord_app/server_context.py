"""What a command needs to know about the server it runs in: its settings, and where its
answers and votes are counted. Database failures never stop an answer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import discord

from bot.discord_app.answer_view import AnswerView
from bot.discord_app.shared import Host, shard_of
from bot.discord_app.views import Page, PagedView
from bot.search.answers import Answer
from bot.search.saved import default_cache_dir
from bot.servers import feedback
from bot.servers import settings as server_settings
from bot.servers.settings import ServerSettings
from bot.servers.store import Store, StoreError
from bot.settings import Settings

log = logging.getLogger(__name__)


def database_path(settings: Settings) -> Path:
    """DATABASE_PATH, else servers.sqlite3 beside the saved index's folder."""
    if settings.database_path is not None:
        return settings.database_path
    index = settings.index_dir or default_cache_dir(settings.articles_dir)
    return index.parent / "servers.sqlite3"


def open_store(settings: Settings) -> Store | None:
    """The servers' database, or None (logged in one line) if it can't be used: the bot then
    runs on the owner's defaults and records nothing, and the file is left as it is."""
    path = database_path(settings)
    try:
        store = Store.open(path)
    except StoreError as exc:
        log.warning("%s; running on the default settings and recording nothing", exc)
        return None
    log.info("database %s", path)
    return store


async def settings_for(bot: Host, interaction: discord.Interaction) -> ServerSettings:
    """The server's settings; the bot's defaults in a DM or when the database can't be read."""
    try:
        return await asyncio.to_thread(server_settings.load, bot.store, interaction.guild_id)
    except StoreError as exc:
        log.warning("%s; using the defaults", exc)
        return ServerSettings()


async def count_answer(bot: Host, interaction: discord.Interaction, result: Answer) -> None:
    """Count an answer (by the article it quotes first) or a declined question, in a server."""
    if bot.store is None or interaction.guild_id is None:
        return
    url = result.hits[0].passage.article.url if result.hits else None
    day = datetime.now(timezone.utc).date()
    try:
        await asyncio.to_thread(feedback.record_answer, bot.store, interaction.guild_id, day, url)
    except StoreError as exc:
        log.warning("answer not counted: %s", exc)


def answer_view(
    bot: Host, interaction: discord.Interaction, result: Answer, page: Callable[[int], Page], private: bool
) -> PagedView:
    """The buttons under an answer: paging and sharing, plus Helpful? votes when it quotes a passage."""
    count = max(len(result.hits), 1)
    if not result.hits:
        return PagedView(interaction.user.id, page, count, shareable=private)
    guild_id = interaction.guild_id

    async def vote(position: int, helpful: bool) -> bool:
        if bot.store is None or guild_id is None:
            return False
        passage = result.hits[position].passage
        day = datetime.now(timezone.utc).date()
        try:
            await asyncio.to_thread(
                feedback.record_vote, bot.store, guild_id, passage.article.url, passage.index, helpful, day
            )
        except StoreError as exc:
            log.warning("vote not stored: %s", exc)
            return False
        log.info("vote shard=%d helpful=%s", shard_of(interaction), helpful)
        return True

    return AnswerView(interaction.user.id, page, count, shareable=private, vote=vote)
