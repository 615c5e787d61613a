"""End-to-end checks of the fake Discord (tests/fake_discord/) with a tiny discord.py bot defined here."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import AsyncIterator

import discord
import pytest
import pytest_asyncio
from discord import app_commands
from discord.ext import commands
from fake_discord import EPHEMERAL, FakeDiscord, validate_command_payload, validate_message_payload

TOKEN = "test-token"


# --------------------------------------------------------------------------------------------------
# A tiny bot: /echo (autocomplete, owner-only button, deferred ephemeral path), "Quote message"
# context menu, and /settings (Manage Guild only).
# --------------------------------------------------------------------------------------------------


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


@pytest_asyncio.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(token=TOKEN) as fake:
        fake.patch(monkeypatch)
        yield fake


@contextlib.asynccontextmanager
async def running(bot: discord.Client, fake: FakeDiscord) -> AsyncIterator[discord.Client]:
    task = asyncio.create_task(bot.start(TOKEN))
    try:
        await fake.wait_ready()
        yield bot
    finally:
        await asyncio.wait_for(bot.close(), 5)
        await asyncio.wait_for(task, 5)


@pytest_asyncio.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[discord.Client]:
    async with running(TinyBot(int(fake.guild_id)), fake) as bot:
        yield bot


# --------------------------------------------------------------------------------------------------
# End to end
# --------------------------------------------------------------------------------------------------


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
        assert fake.dispatched("MESSAGE_UPDATE") == [] and fake.dispatched("MESSAGE_CREATE") == []


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
async def test_resume_after_reconnect(fake: FakeDiscord, bot: discord.Client) -> None:
    await fake.reconnect_gateway()
    assert fake.resume_count == 1 and len(fake.identifies) == 1
    ix = await fake.send_interaction(fake.slash("echo", {"text": "still here"}))
    assert (await fake.wait_response(ix))["data"]["content"] == "still here"


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


# --------------------------------------------------------------------------------------------------
# validate_command_payload / validate_message_payload
# --------------------------------------------------------------------------------------------------


def _slash(**kw: object) -> dict:
    cmd: dict = {"type": 1, "name": "echo", "description": "Repeat", "options": []}
    cmd.update(kw)
    return cmd


def _opt(name: str = "text", type: int = 3, **kw: object) -> dict:
    return {"name": name, "description": "An option", "type": type, **kw}


def test_valid_commands_pass() -> None:
    assert validate_command_payload(_slash(options=[_opt(required=True), _opt("n", 4, min_value=1, max_value=5)])) == []
    assert validate_command_payload(_slash(name="größe-2_ü")) == []
    assert validate_command_payload({"type": 3, "name": "Quote this Message", "description": ""}) == []
    assert validate_command_payload({"type": 2, "name": "User Info"}) == []


@pytest.mark.parametrize(
    ("cmd", "needle"),
    [
        (_slash(name="Echo"), "lowercase"),
        (_slash(name="echo it"), "must match"),
        (_slash(name="x" * 33), "1-32"),
        (_slash(name=""), "1-32"),
        (_slash(description=""), "description"),
        (_slash(description="d" * 101), "description"),
        (_slash(options=[_opt(f"o{i}") for i in range(26)]), "at most 25 options"),
        (_slash(options=[_opt("a"), _opt("b", required=True)]), "before optional"),
        (_slash(options=[_opt("Bad")]), "lowercase"),
        (_slash(options=[_opt("a", description="")]), "description"),
        (_slash(options=[_opt("a"), _opt("a")]), "duplicate"),
        (_slash(options=[_opt(choices=[{"name": str(i), "value": str(i)} for i in range(26)])]), "25 choices"),
        (_slash(options=[_opt(choices=[{"name": "a", "value": "a"}], autocomplete=True)]), "autocomplete"),
        (_slash(options=[_opt(choices=[{"name": "", "value": "a"}])]), "name"),
        (_slash(options=[_opt(choices=[{"name": "a" * 101, "value": "a"}])]), "name"),
        (_slash(options=[_opt(choices=[{"name": "a", "value": "v" * 101}])]), "100"),
        (_slash(options=[_opt(choices=[{"name": "a", "value": 1}])]), "must be a string"),
        (_slash(options=[_opt(min_length=-1)]), "min_length"),
        (_slash(options=[_opt(max_length=6001)]), "max_length"),
        (_slash(options=[_opt(min_length=10, max_length=5)]), "min_length must not exceed"),
        (_slash(options=[_opt(type=4, max_length=5)]), "only allowed on string"),
        (_slash(options=[_opt(type=5, autocomplete=True)]), "autocomplete is only allowed"),
        (_slash(default_member_permissions="manage_guild"), "default_member_permissions"),
        (_slash(default_member_permissions=-1), "default_member_permissions"),
        ({"type": 3, "name": "Quote", "description": "nope"}, "empty description"),
        ({"type": 3, "name": "x" * 33, "description": ""}, "1-32"),
        ({"type": 2, "name": "Info", "options": [_opt()]}, "cannot have options"),
    ],
)
def test_invalid_commands_are_reported(cmd: dict, needle: str) -> None:
    problems = validate_command_payload(cmd)
    assert problems, cmd
    assert any(needle in p for p in problems), problems


def test_message_validation() -> None:
    assert validate_message_payload({"content": "ok"}) == []
    assert validate_message_payload({"content": "", "tts": False}) != []  # empty message
    assert validate_message_payload({"content": ""}, editing=True) == []
    assert any("2000" in p for p in validate_message_payload({"content": "x" * 2001}))
    assert any("4096" in p for p in validate_message_payload({"embeds": [{"description": "d" * 4097}]}))
    many = {"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}
    assert any("6000" in p for p in validate_message_payload(many))
    row = {"type": 1, "components": [{"type": 2, "style": 1, "custom_id": f"b{i}", "label": "x"} for i in range(6)]}
    assert any("1-5" in p for p in validate_message_payload({"content": "x", "components": [row]}))
    long_id = {"type": 1, "components": [{"type": 2, "style": 1, "custom_id": "c" * 101}]}
    assert any("custom_id" in p for p in validate_message_payload({"content": "x", "components": [long_id]}))
