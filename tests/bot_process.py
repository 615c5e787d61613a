"""Running the real bot (`python -m bot run`) in a subprocess against a FakeDiscord, for end-to-end tests.

A `sitecustomize` on the bot's PYTHONPATH points discord.py's REST and gateway URLs at the fake
(nothing in the bot knows about the test). Every interaction goes over the socket, and the tests
assert on what the bot posts.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from fake_discord import FakeDiscord, validate_message_payload

ROOT = Path(__file__).resolve().parents[1]
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
        INDEX_DIR=str(tmp_path / "index"),
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

    async def wait_log(self, predicate: Callable[[str], bool], what: str, timeout: float = 15.0) -> str:
        """Poll the log until ``predicate(log)`` holds; AssertionError naming ``what`` on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate(log := self.log):
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting for {what} in the bot's log:\n{log}")
            await asyncio.sleep(0.05)
        return log

    async def stop(self) -> int:
        """SIGTERM, and the exit status."""
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), 15)


@contextlib.asynccontextmanager
async def running_bot(fake: FakeDiscord, tmp_path: Path, **env: str) -> AsyncIterator[RunningBot]:
    """`python -m bot run` until the block ends; the block starts once the bot is READY."""
    log_path = tmp_path / "bot.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=tmp_path, env=bot_env(fake, tmp_path, **env), stdout=log, stderr=log
        )
    bot = RunningBot(process, log_path)
    try:
        await fake.wait_ready(timeout=30)
        yield bot
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 10)
            except asyncio.TimeoutError:
                process.kill()


async def run_cli(env: dict[str, str], cwd: Path, *args: str) -> tuple[int, str, str]:
    """Run `python -m bot ARGS` to completion; return exit status, stdout and stderr."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 30)
    return process.returncode or 0, out.decode(), err.decode()


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
