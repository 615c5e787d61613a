"""/reload: re-read the articles folder, for members with Manage Server."""

from __future__ import annotations

import asyncio
import time

import discord
from discord import app_commands
from discord.ext import commands

from bot.corpus.articles import FolderError
from bot.discord_app.embeds import reload_embed
from bot.discord_app.shared import Host, log_done, reply_privately
from bot.discord_app.views import NO_MENTIONS
from bot.search.library import load_library


class AdminCog(commands.Cog):
    def __init__(self, host: Host) -> None:
        self.host = host

    @app_commands.command(name="reload")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def reload(self, interaction: discord.Interaction) -> None:
        """Re-read the articles folder (Manage Server only)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        started = time.perf_counter()
        settings = self.host.settings
        try:
            library = await asyncio.to_thread(
                load_library, settings.articles_dir, settings.channels_file, index_dir=settings.index_dir
            )
        except (FolderError, ValueError) as exc:
            await reply_privately(interaction, self.host, f"Nothing was changed: {exc}", "Reload failed")
            return
        self.host.library = library
        await interaction.followup.send(embed=reload_embed(library), ephemeral=True, allowed_mentions=NO_MENTIONS)
        log_done(interaction, "reload", started, articles=len(library.articles), rejected=len(library.problems))
