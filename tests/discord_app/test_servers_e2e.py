"""Issue 12 end to end: the real bot (`python -m bot run`) in one or more processes against a fake
Discord with several servers and shards: per-server settings, votes, /stats, and sharding."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from bot_process import TOKEN, RunningBot, answered, bot_env, button
from fake_discord import EPHEMERAL, FakeDiscord
from fake_discord.shards import shard_of

QUESTION = "how do I keep my kids safe online during lockdown?"
CONTACT = "Our designated safeguarding lead is in room 12, or ask at the school office"


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(token=TOKEN) as fake:
        yield fake


@contextlib.asynccontextmanager
async def bots(
    fake: FakeDiscord, tmp_path: Path, *shard_ids: str, identifies: int, **env: str
) -> AsyncIterator[list[RunningBot]]:
    """One `python -m bot run` per entry of `shard_ids` ("" for no SHARD_IDS), commands synced
    globally (no DISCORD_GUILD_ID); the block starts once `identifies` IDENTIFYs in all got READY."""
    running: list[RunningBot] = []
    before = fake.ready_count
    try:
        for number, ids in enumerate(shard_ids):
            log_path = tmp_path / f"bot-{number}-{before}.log"
            extra = {**env, "DISCORD_GUILD_ID": "", **({"SHARD_IDS": ids} if ids else {})}
            with log_path.open("wb") as log:
                process = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "run", cwd=tmp_path, env=bot_env(fake, tmp_path, **extra),
                    stdout=log, stderr=log,
                )  # fmt: skip
            running.append(RunningBot(process, log_path))
        await fake.wait_ready(timeout=60, count=before + identifies)
        await fake.wait_until(lambda: fake.global_commands, "a global command sync", timeout=30)
        yield running
    finally:
        for bot in running:
            if bot.process.returncode is None:
                bot.process.send_signal(signal.SIGTERM)
        for bot in running:
            try:
                await asyncio.wait_for(bot.process.wait(), 15)
            except asyncio.TimeoutError:
                bot.process.kill()


async def ask(fake: FakeDiscord, guild_id: str, question: str = QUESTION, **kw) -> tuple[dict, dict]:
    ix = await fake.send_interaction(fake.slash("ask", {"question": question}, guild_id=guild_id, **kw))
    return ix, await answered(fake, ix)


async def command(fake: FakeDiscord, name: str, options: dict | None = None, **kw) -> dict:
    return await answered(fake, await fake.send_interaction(fake.slash(name, options or {}, **kw)))


async def logged(bot: RunningBot, text: str, timeout: float = 15.0) -> str:
    """The bot's log once it contains `text` (the bot writes it after the fake's last event)."""
    for _ in range(int(timeout / 0.1)):
        if text in bot.log:
            return bot.log
        await asyncio.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared in the log:\n{bot.log}")


def fields(message: dict) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message["embeds"][0].get("fields", [])}


@pytest.mark.asyncio
async def test_settings_votes_and_stats_per_server(fake: FakeDiscord, tmp_path: Path) -> None:
    school, other = fake.guild_id, fake.add_guild(name="Another server")
    mod = {"user": fake.moderator}
    async with bots(fake, tmp_path, "", identifies=1, ASK_PER_30S="20") as (bot,):
        # Manage Server only.
        for name in ("settings", "stats"):
            refused = await command(fake, name, guild_id=school)
            assert "Manage Server" in refused["embeds"][0]["description"] and refused["flags"] & EPHEMERAL

        # Bad values: a clear reply naming the range, nothing stored.
        bad = await command(
            fake, "settings", {"stale_after_months": 0, "private_answers": False}, guild_id=school, **mod
        )
        assert "from 1 to 120, not 0" in bad["embeds"][0]["description"]
        assert "Nothing was changed" in bad["embeds"][0]["description"]
        bad = await command(fake, "settings", {"contact_1": "ask @everyone"}, guild_id=school, **mod)
        assert "mention" in bad["embeds"][0]["description"]
        bad = await command(fake, "settings", {"contact_2": "x" * 201}, guild_id=school, **mod)
        assert "1 to 200 characters" in bad["embeds"][0]["description"]
        bad = await command(fake, "settings", {"default_force": "Atlantis"}, guild_id=school, **mod)
        assert "Atlantis" in bad["embeds"][0]["description"]
        shown = await command(fake, "settings", guild_id=school, **mod)
        assert fields(shown)["Staleness note after"] == "12 months (the bot's default)"
        assert fields(shown)["Answers"] == "Private to the asker (the bot's default)"

        changed = await command(
            fake,
            "settings",
            {"default_force": "staffs", "private_answers": False, "stale_after_months": 120, "contact_1": CONTACT},
            guild_id=school,
            **mod,
        )
        assert changed["embeds"][0]["description"].startswith("Changed: default force, staleness, private answers")
        assert fields(changed)["Default force"] == "Staffordshire"

        # /report shows the school's contact line right after the emergency line; public now.
        report = await command(fake, "report", guild_id=school)
        lines = report["embeds"][0]["description"].splitlines()
        assert lines[0] == "**If a child is in immediate danger, call 999.**" and lines[1] == CONTACT
        assert not report["flags"] & EPHEMERAL
        elsewhere = await command(fake, "report", guild_id=other)
        assert CONTACT not in elsewhere["embeds"][0]["description"] and elsewhere["flags"] & EPHEMERAL

        # /ask: the default force first, public, no staleness note under 120 months; not elsewhere.
        ix, answer = await ask(fake, school)
        assert not answer["flags"] & EPHEMERAL
        assert fields(answer)["Force"] == "Staffordshire" and "Note" not in fields(answer)
        _, there = await ask(fake, other)
        assert there["flags"] & EPHEMERAL and fields(there)["Force"] == "West Mercia" and "Note" in fields(there)
        _, named = await ask(fake, school, "what has West Mercia Police said about online child exploitation?")
        assert fields(named)["Force"] == "West Mercia"  # the question names another force
        _, fallback = await ask(fake, school, "which team investigates indecent images of children?")
        assert fields(fallback)["Force"] == "West Mercia"  # nothing in Staffordshire's articles: all forces
        _, declined = await ask(fake, school, "what is the best recipe for banana bread?")
        assert declined["embeds"][0]["title"] == "No matching passage"

        # Helpful? votes: anyone who sees the answer, once each.
        message = fake.original_message(ix)
        helpful, not_helpful = button(answer, "Helpful")["custom_id"], button(answer, "Not helpful")["custom_id"]
        thanks = await answered(fake, await fake.send_interaction(fake.button(message["id"], helpful)))
        assert "vote is counted" in thanks["content"] and thanks["flags"] & EPHEMERAL
        again = await answered(fake, await fake.send_interaction(fake.button(message["id"], not_helpful)))
        assert "already voted" in again["content"] and again["flags"] & EPHEMERAL
        other_user = await fake.send_interaction(fake.button(message["id"], not_helpful, user=fake.moderator))
        assert "vote is counted" in (await answered(fake, other_user))["content"]

        stats = await command(fake, "stats", guild_id=school, **mod)
        week = fields(stats)["Last 7 days"]
        assert "Questions answered: **3**" in week and "No matching passage: **1**" in week
        assert "Voted helpful: **1**" in week and "Voted not helpful: **1**" in week
        assert answer["embeds"][0]["url"] in fields(stats)["Answered from most (last 30 days)"]
        assert "#:~:text=" in fields(stats)["Voted not helpful most (last 30 days)"]
        quiet = fields(await command(fake, "stats", guild_id=other, **mod))["Last 30 days"]
        assert "Questions answered: **1**" in quiet and "Voted helpful: **0**" in quiet
        assert "shard=0" in bot.log and "command=settings" in bot.log

    # The settings survive a restart; the other server still has none.
    async with bots(fake, tmp_path, "", identifies=1):
        kept = fields(await command(fake, "settings", guild_id=school, **mod))
        assert kept["Default force"] == "Staffordshire" and kept["Staleness note after"] == "120 months"
        assert CONTACT in kept["Local contacts on /report (up to 3)"]
        assert fields(await command(fake, "settings", guild_id=other, **mod))["Default force"] == "All forces"

    stored = b"".join(p.read_bytes() for p in tmp_path.glob("servers.sqlite3*"))
    assert CONTACT.encode() in stored
    for text in (QUESTION, "lockdown", "banana", "West Mercia Police said", "exploitation online"):
        assert text.encode() not in stored
    for user in (fake.user, fake.moderator):
        assert user["id"].encode() not in stored


@pytest.mark.asyncio
async def test_two_processes_each_answer_only_their_shard(fake: FakeDiscord, tmp_path: Path) -> None:
    first = shard_of(fake.guild_id, 2)
    guilds = {first: fake.guild_id, 1 - first: fake.add_guild(shard=(1 - first, 2))}
    async with bots(fake, tmp_path, "0", "1", identifies=2, SHARD_COUNT="2") as running:
        assert sorted(i["shard"] for i in fake.identifies) == [[0, 2], [1, 2]]
        for shard in (0, 1):
            _, answer = await ask(fake, guilds[shard])
            assert answer["embeds"][0]["title"]
        for shard, bot in enumerate(running):
            log = await logged(bot, f"on shard(s) {shard} of 2")
            log = await logged(bot, f"command=ask shard={shard} ")
            assert f"shard={1 - shard} " not in log
        assert fake.undelivered == []


@pytest.mark.asyncio
async def test_one_process_runs_both_shards(fake: FakeDiscord, tmp_path: Path) -> None:
    first = shard_of(fake.guild_id, 2)
    guilds = {first: fake.guild_id, 1 - first: fake.add_guild(shard=(1 - first, 2))}
    async with bots(fake, tmp_path, "", identifies=2, SHARD_COUNT="2") as (bot,):
        for shard in (0, 1):
            await ask(fake, guilds[shard])
        await logged(bot, "on shard(s) 0,1 of 2")
        log = await logged(bot, "command=ask shard=1 ")
        assert "command=ask shard=0 " in log


@pytest.mark.asyncio
async def test_a_corrupt_database_is_reported_once_and_left_alone(fake: FakeDiscord, tmp_path: Path) -> None:
    path = tmp_path / "mine.sqlite3"
    path.write_bytes(b"precious notes, not a database\n" * 50)
    async with bots(fake, tmp_path, "", identifies=1, DATABASE_PATH=str(path)) as (bot,):
        _, answer = await ask(fake, fake.guild_id)
        assert answer["embeds"][0]["title"] != "No matching passage"
        refused = await command(
            fake, "settings", {"private_answers": False}, guild_id=fake.guild_id, user=fake.moderator
        )
        assert "could not be opened" in refused["embeds"][0]["description"]
        lines = [line for line in (await logged(bot, "mine.sqlite3")).splitlines() if "mine.sqlite3" in line]
        assert len(lines) == 1 and "not a readable SQLite database" in lines[0] and "default settings" in lines[0]
    assert path.read_bytes() == b"precious notes, not a database\n" * 50
