"""The scheduled refresh of SOURCES_FILE and `/sources`.

Fetching runs in a worker thread (asyncio.to_thread), so the event loop keeps answering while
pages download; when a refresh adds or changes files, the library is rebuilt in a thread too and
swapped in one assignment, as /reload does. Nothing a source does can stop the loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app import embeds
from bot.discord_app.views import NO_MENTIONS
from bot.live.http import PoliteClient
from bot.live.refresh import Source, SourceStatus, describe, refresh
from bot.search.library import load_library

if TYPE_CHECKING:
    from bot.discord_app.client import NewsBot

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class SourceCommands(commands.Cog):
    def __init__(self, bot: NewsBot, sources: tuple[Source, ...]) -> None:
        self.bot = bot
        self.sources = sources
        self.statuses: tuple[SourceStatus, ...] = tuple(SourceStatus(s) for s in sources)
        self.next_due: datetime | None = None
        self._stop = threading.Event()
        self._task: asyncio.Task | None = None

    @property
    def interval(self) -> timedelta | None:
        minutes = self.bot.settings.refresh_minutes
        return timedelta(minutes=minutes) if minutes > 0 and self.sources else None

    async def cog_load(self) -> None:
        if self.interval is not None:
            self.next_due = _now()
            self._task = asyncio.create_task(self._schedule(), name="refresh sources")

    async def cog_unload(self) -> None:
        self._stop.set()  # a refresh in its thread stops waiting and requesting at once
        if self._task is not None:
            self._task.cancel()

    async def _schedule(self) -> None:
        """Refresh as soon as the bot is connected, then every REFRESH_MINUTES."""
        await self.bot.wait_until_ready()
        while not self._stop.is_set():
            await self.refresh_once()
            self.next_due = _now() + self.interval
            await asyncio.sleep(self.interval.total_seconds())

    async def refresh_once(self) -> None:
        settings = self.bot.settings
        client = PoliteClient(settings.fetch_contact, stop=self._stop)
        try:
            statuses, changed = await asyncio.to_thread(refresh, self.sources, settings.articles_dir, client)
            if statuses:
                self.statuses = statuses
            if changed and not self._stop.is_set():
                library = await asyncio.to_thread(
                    load_library, settings.articles_dir, settings.channels_file, index_dir=settings.index_dir
                )
                self.bot.library = library
                log.info("refresh: now %d articles, %d rejected file(s)", len(library.articles), len(library.problems))
        except Exception:  # the schedule goes on; the next refresh tries again
            log.exception("refresh failed")
        finally:
            client.close()
        failed = sum(1 for s in self.statuses if not s.ok)
        log.info("refresh: %d source(s), %d failed", len(self.statuses), failed)

    @app_commands.command(name="sources")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def sources_command(self, interaction: discord.Interaction) -> None:
        """Where articles are fetched from, and how the last fetch went (Manage Server only)."""
        now = _now()
        if not self.sources:
            text = (
                "No sources are set. List feeds in a YAML file, point `SOURCES_FILE` at it "
                "and set `REFRESH_MINUTES`."
            )
        else:
            lines = [
                f"{'✅' if s.ok else '⚠️'} {embeds.escape(s.source.url)}"
                + (f" ({embeds.escape(s.source.force)})" if s.source.force else "")
                + f"\n{embeds.escape(describe(s, now))}"
                for s in self.statuses
            ]
            if self.next_due is None:
                due = "Scheduled refresh is off (`REFRESH_MINUTES` is 0)."
            elif self.next_due <= now:
                due = "A refresh is running now."
            else:
                minutes = max(1, round((self.next_due - now).total_seconds() / 60))
                due = f"Next refresh in {minutes} min ({self.next_due:%H:%M} UTC)."
            text = "\n\n".join([due, *lines])
        await interaction.response.send_message(
            embed=embeds.message_embed("Sources", text), ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        log.info("command=sources sources=%d", len(self.sources))
