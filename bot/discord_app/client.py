"""The Discord bot: start-up, command sync, error boundary, and shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Mapping
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.about import AboutCog
from bot.discord_app.admin import AdminCog
from bot.discord_app.ask import AskCog
from bot.discord_app.report import ReportCog
from bot.discord_app.server_commands import SettingsCog
from bot.discord_app.server_context import open_store
from bot.discord_app.sources import SourcesCog
from bot.discord_app.views import NO_MENTIONS, reply_failure
from bot.live.refresh import Source, load_sources
from bot.search.library import Library, load_library
from bot.servers.store import Store
from bot.settings import Settings

log = logging.getLogger("bot")

LOGIN_REJECTED = "Discord rejected the token in DISCORD_TOKEN; reset it in the Developer Portal"
# Gateway close codes that mean "do not reconnect" (https://discord.com/developers/docs/topics/opcodes-and-status-codes)
GATEWAY_REFUSALS = {
    4004: LOGIN_REJECTED,
    4010: "Discord closed the connection with 4010 (invalid shard): the bot sent a shard it does not have",
    4011: "Discord closed the connection with 4011 (sharding required): the bot is in too many servers for one "
    "connection",
    4012: "Discord closed the connection with 4012 (invalid API version): upgrade discord.py",
    4013: "Discord closed the connection with 4013 (invalid intents): the bot asked for an unknown intent",
    4014: "Discord closed the connection with 4014 (disallowed intents): the bot asked for a privileged intent it is "
    "not allowed; this bot needs none",
}


def refusal_message(code: int) -> str:
    """One line for a gateway close that ends the bot."""
    return GATEWAY_REFUSALS.get(code, f"Discord closed the connection with {code}")


def command_signature(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of a command payload that a sync changes, with Discord's defaults filled in,
    so the commands Discord has can be compared with ours."""
    keep = (
        "type",
        "name",
        "description",
        "required",
        "choices",
        "autocomplete",
        "min_length",
        "max_length",
        "min_value",
        "max_value",
        "channel_types",
    )
    signature = {key: payload[key] for key in keep if payload.get(key) not in (None, False, [], "")}
    signature.setdefault("type", 1)
    if payload.get("default_member_permissions") not in (None, "0", 0):
        signature["default_member_permissions"] = str(payload["default_member_permissions"])
    if payload.get("contexts"):
        signature["contexts"] = sorted(payload["contexts"])
    if payload.get("options"):
        signature["options"] = [command_signature(option) for option in payload["options"]]
    return signature


