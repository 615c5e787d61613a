"""The fake Discord serving a real discord.py client: login, sync, interactions, callbacks and REST."""

from __future__ import annotations

import asyncio
import io

import discord
import pytest
from discord import app_commands
from fake_discord import EPHEMERAL, FakeDiscord, validate_command_payload
from tiny_bot import running


@pytest.mark.asyncio
async def test_login_gateway_and_sync(fake: FakeDiscord, bot: discord.Client) -> None:
    assert bot.user is not None and str(bot.user.id) == fake.bot_user["id"]
    guild = bot.get_guild(int(fake.guild_id))
    assert guild is not None and guild.get_channel(int(fake.channel_id)) is not None
    # no members intent: only "me" is cached
    assert guild.me is not None and guild.get_member(int(fake.user["id"])) is None
    # discord.py asked for zlib-stream; the fake answers with plain text frames and that works.
    assert fake.gateway_queries[0]["encoding"] == "json" and fake.gateway_queries[0]["compress"] == "zlib-stream"

    # synced to the guild only, once, and every payload is valid
    assert fake.command_puts == 1 and fake.global_command_puts == 0 and fake.global_commands is None
    synced = fake.guild_commands[fake.guild_id]
    assert sorted(c["name"] for c in synced) == ["Quote message", "echo", "settings"]
    for cmd in synced:
        assert validate_command_payload(cmd) == [], cmd
    assert next(c for c in synced if c["name"] == "settings")["default_member_permissions"] in (32, "32")
    assert fake.unhandled == []

    await asyncio.wait_for(bot.wait_until_ready(), 5)  # on_ready follows (guild_ready_timeout)


@pytest.mark.asyncio
async def test_echo_button_autocomplete_and_context_menu(fake: FakeDiscord, bot: discord.Client) -> None:
    # /echo -> type 4 reply, nobody pinged, with the owner-only button
    ix = await fake.send_interaction(fake.slash("echo", {"text": "hi <@&1>"}))
    body = await fake.wait_response(ix)
    assert body["type"] == 4
    assert body["data"]["content"] == "hi <@&1>"
    assert body["data"]["allowed_mentions"] == {"parse": []}
    assert not body["data"].get("flags", 0) & EPHEMERAL
    reply = fake.original_message(ix)
    assert (
        reply is not None
        and reply["type"] == 20
        and reply["components"][0]["components"][0]["custom_id"] == "echo:shout"
    )

    # someone else presses it -> ephemeral refusal, message untouched
    other = await fake.send_interaction(fake.button(reply, "echo:shout", user=fake.moderator))
    refusal = await fake.wait_response(other)
    assert refusal["type"] == 4 and refusal["data"]["flags"] & EPHEMERAL
    assert fake.messages[reply["id"]]["content"] == "hi <@&1>"

    # the original user presses it -> message updated (type 7), button removed
    press = await fake.send_interaction(fake.button(reply, "echo:shout"))
    update = await fake.wait_response(press)
    assert update["type"] == 7 and update["data"]["content"] == "HI <@&1>" and update["data"]["components"] == []
    assert fake.messages[reply["id"]]["content"] == "HI <@&1>"
    with pytest.raises(AssertionError, match="no component"):
        fake.button(reply, "echo:shout")

    # autocomplete: at most 25 choices, filtered by what was typed
    ac = await fake.send_interaction(fake.autocomplete("echo", {"text": "wor"}))
    choices = (await fake.wait_response(ac))["data"]["choices"]
    assert (await fake.wait_response(ac))["type"] == 8
    assert len(choices) == 25 and all(c["value"].startswith("wor") for c in choices)

    # message context menu on a human's message -> ephemeral quote
    target = fake.add_message("a wise remark", author=fake.moderator)
    ctx = await fake.send_interaction(fake.message_command("Quote message", target))
    quoted = await fake.wait_response(ctx)
    assert quoted["type"] == 4 and quoted["data"]["content"] == "> a wise remark"
    assert quoted["data"]["flags"] == EPHEMERAL
    assert fake.original_message(ctx)["flags"] & EPHEMERAL  # type: ignore[index]
    assert fake.unhandled == [] and fake.errors == []


