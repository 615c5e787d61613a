"""A tiny discord.py bot for checking the fake Discord: /echo (autocomplete, an owner-only button,
a deferred ephemeral path), a "Quote message" context menu, and /settings (Manage Guild only)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import discord
from discord import app_commands
from discord.ext import commands
from fake_discord import FakeDiscord

TOKEN = "test-token"


class OwnerOnlyView(discord.ui.View):
    def __init__(self, owner_id: int) -> None:
        super().__init__(timeout=60)
        self.owner_id = owner_id

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message("This button is not for you.", ephemeral=True)
            return False
        return True

    @discord.ui.button(label="Shout", custom_id="echo:shout", style=discord.ButtonStyle.primary)
    async def shout(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        assert interaction.message is not None
        await interaction.response.edit_message(content=interaction.message.content.upper(), view=None)
        self.stop()


WORDS = ["hello", "help", "world"] + [f"word{i}" for i in range(40)]


@app_commands.command(name="echo", description="Repeat some text")
@app_commands.describe(text="What to repeat", private="Only show it to you")
async def echo(interaction: discord.Interaction, text: str, private: bool = False) -> None:
    if private:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send(f"(quietly) {text}")
        await interaction.followup.send("second follow-up", ephemeral=True)
        return
    await interaction.response.send_message(
        text, view=OwnerOnlyView(interaction.user.id), allowed_mentions=discord.AllowedMentions.none()
    )


@echo.autocomplete("text")
async def echo_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=w, value=w) for w in WORDS if w.startswith(current)][:25]


@app_commands.context_menu(name="Quote message")
async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
    await interaction.response.send_message(f"> {message.content}", ephemeral=True)


@app_commands.command(name="settings", description="Moderators only")
@app_commands.default_permissions(manage_guild=True)
@app_commands.checks.has_permissions(manage_guild=True)
async def settings(interaction: discord.Interaction) -> None:
    await interaction.response.defer(ephemeral=True)
    await interaction.edit_original_response(content="settings saved")


@settings.error
async def settings_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
    await interaction.response.send_message("You need Manage Server.", ephemeral=True)


class TinyBot(commands.Bot):
    def __init__(self, guild_id: int, intents: discord.Intents | None = None) -> None:
        intents = intents or discord.Intents.default()
        super().__init__(command_prefix=commands.when_mentioned, intents=intents, guild_ready_timeout=0.1)
        self.test_guild = discord.Object(id=guild_id)
        for cmd in (echo, quote, settings):
            self.tree.add_command(cmd, guild=self.test_guild)

    async def setup_hook(self) -> None:
        await self.tree.sync(guild=self.test_guild)


@contextlib.asynccontextmanager
async def running(bot: discord.Client, fake: FakeDiscord) -> AsyncIterator[discord.Client]:
    task = asyncio.create_task(bot.start(TOKEN))
    try:
        await fake.wait_ready()
        yield bot
    finally:
        await asyncio.wait_for(bot.close(), 5)
        await asyncio.wait_for(task, 5)
