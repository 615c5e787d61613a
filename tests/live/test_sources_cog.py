"""/sources and the refresh step called directly, with autospecced Discord objects."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import create_autospec

import discord
import pytest

from bot.discord_app.sources import SourcesCog
from bot.live.refresh import Source
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def make_host(tmp_path: Path, **settings) -> SimpleNamespace:
    return SimpleNamespace(settings=replace(Settings(articles_dir=tmp_path), **settings), library="old library")


def make_interaction():
    interaction = create_autospec(discord.Interaction, instance=True)
    interaction.response = create_autospec(discord.InteractionResponse, instance=True)
    return interaction


async def shown(cog: SourcesCog) -> str:
    interaction = make_interaction()
    await SourcesCog.sources_command.callback(cog, interaction)
    kwargs = interaction.response.send_message.await_args.kwargs
    assert kwargs["ephemeral"] is True
    return kwargs["embed"].description or ""


@pytest.mark.asyncio
async def test_sources_without_a_sources_file(tmp_path: Path) -> None:
    text = await shown(SourcesCog(make_host(tmp_path), ()))
    assert "No sources are set" in text and "SOURCES_FILE" in text


@pytest.mark.asyncio
async def test_sources_listed_with_the_refresh_off(tmp_path: Path) -> None:
    cog = SourcesCog(make_host(tmp_path), (Source("https://www.kent.police.uk/feed", "Kent"),))
    await cog.cog_load()  # REFRESH_MINUTES is 0: nothing is scheduled
    assert cog._task is None
    text = await shown(cog)
    assert text.startswith("Scheduled refresh is off")
    assert "https://www.kent.police.uk/feed (Kent)\nnot fetched yet" in text


@pytest.mark.asyncio
async def test_a_failing_library_load_keeps_the_old_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    host = make_host(tmp_path, refresh_minutes=5)
    cog = SourcesCog(host, (Source("https://www.kent.police.uk/feed"),))
    monkeypatch.setattr("bot.discord_app.sources.refresh", lambda *args: ((), True))

    def broken(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr("bot.discord_app.sources.load_library", broken)
    await cog.refresh_once()  # logged, not raised
    assert host.library == "old library"
    await cog.cog_unload()
    assert cog._stop.is_set()
