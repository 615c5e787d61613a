"""The real bot (`python -m bot run`) against the fake Discord, refreshing from a local news site:
the refresh runs beside the event loop, the library is swapped, and /sources reports it."""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio
from bot_process import TOKEN, answered, running_bot
from fake_discord import FakeDiscord
from live.forcesite import ROMANCE, build
from live.localsite import serve

ROOT = Path(__file__).resolve().parents[2]


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(token=TOKEN) as fake:
        yield fake


async def until(predicate: Callable[[], object], what: str, timeout: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


@pytest.mark.asyncio
async def test_scheduled_refresh_and_sources(fake: FakeDiscord, tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(ROOT / "seeds" / "003_94554c865ab99f69.txt", articles)
    gate = threading.Event()
    with serve() as site:
        fixture = build(site)
        site.routes["/news/online-safety/"].gate = gate  # the refresh waits here until the test says so
        gone = site.base + "/news/gone.xml"
        sources = tmp_path / "sources.yaml"
        sources.write_text(f"- url: {fixture.atom}\n- url: {gone}\n  force: Kent\n", encoding="utf-8")
        try:
            async with running_bot(
                fake,
                tmp_path,
                ARTICLES_DIR=str(articles),
                SOURCES_FILE=str(sources),
                REFRESH_MINUTES="60",
                FETCH_CONTACT="owner@example.org",
            ) as bot:
                await fake.wait_until(lambda: fake.command_puts, "command sync")
                synced = {c["name"]: c for c in fake.guild_commands[fake.guild_id]}
                assert str(synced["sources"]["default_member_permissions"]) == "32"  # Manage Server

                # The refresh is stuck on a slow page: the bot still answers, from what it had.
                await until(lambda: site.requested("/news/online-safety/") == 1, "the refresh to reach the slow page")
                helped = await answered(fake, await fake.send_interaction(fake.slash("help")))
                assert "I know 1 articles" in helped["embeds"][0]["description"]
                running = await answered(fake, await fake.send_interaction(fake.slash("sources", user=fake.moderator)))
                assert "A refresh is running now." in running["embeds"][0]["description"]
                gate.set()

                await until(lambda: "refresh: 2 source(s), 1 failed" in bot.log, "the refresh to finish")
                asked = await answered(
                    fake, await fake.send_interaction(fake.slash("ask", {"question": "signs of a romance fraudster"}))
                )
                assert asked["embeds"][0]["url"] == ROMANCE
                assert len(list(articles.glob("*.txt"))) == 3

                denied = await answered(fake, await fake.send_interaction(fake.slash("sources", user=fake.user)))
                assert "Manage Server" in denied["embeds"][0]["description"]
                shown = await answered(fake, await fake.send_interaction(fake.slash("sources", user=fake.moderator)))
                text = shown["embeds"][0]["description"]
                assert text.startswith("Next refresh in 60 min")
                assert fixture.atom in text and "read, just now" in text and "2 new" in text
                assert gone in text and "(Kent)" in text and "failed: HTTP 404 Not Found" in text
                assert bot.log.count("failed: HTTP 404 Not Found") == 1  # one line per failing source
                assert "owner@example.org" in site.log[-1].headers["user-agent"]
                assert await bot.stop() == 0
        finally:
            gate.set()
