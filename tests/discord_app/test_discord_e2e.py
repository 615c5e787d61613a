"""The real bot, started as `python -m bot run`, against a fake Discord on 127.0.0.1.

The bot runs in a subprocess with the project's real start-up path; a `sitecustomize` on its
PYTHONPATH points discord.py's REST and gateway URLs at the fake (nothing in the bot knows about
the test). Every interaction goes over the socket, and the test asserts on what the bot posts.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from fake_discord import EPHEMERAL, FakeDiscord, validate_command_payload, validate_message_payload

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "e2e-secret-token-123"
SITECUSTOMIZE = """
import os
import yarl
import discord.asset, discord.gateway, discord.http
base = os.environ["FAKE_DISCORD_BASE"]
discord.http.Route.BASE = base + "/api/v10"
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(base.replace("http://", "ws://") + "/")
discord.asset.Asset.BASE = base + "/cdn"
"""


def bot_env(fake: FakeDiscord, tmp_path: Path, **extra: str) -> dict[str, str]:
    shim = tmp_path / "shim"
    shim.mkdir(exist_ok=True)
    (shim / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "ARTICLES_"))}
    env.update(
        PYTHONPATH=os.pathsep.join([str(shim), str(ROOT)]),
        FAKE_DISCORD_BASE=fake.base_url,
        DISCORD_TOKEN=TOKEN,
        DISCORD_GUILD_ID=fake.guild_id,
        ARTICLES_DIR=str(ROOT / "seeds"),
        ASK_PER_30S="3",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


class RunningBot:
    def __init__(self, process: asyncio.subprocess.Process, log_path: Path) -> None:
        self.process = process
        self.log_path = log_path

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(token=TOKEN) as fake:
        yield fake


@pytest_asyncio.fixture
async def bot(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[RunningBot]:
    log_path = tmp_path / "bot.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=tmp_path, env=bot_env(fake, tmp_path), stdout=log, stderr=log
        )
    running = RunningBot(process, log_path)
    try:
        await fake.wait_ready(timeout=30)
        yield running
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 10)
            except asyncio.TimeoutError:
                process.kill()


async def answered(fake: FakeDiscord, interaction: dict) -> dict:
    """The message the bot finally shows for an interaction: the reply itself, or the edit of
    a deferred reply. Checks the message against Discord's limits on the way."""
    response = await fake.wait_response(interaction)
    if response["type"] == 5:  # deferred: the answer is the edit of @original
        writes = await fake.wait_message(interaction)
        body = writes[-1].body
        body.setdefault("flags", response.get("data", {}).get("flags", 0))
    else:
        body = response["data"]
    assert validate_message_payload(body, editing=response["type"] != 4) == []
    assert body.get("allowed_mentions") == {"parse": []}, body.get("allowed_mentions")
    return body


def buttons(message: dict) -> list[dict]:
    return [c for row in message.get("components", []) for c in row.get("components", [])]


def button(message: dict, label: str) -> dict:
    return next(b for b in buttons(message) if b.get("label") == label)