@pytest.mark.asyncio
async def test_deferred_ephemeral_followups(fake: FakeDiscord, bot: discord.Client) -> None:
    ix = await fake.send_interaction(fake.slash("echo", {"text": "psst", "private": True}))
    body = await fake.wait_response(ix)
    assert body == {"type": 5, "data": {"flags": EPHEMERAL}}
    first, second = await fake.wait_message(ix, n=2)
    # the first follow-up resolves the "thinking" message and inherits its ephemeral state
    assert first.method == "POST" and first.original and first.message is not None
    assert first.message["content"] == "(quietly) psst" and first.message["flags"] == EPHEMERAL
    assert not second.original and second.message is not None and second.message["flags"] == EPHEMERAL
    assert second.message["content"] == "second follow-up"


@pytest.mark.asyncio
async def test_permissions_from_roles(fake: FakeDiscord, bot: discord.Client) -> None:
    denied = await fake.send_interaction(fake.slash("settings", user=fake.user))
    assert (await fake.wait_response(denied))["data"]["content"] == "You need Manage Server."

    allowed = await fake.send_interaction(fake.slash("settings", user=fake.moderator))
    assert await fake.wait_response(allowed) == {"type": 5, "data": {"flags": EPHEMERAL}}
    (edit,) = await fake.wait_message(allowed)
    assert edit.method == "PATCH" and edit.original and edit.message is not None
    assert edit.message["content"] == "settings saved" and edit.message["flags"] == EPHEMERAL


@pytest.mark.asyncio
async def test_late_and_double_responses_are_rejected(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> None:
    client = discord.Client(intents=discord.Intents.none())
    tree = app_commands.CommandTree(client)
    outcomes: asyncio.Queue[str] = asyncio.Queue()

    @tree.command(name="slow", description="Answers too late")
    async def slow(interaction: discord.Interaction, twice: bool = False) -> None:
        if not twice:
            await asyncio.sleep(0.3)
        try:
            await interaction.response.send_message("late?")
            if twice:
                await interaction.followup.send("ok")  # fine: a follow-up, not a second callback
                await interaction.client.http.request(  # a raw second callback
                    discord.http.Route("POST", "/interactions/{i}/{t}/callback", i=interaction.id, t=interaction.token),
                    json={"type": 4, "data": {"content": "again"}},
                )
        except discord.HTTPException as exc:
            outcomes.put_nowait(f"{exc.status}/{exc.code}")

    client.setup_hook = lambda: tree.sync()  # type: ignore[method-assign]
    fake.response_deadline = 0.1
    async with running(client, fake):
        # Intents.none() has no GUILDS intent: no GUILD_CREATE, so use a DM interaction and global commands
        assert fake.global_command_puts == 1 and fake.guild_commands == {}
        late = await fake.send_interaction(fake.slash("slow", guild=False))
        assert await asyncio.wait_for(outcomes.get(), 5) == "404/10062"
        with pytest.raises(AssertionError, match=r"Timed out .* callback for interaction"):
            await fake.wait_response(late, timeout=0.2)

        fake.response_deadline = 3.0
        twice = await fake.send_interaction(fake.slash("slow", {"twice": True}, guild=False))
        await fake.wait_message(twice)
        assert await asyncio.wait_for(outcomes.get(), 5) == "400/40060"
        assert (await fake.wait_response(twice))["data"]["content"] == "late?"


@pytest.mark.asyncio
async def test_unhandled_route_and_invalid_message_are_visible(fake: FakeDiscord, bot: discord.Client) -> None:
    channel = bot.get_channel(int(fake.channel_id))
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("plain message")
    assert fake.messages[str(sent.id)]["content"] == "plain message"
    assert fake.requests[-1][:2] == ("POST", f"/channels/{fake.channel_id}/messages")
    with_file = await channel.send("see file", file=discord.File(io.BytesIO(b"abc"), "notes.txt"))
    assert with_file.attachments[0].filename == "notes.txt" and with_file.attachments[0].size == 3
    assert fake.requests[-1].json["content"] == "see file"  # multipart: payload_json is recorded
    with pytest.raises(discord.HTTPException) as info:
        await channel.send("x" * 2001)
    assert info.value.status == 400 and info.value.code == 50035 and "2000" in str(info.value)
    with pytest.raises(discord.NotFound):
        await channel.create_invite()
    assert fake.unhandled[-1].method == "POST" and fake.unhandled[-1].path.endswith("/invites")
