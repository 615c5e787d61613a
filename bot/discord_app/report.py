"""/report and /statement: where to report a concern, and what officers have said."""

from __future__ import annotations

import time

import discord
from discord import app_commands
from discord.ext import commands

from bot.corpus.forces import UnknownForce
from bot.discord_app.embeds import report_embed, statements_embed
from bot.discord_app.server_context import settings_for
from bot.discord_app.shared import Host, force_choices, log_done, pick_force, reply_privately
from bot.discord_app.views import NO_MENTIONS, Page, PagedView
from bot.safeguarding.services import report_services

TOPIC_LIMIT = 200
STATEMENTS_SHOWN = 5
MENTIONS_SHOWN = 5


def _topic(topic: str | None) -> str | None:
    return " ".join((topic or "").split())[:TOPIC_LIMIT] or None


class ReportCog(commands.Cog):
    def __init__(self, host: Host) -> None:
        self.host = host

    async def _show(self, interaction: discord.Interaction, page: Page, private: bool) -> None:
        view = PagedView(interaction.user.id, lambda _: page, 1, shareable=private)
        view.origin = interaction
        await interaction.edit_original_response(embed=page.embed, view=view, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="report")
    @app_commands.describe(topic="What the concern is about, e.g. online grooming, images, anonymous")
    async def report(
        self, interaction: discord.Interaction, topic: app_commands.Range[str, 0, TOPIC_LIMIT] | None = None
    ) -> None:
        """Where to report a concern about a child: services and the articles' own advice."""
        started = time.perf_counter()
        library, settings = self.host.library, self.host.settings
        topic = _topic(topic)
        server = await settings_for(self.host, interaction)
        private = server.private(settings.private_answers)
        await interaction.response.defer(ephemeral=private, thinking=True)
        services = report_services(topic, library.directory, library.router)
        mentions = library.channels.find(topic, k=MENTIONS_SHOWN)
        embed = report_embed(settings.emergency_line, topic, services, mentions, settings.footer, server.contacts)
        await self._show(interaction, Page(embed, [(c.name, c.web) for c in services if c.web]), private)
        log_done(interaction, "report", started, channels=len(services), mentions=len(mentions))

    @app_commands.command(name="statement")
    @app_commands.describe(force="Only this police force", topic="What the statement is about")
    async def statement(
        self,
        interaction: discord.Interaction,
        force: str | None = None,
        topic: app_commands.Range[str, 0, TOPIC_LIMIT] | None = None,
    ) -> None:
        """What the police have said: quoted statements with who said them."""
        started = time.perf_counter()
        try:
            force = pick_force(self.host, force)
        except UnknownForce as exc:
            await reply_privately(interaction, self.host, f"{exc}.", "Unknown force")
            return
        private = (await settings_for(self.host, interaction)).private(self.host.settings.private_answers)
        await interaction.response.defer(ephemeral=private, thinking=True)
        topic = _topic(topic)
        found = self.host.library.statements.find(topic, force=force, k=STATEMENTS_SHOWN)
        await self._show(interaction, Page(statements_embed(found, topic, force, self.host.settings.footer)), private)
        log_done(interaction, "statement", started, results=len(found))

    @statement.autocomplete("force")
    async def force_autocomplete(self, _: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return force_choices(self.host, current)