@pytest.mark.asyncio
async def test_bot_end_to_end(fake: FakeDiscord, bot: RunningBot) -> None:
    # Synced to the test server at start-up, every command valid; no global sync.
    await fake.wait_until(lambda: fake.command_puts, "command sync")
    synced = fake.guild_commands[fake.guild_id]
    names = sorted(c["name"] for c in synced)
    assert names == ["Find guidance for this message", "articles", "ask", "help", "reload", "report", "statement"]
    for command in synced:
        assert validate_command_payload(command) == [], command
    assert fake.global_command_puts == 0
    reload_cmd = next(c for c in synced if c["name"] == "reload")
    assert str(reload_cmd["default_member_permissions"]) == "32"  # Manage Server

    # /ask: private by default, the passage with bold words, provenance and buttons.
    ask = await fake.send_interaction(fake.slash("ask", {"question": "where can I report online grooming?"}))
    first = await answered(fake, ask)
    assert first["flags"] & EPHEMERAL
    embed = first["embeds"][0]
    assert "groomed online" in embed["description"] and "**" in embed["description"]
    assert embed["url"].startswith("https://www.westmercia.police.uk/news/")
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Force"] == "West Mercia" and fields["Published"] == "8 April 2020"
    assert "years" in fields["Note"] and "check the force's website" in fields["Note"]  # seeds are from 2020
    assert "Not an official police service. In an emergency call 999." in embed["footer"]["text"]
    assert embed["footer"]["text"].startswith("Result 1 of ")
    assert button(first, "Open article")["url"] == embed["url"]
    assert "#:~:text=" in button(first, "Read in context")["url"]
    assert any("ceop.police.uk" in (b.get("url") or "") for b in buttons(first))  # routed reporting channel

    # Next page, by the asker; someone else cannot page it.
    message_id = fake.original_message(ask)["id"]
    nxt = await fake.send_interaction(fake.button(message_id, button(first, "Next")["custom_id"]))
    page2 = await fake.wait_response(nxt)
    assert page2["type"] == 7 and page2["data"]["embeds"][0]["footer"]["text"].startswith("Result 2 of ")
    other = await fake.send_interaction(
        fake.button(message_id, button(first, "Next")["custom_id"], user=fake.moderator)
    )
    refused = await fake.wait_response(other)
    assert refused["data"]["flags"] & EPHEMERAL and "Only the person who asked" in refused["data"]["content"]

    # Share to channel: the same answer, posted publicly.
    share = await fake.send_interaction(fake.button(message_id, button(first, "Share to channel")["custom_id"]))
    shared = await fake.wait_response(share)
    assert shared["type"] == 4 and not shared["data"].get("flags", 0) & EPHEMERAL
    assert shared["data"]["embeds"][0]["footer"]["text"].startswith("Result 2 of ")
    assert shared["data"]["allowed_mentions"] == {"parse": []}

    # Autocomplete of force names, forgiving spelling.
    auto = await fake.send_interaction(fake.autocomplete("ask", {"question": "x", "force": "staf"}, focused="force"))
    choices = (await fake.wait_response(auto))["data"]["choices"]
    assert [c["value"] for c in choices] == ["Staffordshire"]

    # Bad input gets a helpful private reply, never a ping.
    for question, expected in [
        ("  ", "at least a few words"),
        ("x" * 5000, "under 300 characters"),
    ]:
        reply = await answered(
            fake, await fake.send_interaction(fake.slash("ask", {"question": question}, user=fake.owner))
        )
        assert reply["flags"] & EPHEMERAL and expected in reply["embeds"][0]["description"]
    unknown = await answered(
        fake,
        await fake.send_interaction(
            fake.slash("ask", {"question": "online safety", "force": "Atlantis"}, user=fake.owner)
        ),
    )
    assert "Staffordshire, West Mercia" in unknown["embeds"][0]["description"]
    ping = await answered(
        fake,
        await fake.send_interaction(
            fake.slash("ask", {"question": "@everyone <@1> pizza recipes"}, user=fake.moderator)
        ),
    )
    text = str(ping)
    assert (
        "@everyone" not in text.replace("@\u200beveryone", "") and ping["embeds"][0]["title"] == "No matching passage"
    )
    assert any(b.get("url") for b in buttons(ping)) or "/report" in ping["embeds"][0]["description"]

    # Cooldown: the 4th question within 30 s from one person (ASK_PER_30S=3) is turned away kindly.
    replies = []
    for _ in range(3):  # the moderator already asked once above
        replies.append(
            await answered(
                fake, await fake.send_interaction(fake.slash("ask", {"question": "online safety"}, user=fake.moderator))
            )
        )
    assert "quickly" not in replies[-2]["embeds"][0].get("description", "")
    assert "quickly" in replies[-1]["embeds"][0]["description"]

    # /report leads with the emergency line and lists channels from the directory and articles.
    report = await answered(fake, await fake.send_interaction(fake.slash("report", {"topic": "online grooming"})))
    r_embed = report["embeds"][0]
    assert r_embed["description"].startswith("**If a child is in immediate danger, call 999.**")
    field_names = [f["name"] for f in r_embed["fields"]]
    assert field_names[0].startswith("Police emergency 999")
    assert any("CEOP" in n for n in field_names)
    assert any(n.startswith("In the articles:") for n in field_names)

    # /statement by force.
    stmt = await answered(fake, await fake.send_interaction(fake.slash("statement", {"force": "staffs"})))
    s_fields = stmt["embeds"][0]["fields"]
    assert s_fields and all("Staffordshire" in f["name"] for f in s_fields)
    assert s_fields[0]["name"].startswith("Detective Inspector Simon Caton")

    # /articles newest first, /help with the date range.
    listed = await answered(fake, await fake.send_interaction(fake.slash("articles")))
    description = listed["embeds"][0]["description"]
    assert description.index("Child Exploitation Awareness Day") < description.index("Staffordshire Police supports")
    helped = await answered(fake, await fake.send_interaction(fake.slash("help")))
    assert "7 April 2020 to 18 March 2021" in helped["embeds"][0]["description"]

    # /reload: refused without Manage Server, done with it.
    denied = await answered(fake, await fake.send_interaction(fake.slash("reload", user=fake.user)))
    assert "Manage Server" in denied["embeds"][0]["description"]
    done = await answered(fake, await fake.send_interaction(fake.slash("reload", user=fake.moderator)))
    assert "Loaded 3 articles" in done["embeds"][0]["description"]

    # Context menu on someone's message: searched privately.
    target = fake.add_message("my kid is getting messages from a stranger, who do I tell")
    menu = await answered(
        fake,
        await fake.send_interaction(fake.message_command("Find guidance for this message", target, user=fake.owner)),
    )
    assert menu["flags"] & EPHEMERAL
    assert "communicating with them" in menu["embeds"][0]["description"].replace("**", "")

    # Clean shutdown on SIGTERM; no traceback, no token, no question text in the log.
    bot.process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(bot.process.wait(), 15) == 0
    log = bot.log
    assert "Traceback" not in log, log
    assert TOKEN not in log
    assert "grooming" not in log and "stranger" not in log
    assert log.count("command=ask") >= 3 and "command=report" in log and "latency_ms=" in log