class NewsBot(commands.AutoShardedBot):
    """Holds the settings, the current Library and the servers' database (None when it can't be
    used); /reload swaps `library` in one assignment. Runs SHARD_IDS of SHARD_COUNT shards, all
    of them without SHARD_IDS, or as many as Discord recommends without SHARD_COUNT."""

    def __init__(
        self,
        settings: Settings,
        library: Library,
        *,
        store: Store | None = None,
        sync_only: bool = False,
        sources: tuple[Source, ...] = (),
    ) -> None:
        shards: dict[str, Any] = {"shard_count": settings.shard_count}
        if settings.shard_ids:
            shards["shard_ids"] = list(settings.shard_ids)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            allowed_mentions=NO_MENTIONS,
            help_command=None,
            **shards,
        )
        self.settings = settings
        self.library = library
        self.store = store
        self.sync_only = sync_only
        self.sources = sources  # SOURCES_FILE's, for the scheduled refresh
        self.tree.error(self.on_app_command_error)

    async def setup_hook(self) -> None:
        for cog in (AskCog, ReportCog, AboutCog, AdminCog, SettingsCog):
            await self.add_cog(cog(self))
        await self.add_cog(SourcesCog(self, () if self.sync_only else self.sources))
        if self.sync_only:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))
        elif self.settings.guild_id:
            guild = discord.Object(id=self.settings.guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to server %s", len(synced), self.settings.guild_id)
        else:
            await self.sync_global_if_changed()

    async def sync_global_if_changed(self) -> bool:
        """Sync globally only when Discord's commands differ from ours: global syncs are rate-limited."""
        # The raw payloads, not AppCommand.to_dict(), which leaves out default_member_permissions.
        if self.application_id is None:  # set by login, which runs before setup_hook
            raise RuntimeError("sync_global_if_changed() needs a logged-in client")
        payloads = await self.http.get_global_commands(self.application_id)
        remote = sorted((command_signature(c) for c in payloads), key=lambda s: (s["type"], s["name"]))
        local = sorted(
            (command_signature(c.to_dict(self.tree)) for c in self.tree.get_commands()),
            key=lambda s: (s["type"], s["name"]),
        )
        if remote == local:
            log.info("global commands are up to date; not syncing")
            return False
        synced = await self.tree.sync()
        log.info("global commands changed; synced %d", len(synced))
        return True

    async def on_ready(self) -> None:
        shards = ",".join(str(i) for i in sorted(self.shards)) or "0"
        log.info(
            "connected as %s (id %s) to %d server(s) on shard(s) %s of %d",
            self.user,
            getattr(self.user, "id", "?"),
            len(self.guilds),
            shards,
            self.shard_count or 1,
        )

    async def on_app_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """One error boundary: a polite private reply for the user, the traceback for the log, and one
        line (never the question, the token or Discord's error text) when Discord refused a reply."""
        name = interaction.command.name if interaction.command else "?"
        original = getattr(error, "original", error)
        if isinstance(original, discord.HTTPException):
            log.warning(reply_failure("command", name, original))
            return
        if isinstance(error, app_commands.CommandOnCooldown):
            text = f"You're asking quickly. Please wait {error.retry_after:.0f} seconds and try again."
        elif isinstance(error, app_commands.MissingPermissions):
            text = "Only members with the Manage Server permission can do that."
        elif isinstance(error, app_commands.NoPrivateMessage):
            text = "That command only works in a server."
        elif isinstance(error, app_commands.CheckFailure):
            text = "You can't use that command here."
        else:
            log.error("command %s failed", name, exc_info=error)
            text = "Sorry, something went wrong on my side. Please try again in a moment."
        embed = discord.Embed(description=text, colour=discord.Colour.orange())
        try:
            if interaction.response.is_done():
                await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            log.warning(reply_failure("command", name, exc))


async def serve(bot: NewsBot, token: str) -> None:
    """Run until closed or until SIGINT/SIGTERM, then close the connection cleanly."""
    loop = asyncio.get_running_loop()
    closing: list[asyncio.Task] = []

    def stop(sig: signal.Signals) -> None:
        log.info("received %s, closing", sig.name)
        closing.append(asyncio.ensure_future(bot.close()))

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows, or not the main thread
            loop.add_signal_handler(sig, stop, sig)
    async with bot:
        if bot.sync_only:
            await bot.login(token)  # login runs setup_hook, which syncs
        else:
            await bot.start(token)


def run_bot(settings: Settings, *, force_sync: bool = False) -> int:
    """`python -m bot run` / `python -m bot sync`: exit status 0, or 1 if Discord refused us."""
    token = settings.require_token()
    discord.utils.setup_logging(level=logging.INFO)
    sources = load_sources(settings.sources_file) if settings.sources_file else ()  # a mistake stops the start
    library = load_library(settings.articles_dir, settings.channels_file, index_dir=settings.index_dir, progress=True)
    library.index.search("police")  # compiles the ranking kernel now, not during the first question
    log.info(
        "loaded %d articles (%d passages), %d rejected file(s)",
        len(library.articles),
        len(library.index.passages),
        len(library.problems),
    )
    for problem in library.problems:
        log.warning("rejected %s", problem)
    store = None if force_sync else open_store(settings)
    bot = NewsBot(settings, library, store=store, sync_only=force_sync, sources=sources)
    try:
        asyncio.run(serve(bot, token))
    except discord.LoginFailure:
        reason = LOGIN_REJECTED
    except discord.PrivilegedIntentsRequired:
        reason = refusal_message(4014)
    except discord.ConnectionClosed as exc:
        reason = refusal_message(exc.code)
    else:
        return 0
    finally:
        if store is not None:
            store.close()
    print(f"error: {reason}", file=sys.stderr)
    return 1
