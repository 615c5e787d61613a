"""/articles and /help: what the bot knows."""

from __future__ import annotations

import logging
import time

import discord
from discord import app_commands
from discord.ext import commands

from bot.corpus.forces import UnknownForce
from bot.discord_app.embeds import articles_embed, help_embed
from bot.discord_app.shared import Host, force_choices, log_done, pick_force, reply_privately
from bot.discord_app.views import NO_MENTIONS, Page, PagedView

log = logging.getLogger("bot.discord_app")

ARTICLES_PER_PAGE = 10


class AboutCog(commands.Cog):
    def __init__(self, host: Host) -> None:
        self.host = host

    @app_commands.command(name="articles")
    @app_commands.describe(force="Only this police force")
    async def articles(self, interaction: discord.Interaction, force: str | None = None) -> None:
        """The articles the bot answers from, newest first."""
        started = time.perf_counter()
        try:
            force = pick_force(self.host, force)
        except UnknownForce as exc:
            await reply_privately(interaction, self.host, f"{exc}.", "Unknown force")
            return
        listed = [a for a in self.host.library.articles if force is None or a.force == force]
        pages = max(1, -(-len(listed) // ARTICLES_PER_PAGE))

        def page(number: int) -> Page:
            chunk = listed[number * ARTICLES_PER_PAGE : (number + 1) * ARTICLES_PER_PAGE]
            return Page(articles_embed(chunk, total=len(listed), page=number, pages=pages, force=force))

        view = PagedView(interaction.user.id, page, pages)
        await interaction.response.send_message(
            embed=page(0).embed, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        view.origin = interaction
        log_done(interaction, "articles", started, results=len(listed))

    @articles.autocomplete("force")
    async def force_autocomplete(self, _: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return force_choices(self.host, current)

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction) -> None:
        """What this bot does and how to use it."""
        started = time.perf_counter()
        settings = self.host.settings
        embed = help_embed(self.host.library, settings.emergency_line, settings.footer)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)
        log_done(interaction, "help", started)
