"""Fixtures for the fake Discord's own tests: the fake on 127.0.0.1 with discord.py pointed at it,
and the tiny bot connected to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest
import pytest_asyncio
from fake_discord import FakeDiscord
from tiny_bot import TOKEN, TinyBot, running


@pytest_asyncio.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(token=TOKEN) as fake:
        fake.patch(monkeypatch)
        yield fake


@pytest_asyncio.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[discord.Client]:
    async with running(TinyBot(int(fake.guild_id)), fake) as bot:
        yield bot
