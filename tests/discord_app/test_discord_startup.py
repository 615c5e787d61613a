"""Start-up and shutdown of the real bot against a fake Discord: tokens, gateway close codes, command sync."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from bot_process import ROOT, TOKEN, bot_env, run_cli, running_bot
from fake_discord import FakeDiscord

LOGIN_REJECTED = "error: Discord rejected the token in DISCORD_TOKEN; reset it in the Developer Portal"


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(token=TOKEN) as fake:
        yield fake


@pytest.mark.asyncio
async def test_rejected_token_is_a_clear_error(fake: FakeDiscord, tmp_path: Path) -> None:
    code, out, err = await run_cli(bot_env(fake, tmp_path, DISCORD_TOKEN="wrong-token"), tmp_path, "run")
    assert code == 1
    assert LOGIN_REJECTED in err.splitlines()
    assert "Traceback" not in err and "wrong-token" not in out + err


@pytest.mark.asyncio
async def test_gateway_authentication_failure_is_the_same_clear_error(fake: FakeDiscord, tmp_path: Path) -> None:
    fake.refuse_identify = 4004  # the token passed the REST login, then the gateway refused it
    code, out, err = await run_cli(bot_env(fake, tmp_path), tmp_path, "run")
    assert (code, fake.identifies != []) == (1, True)
    assert err.splitlines()[-1] == LOGIN_REJECTED
    assert "Traceback" not in out + err and "ConnectionClosed" not in out + err and TOKEN not in out + err


@pytest.mark.asyncio
async def test_token_reset_while_running_is_the_same_clear_error(fake: FakeDiscord, tmp_path: Path) -> None:
    async with running_bot(fake, tmp_path) as bot:
        await fake.close_gateway(4004)
        assert await asyncio.wait_for(bot.process.wait(), 15) == 1
    assert bot.log.splitlines()[-1] == LOGIN_REJECTED
    assert "Traceback" not in bot.log and TOKEN not in bot.log


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("close_code", "words"),
    [
        (4010, "invalid shard"),
        (4011, "sharding"),
        (4012, "API version"),
        (4013, "invalid intents"),
        (4014, "privileged intent"),
    ],
)
async def test_gateway_refusals_are_one_plain_line(
    fake: FakeDiscord, tmp_path: Path, close_code: int, words: str
) -> None:
    fake.refuse_identify = close_code
    code, out, err = await run_cli(bot_env(fake, tmp_path), tmp_path, "run")
    assert code == 1
    last = err.splitlines()[-1]
    assert last.startswith("error: ") and words in last and str(close_code) in last, err
    assert "Traceback" not in out + err and TOKEN not in out + err


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
    assert "global commands changed; synced 10" in log
    first = fake.global_commands

    code, log = await start_and_stop(fake, tmp_path, "run", ready=2)
    assert code == 0 and fake.global_command_puts == 1, log  # unchanged: no second sync
    assert "global commands are up to date" in log

    code, log = await start_and_stop(fake, tmp_path, "sync")
    assert code == 0 and fake.global_command_puts == 2, log  # `sync` forces it
    assert [c["name"] for c in fake.global_commands] == [c["name"] for c in first]
    assert fake.ready_count == 2  # `sync` never opened the gateway
