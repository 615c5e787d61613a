"""`/settings` and `/stats`: a server's own settings and use, for members with Manage Server."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import datetime, timezone

import discord
from discord import app_commands
from discord.ext import commands

from bot.corpus.forces import suggest_forces
from bot.discord_app import embeds
from bot.discord_app.server_embeds import settings_embed, stats_embed
from bot.discord_app.shared import Host, shard_of
from bot.discord_app.views import NO_MENTIONS
from bot.servers import settings as server_settings
from bot.servers import stats
from bot.servers.settings import InvalidSetting, ServerSettings
from bot.servers.store import StoreError

log = logging.getLogger(__name__)


class SettingsCog(commands.Cog):
    def __init__(self, host: Host) -> None:
        self.host = host

    async def _private(self, interaction: discord.Interaction, embed: discord.Embed) -> None:
        if interaction.response.is_done():
            await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    def _changes(
        self,
        current: ServerSettings,
        default_force: str | None,
        private_answers: bool | None,
        stale_after_months: int | None,
        contacts: tuple[str | None, ...],
    ) -> tuple[ServerSettings, list[str], list[str]]:
        """The settings with the given values applied, what changed, and what was refused."""
        new, changed, refused = current, [], []
        try:
            if default_force is not None:
                new = replace(new, default_force=server_settings.check_force(default_force, self.host.library.forces))
                changed.append("default force")
            if stale_after_months is not None:
                new = replace(new, stale_after_months=server_settings.check_stale_months(stale_after_months))
                changed.append("staleness")
        except InvalidSetting as exc:
            refused.append(str(exc))
        if private_answers is not None:
            new = replace(new, private_answers=private_answers)
            changed.append("private answers")
        for number, line in enumerate(contacts, 1):
            if line is None:
                continue
            try:
                new = server_settings.with_contact(new, number, server_settings.check_contact(line, number))
                changed.append(f"contact line {number}")
            except InvalidSetting as exc:
                refused.append(str(exc))
        return new, changed, refused

    @app_commands.command(name="settings")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.describe(
        default_force="The force /ask searches unless the question names another; `all` for all forces",
        private_answers="Whether answers are shown only to the asker",
        stale_after_months="Answers from articles older than this many months (1 to 120) say details may have changed",
        contact_1="A local contact line /report shows after the emergency line; `-` removes it",
        contact_2="A second local contact line; `-` removes it",
        contact_3="A third local contact line; `-` removes it",
    )
    async def settings(
        self,
        interaction: discord.Interaction,
        default_force: str | None = None,
        private_answers: bool | None = None,
        stale_after_months: int | None = None,
        contact_1: str | None = None,
        contact_2: str | None = None,
        contact_3: str | None = None,
    ) -> None:
        """Show or change this server's settings (Manage Server only)."""
        store, guild = self.host.store, interaction.guild_id
        if guild is None:  # guild_only: Discord never sends it from a DM
            return
        contacts = (contact_1, contact_2, contact_3)
        wants_change = any(v is not None for v in (default_force, private_answers, stale_after_months, *contacts))
        try:
            current = await asyncio.to_thread(server_settings.load, store, guild)
        except StoreError as exc:
            log.warning("%s", exc)
            current = ServerSettings()
        if wants_change and store is None:
            why = "Nothing was changed: the settings database could not be opened (the bot's log says why)."
            await self._private(interaction, settings_embed(current, self.host.settings, note=why))
            return
        new, changed, refused = self._changes(current, default_force, private_answers, stale_after_months, contacts)
        if refused:
            text = "Nothing was changed.\n" + "\n".join(f"• {reason}" for reason in refused)
            await self._private(interaction, embeds.message_embed("Settings not changed", text))
            return
        note = None
        if changed and store is not None:
            try:
                await asyncio.to_thread(server_settings.save, store, guild, new)
            except (StoreError, InvalidSetting) as exc:
                log.warning("settings not saved: %s", exc)
                changed, new, note = [], current, "Nothing was changed: the settings could not be saved. Try again."
        await self._private(interaction, settings_embed(new, self.host.settings, changed=changed, note=note))
        log.info("command=settings shard=%d changed=%d", shard_of(interaction), len(changed))

    @settings.autocomplete("default_force")
    async def force_autocomplete(self, _: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        forces = suggest_forces(current, self.host.library.forces, limit=24)
        choices = [app_commands.Choice(name=f[:100], value=f[:100]) for f in forces]
        return [app_commands.Choice(name="All forces", value="all"), *choices]

    @app_commands.command(name="stats")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def stats(self, interaction: discord.Interaction) -> None:
        """Questions answered, votes, and what to add or fix, for the last 7 and 30 days (Manage Server only)."""
        store, guild = self.host.store, interaction.guild_id
        if guild is None:  # guild_only
            return
        if store is None:
            text = "No use is recorded: the database could not be opened (the bot's log says why)."
            await self._private(interaction, embeds.message_embed("No statistics", text))
            return
        today = datetime.now(timezone.utc).date()
        try:
            week = await asyncio.to_thread(stats.summary, store, guild, today, 7)
            month = await asyncio.to_thread(stats.summary, store, guild, today, 30)
        except StoreError as exc:
            log.warning("%s", exc)
            await self._private(interaction, embeds.message_embed("No statistics", "The database could not be read."))
            return
        await self._private(interaction, stats_embed(week, month, self.host.library))
        log.info("command=stats shard=%d", shard_of(interaction))
