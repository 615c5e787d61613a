"""The scheduled refresh of SOURCES_FILE and `/sources`.

Fetching runs in a worker thread (asyncio.to_thread), so the event loop keeps answering while
pages download; when a refresh adds or changes files, the library is rebuilt in a thread too and
swapped in one assignment, as /reload does. Nothing a source does can stop the loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Protocol

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.embeds import escape, message_embed
from bot.discord_app.shared import Host, log_done
from bot.discord_app.views import NO_MENTIONS
from bot.live.http import PoliteClient
from bot.live.refresh import Source, SourceStatus, describe, refresh
from bot.search.library import load_library

log = logging.getLogger(__name__)


class RefreshHost(Host, Protocol):
    """The bot as the refresh sees it (NewsBot)."""

    async def wait_until_ready(self) -> None: ...


def _now() -> datetime:
    return datetime.now(timezone.utc)


class SourcesCog(commands.Cog):
    def __init__(self, host: RefreshHost, sources: tuple[Source, ...]) -> None:
        self.host = host
        self.sources = sources
        self.statuses: tuple[SourceStatus, ...] = tuple(SourceStatus(s) for s in sources)
        self.next_due: datetime | None = None
        self._stop = threading.Event()
        self._task: asyncio.Task | None = None

    async def cog_load(self) -> None:
        minutes = self.host.settings.refresh_minutes
        if minutes > 0 and self.sources:
            self.next_due = _now()
            self._task = asyncio.create_task(self._schedule(timedelta(minutes=minutes)), name="refresh sources")

    async def cog_unload(self) -> None:
        self._stop.set()  # a refresh in its thread stops waiting and requesting at once
        if self._task is not None:
            self._task.cancel()

    async def _schedule(self, interval: timedelta) -> None:
        """Refresh as soon as the bot is connected, then every REFRESH_MINUTES."""
        await self.host.wait_until_ready()
        while not self._stop.is_set():
            await self.refresh_once()
            self.next_due = _now() + interval
            await asyncio.sleep(interval.total_seconds())

    async def refresh_once(self) -> None:
        settings = self.host.settings
        client = PoliteClient(settings.fetch_contact, stop=self._stop)
        try:
            statuses, changed = await asyncio.to_thread(refresh, self.sources, settings.articles_dir, client)
            if statuses:
                self.statuses = statuses
            if changed and not self._stop.is_set():
                library = await asyncio.to_thread(
                    load_library, settings.articles_dir, settings.channels_file, index_dir=settings.index_dir
                )
                self.host.library = library
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
        started, now = time.perf_counter(), _now()
        if not self.sources:
            text = (
                "No sources are set. List feeds in a YAML file, point `SOURCES_FILE` at it and set `REFRESH_MINUTES`."
            )
        else:
            lines = [
                f"{'✅' if s.ok else '⚠️'} {escape(s.source.url)}"
                + (f" ({escape(s.source.force)})" if s.source.force else "")
                + f"\n{escape(describe(s, now))}"
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
            embed=message_embed("Sources", text), ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        log_done(
            interaction, "sources", started, sources=len(self.sources), failed=sum(1 for s in self.statuses if not s.ok)
        )