async def run_cli(env: dict[str, str], cwd: Path, *args: str) -> tuple[int, str, str]:
    """Run `python -m bot ARGS` to completion; return exit status, stdout and stderr."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 30)
    return process.returncode, out.decode(), err.decode()


@pytest.mark.asyncio
async def test_rejected_token_is_a_clear_error(fake: FakeDiscord, tmp_path: Path) -> None:
    code, out, err = await run_cli(bot_env(fake, tmp_path, DISCORD_TOKEN="wrong-token"), tmp_path, "run")
    assert code == 1
    assert "Discord rejected the token in DISCORD_TOKEN" in err
    assert "Traceback" not in err and "wrong-token" not in out + err


@pytest.mark.asyncio
async def test_missing_token_exits_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    env["PYTHONPATH"] = str(ROOT)
    code, _, err = await run_cli(env, tmp_path, "run")
    assert code == 2
    assert err.strip().splitlines() == [
        "error: DISCORD_TOKEN is not set: put your bot token in the environment or in .env"
    ]


async def start_and_stop(fake: FakeDiscord, tmp_path: Path, *args: str, ready: int | None = None) -> tuple[int, str]:
    """Run `python -m bot ARGS` with no DISCORD_GUILD_ID; for `run`, stop it once it is ready."""
    env = bot_env(fake, tmp_path)
    env.pop("DISCORD_GUILD_ID")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    if ready is not None:
        await fake.wait_ready(timeout=30, count=ready)
        process.send_signal(signal.SIGTERM)
    out, _ = await asyncio.wait_for(process.communicate(), 30)
    return process.returncode, out.decode()


@pytest.mark.asyncio
async def test_global_sync_only_when_commands_change(fake: FakeDiscord, tmp_path: Path) -> None:
    code, log = await start_and_stop(fake, tmp_path, "run", ready=1)
    assert code == 0 and fake.global_command_puts == 1, log
    assert "global commands changed; synced 7" in log
    first = fake.global_commands

    code, log = await start_and_stop(fake, tmp_path, "run", ready=2)
    assert code == 0 and fake.global_command_puts == 1, log  # unchanged: no second sync
    assert "global commands are up to date" in log

    code, log = await start_and_stop(fake, tmp_path, "sync")
    assert code == 0 and fake.global_command_puts == 2, log  # `sync` forces it
    assert [c["name"] for c in fake.global_commands] == [c["name"] for c in first]
    assert fake.ready_count == 2  # `sync` never opened the gateway
