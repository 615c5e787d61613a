"""The fake Discord's sharding (tests/fake_discord/shards.py), driven by discord.py's AutoShardedBot."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
import pytest_asyncio
from discord import app_commands
from discord.ext import commands
from fake_discord import FakeDiscord
from fake_discord.shards import shard_of

TOKEN = "test-token"


@app_commands.command(name="where", description="Which shard answers")
async def where(interaction: discord.Interaction) -> None:
    assert interaction.guild is not None  # the guild came in this shard's READY / GUILD_CREATE
    await interaction.response.send_message(f"shard {interaction.guild.shard_id}")


class ShardedBot(commands.AutoShardedBot):
    def __init__(self, shard_count: int, shard_ids: list[int] | None = None) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            shard_count=shard_count,
            shard_ids=shard_ids,
            guild_ready_timeout=0.1,
        )
        self.tree.add_command(where)

    async def setup_hook(self) -> None:
        await self.tree.sync()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None  # Discord's 5 s between IDENTIFYs is not the fake's concern


@pytest_asyncio.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(token=TOKEN) as fake:
        fake.patch(monkeypatch)
        yield fake


@contextlib.asynccontextmanager
async def running(fake: FakeDiscord, *bots: commands.AutoShardedBot, identifies: int) -> AsyncIterator[None]:
    tasks = [asyncio.create_task(bot.start(TOKEN)) for bot in bots]
    try:
        await fake.wait_ready(count=identifies)
        for bot in bots:
            await asyncio.wait_for(bot.wait_until_ready(), 5)
        yield
    finally:
        for bot in bots:
            await asyncio.wait_for(bot.close(), 5)
        await asyncio.wait_for(asyncio.gather(*tasks), 5)


def test_add_guild_puts_a_guild_on_the_shard_asked_for() -> None:
    fake = FakeDiscord()
    for shard in [(0, 2), (1, 2), (3, 4), (0, 16), (15, 16)]:
        guild_id = fake.add_guild(shard=shard)
        assert shard_of(guild_id, shard[1]) == shard[0]
        assert int(guild_id) > int(fake.guild_id)
    assert len(set(fake.guild_ids)) == 6


@pytest.mark.asyncio
async def test_one_process_runs_every_shard_and_each_guild_comes_through_its_own(fake: FakeDiscord) -> None:
    first = shard_of(fake.guild_id, 2)
    other = fake.add_guild(shard=(1 - first, 2))
    bot = ShardedBot(2)
    async with running(fake, bot, identifies=2):
        assert sorted(i["shard"] for i in fake.identifies) == [[0, 2], [1, 2]]
        sessions = {fake.session_shard(s): s for s in fake._sessions.values()}
        for (shard_id, _), session in sessions.items():
            ready = next(f["d"] for f in session.events if f["t"] == "READY")
            assert [g["id"] for g in ready["guilds"]] == [g for g in fake.guild_ids if shard_of(g, 2) == shard_id]
        assert {g.id for g in bot.guilds} == {int(fake.guild_id), int(other)}

        for guild_id in fake.guild_ids:
            ix = await fake.send_interaction(fake.slash("where", guild_id=guild_id))
            reply = await fake.wait_response(ix)
            assert reply["data"]["content"] == f"shard {shard_of(guild_id, 2)}"
            session = sessions[(shard_of(guild_id, 2), 2)]
            assert any(f["t"] == "INTERACTION_CREATE" and f["d"]["id"] == ix["id"] for f in session.events)
    assert fake.undelivered == []


@pytest.mark.asyncio
async def test_two_processes_split_the_shards_and_a_missing_shard_gets_nothing(fake: FakeDiscord) -> None:
    first = shard_of(fake.guild_id, 2)
    other = fake.add_guild(shard=(1 - first, 2))
    only = ShardedBot(2, [first])
    async with running(fake, only, identifies=1):
        assert [g.id for g in only.guilds] == [int(fake.guild_id)]
        lost = await fake.send_interaction(fake.slash("where", guild_id=other))
        await fake.wait_until(lambda: fake.undelivered, "the interaction for the missing shard")
        assert fake.undelivered[0][1]["id"] == lost["id"]
        ix = await fake.send_interaction(fake.slash("where"))
        assert (await fake.wait_response(ix))["data"]["content"] == f"shard {first}"
        second = ShardedBot(2, [1 - first])
        async with running(fake, second, identifies=2):
            assert [g.id for g in second.guilds] == [int(other)]
            ix = await fake.send_interaction(fake.slash("where", guild_id=other))
            assert (await fake.wait_response(ix))["data"]["content"] == f"shard {1 - first}"


@pytest.mark.asyncio
@pytest.mark.parametrize("shard", [[2, 2], [0, 0], [-1, 2], "0,2"])
async def test_an_identify_with_an_impossible_shard_is_closed_with_4010(fake: FakeDiscord, shard: object) -> None:
    async with aiohttp.ClientSession() as session, session.ws_connect(fake.gateway_url) as ws:
        hello = await ws.receive_json()
        assert hello["op"] == 10
        await ws.send_json({"op": 2, "d": {"token": TOKEN, "intents": 1, "properties": {}, "shard": shard}})
        closed = await ws.receive()
        assert closed.type == aiohttp.WSMsgType.CLOSE and closed.data == 4010
    assert fake.ready_count == 0
