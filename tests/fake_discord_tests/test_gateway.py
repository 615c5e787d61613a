"""The fake gateway: intents, MESSAGE_CREATE/UPDATE, RESUME, close codes, shutdown."""

from __future__ import annotations

import asyncio

import discord
import pytest
from fake_discord import FakeDiscord
from tiny_bot import TOKEN, TinyBot, running


@pytest.mark.asyncio
async def test_members_intent_chunks_the_guild(fake: FakeDiscord) -> None:
    async with running(
        TinyBot(int(fake.guild_id), discord.Intents.default() | discord.Intents(members=True)), fake
    ) as bot:
        await asyncio.wait_for(bot.wait_until_ready(), 5)  # needed the GUILD_MEMBERS_CHUNK answer to op 8
        guild = bot.get_guild(int(fake.guild_id))
        assert guild is not None and guild.chunked
        mod, user = guild.get_member(int(fake.moderator["id"])), guild.get_member(int(fake.user["id"]))
        assert mod is not None and mod.guild_permissions.manage_guild
        assert user is not None and not user.guild_permissions.manage_guild
        assert guild.owner_id == int(fake.owner["id"])


class EditWatcher(TinyBot):
    """TinyBot that records the raw MESSAGE_UPDATE events discord.py parsed."""

    def __init__(self, guild_id: int, intents: discord.Intents | None = None) -> None:
        super().__init__(guild_id, intents)
        self.edits: asyncio.Queue[discord.RawMessageUpdateEvent] = asyncio.Queue()

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        self.edits.put_nowait(payload)


@pytest.mark.asyncio
@pytest.mark.parametrize("legacy", [True, False], ids=["with-interaction", "metadata-only"])
async def test_edits_of_public_messages_reach_the_bot_as_message_update(
    monkeypatch: pytest.MonkeyPatch, legacy: bool
) -> None:
    async with FakeDiscord(token=TOKEN, legacy_interaction=legacy) as fake:
        fake.patch(monkeypatch)
        async with running(EditWatcher(int(fake.guild_id)), fake) as bot:
            ix = await fake.send_interaction(fake.slash("echo", {"text": "hi"}))
            await fake.wait_response(ix)
            reply = fake.original_message(ix)
            assert reply is not None and reply["interaction_metadata"]["id"] == ix["id"]
            assert ("interaction" in reply) is legacy
            press = await fake.send_interaction(fake.button(reply, "echo:shout"))
            assert (await fake.wait_response(press))["type"] == 7
            await fake.flush_events()
            (created,) = fake.dispatched("MESSAGE_CREATE")
            assert created["id"] == reply["id"] and created["content"] == "hi"
            (update,) = fake.dispatched("MESSAGE_UPDATE")
            assert update["id"] == reply["id"] and update["content"] == "HI" and update["components"] == []
            assert update["interaction_metadata"]["id"] == ix["id"]
            assert ("interaction" in update) is legacy
            edit = await asyncio.wait_for(bot.edits.get(), 5)
            assert edit.message_id == int(reply["id"]) and edit.message.content == "HI"


@pytest.mark.asyncio
async def test_no_message_update_for_ephemeral_messages(fake: FakeDiscord, bot: discord.Client) -> None:
    allowed = await fake.send_interaction(fake.slash("settings", user=fake.moderator))
    await fake.wait_message(allowed)  # the ephemeral "settings saved" edit
    ix = await fake.send_interaction(fake.slash("echo", {"text": "psst", "private": True}))
    await fake.wait_message(ix, n=2)
    await fake.flush_events()
    assert fake.dispatched("MESSAGE_UPDATE") == [] and fake.dispatched("MESSAGE_CREATE") == []


@pytest.mark.asyncio
async def test_no_message_events_without_the_guild_messages_intent(fake: FakeDiscord) -> None:
    no_messages = discord.Intents.default()
    no_messages.guild_messages = False
    async with running(TinyBot(int(fake.guild_id), no_messages), fake):
        ix = await fake.send_interaction(fake.slash("echo", {"text": "hi"}))
        await fake.wait_response(ix)
        press = await fake.send_interaction(fake.button(fake.original_message(ix), "echo:shout"))
        await fake.wait_response(press)
        await fake.flush_events()
        assert fake.dispatched("MESSAGE_UPDATE") == [] and fake.dispatched("MESSAGE_CREATE") == []


@pytest.mark.asyncio
async def test_resume_after_reconnect(fake: FakeDiscord, bot: discord.Client) -> None:
    await fake.reconnect_gateway()
    assert fake.resume_count == 1 and len(fake.identifies) == 1
    ix = await fake.send_interaction(fake.slash("echo", {"text": "still here"}))
    assert (await fake.wait_response(ix))["data"]["content"] == "still here"


@pytest.mark.asyncio
async def test_wrong_token_raises_login_failure(fake: FakeDiscord) -> None:
    bot = TinyBot(int(fake.guild_id))
    try:
        with pytest.raises(discord.LoginFailure):
            await asyncio.wait_for(bot.start("not-the-token"), 5)
    finally:
        await asyncio.wait_for(bot.close(), 5)
    assert fake.requests[-1].path == "/users/@me" and fake.identifies == []


@pytest.mark.asyncio
@pytest.mark.parametrize("code", [4004, 4010, 4011, 4012, 4013])
async def test_identify_refused_with_a_close_code(fake: FakeDiscord, code: int) -> None:
    fake.refuse_identify = code
    bot = TinyBot(int(fake.guild_id))
    try:
        with pytest.raises(discord.ConnectionClosed) as info:
            await asyncio.wait_for(bot.start(TOKEN), 5)
    finally:
        await asyncio.wait_for(bot.close(), 5)
    assert info.value.code == code and len(fake.identifies) == 1 and fake.ready_count == 0


@pytest.mark.asyncio
async def test_disallowed_intents_close_raises_privileged_intents_required(fake: FakeDiscord) -> None:
    fake.refuse_identify = 4014
    bot = TinyBot(int(fake.guild_id))
    try:
        with pytest.raises(discord.PrivilegedIntentsRequired):
            await asyncio.wait_for(bot.start(TOKEN), 5)
    finally:
        await asyncio.wait_for(bot.close(), 5)


@pytest.mark.asyncio
async def test_fake_shutdown_does_not_hang_the_bot(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeDiscord(token=TOKEN)
    await fake.start()
    fake.patch(monkeypatch)
    bot = TinyBot(int(fake.guild_id))
    task = asyncio.create_task(bot.start(TOKEN))
    try:
        await fake.wait_ready()
        await asyncio.wait_for(fake.close(), 5)  # server goes away while the bot is connected
    finally:
        await asyncio.wait_for(bot.close(), 5)
        await asyncio.wait_for(task, 10)
    with pytest.raises(AssertionError, match="no bot has identified"):
        await FakeDiscord().dispatch("X", {})
