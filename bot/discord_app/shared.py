"""What the command handlers share: the bot state they read, private replies, and force options."""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol

import discord
from discord import app_commands

from bot.corpus.forces import resolve_force, suggest_forces
from bot.discord_app.embeds import message_embed
from bot.discord_app.views import NO_MENTIONS
from bot.search.library import Library
from bot.servers.store import Store
from bot.settings import Settings

log = logging.getLogger("bot.discord_app")


class Host(Protocol):
    """The bot as handlers see it (NewsBot): /reload replaces `library` in one assignment."""

    settings: Settings
    library: Library
    store: Store | None  # the servers' database; None when it can't be used

    @property
    def tree(self) -> app_commands.CommandTree[Any]: ...


def shard_of(interaction: discord.Interaction) -> int:
    """The shard a server's events come through: Discord's (guild_id >> 22) % shard_count."""
    count = interaction.client.shard_count or 1
    return (interaction.guild_id >> 22) % count if interaction.guild_id else 0


async def reply_privately(interaction: discord.Interaction, host: Host, text: str, title: str = "Sorry") -> None:
    """A short private message of the bot's own, whether or not the interaction was deferred."""
    embed = message_embed(title, text, host.settings.footer)
    if interaction.response.is_done():
        await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)


def pick_force(host: Host, force: str | None) -> str | None:
    """The loaded force `force` names, None for none; raises UnknownForce."""
    return None if force is None or not force.strip() else resolve_force(force, host.library.forces)


def force_choices(host: Host, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=f[:100], value=f[:100]) for f in suggest_forces(current, host.library.forces)]


def log_done(interaction: discord.Interaction, command: str, started: float, **counts: int) -> None:
    """The one log line per answered command: its shard, counts and latency, never the question."""
    shown = " ".join(f"{key}={value}" for key, value in {"shard": shard_of(interaction), **counts}.items())
    log.info("command=%s %s latency_ms=%.0f", command, shown, (time.perf_counter() - started) * 1000)
