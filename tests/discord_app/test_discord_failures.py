"""What Discord and the articles folder throw at a running bot: late and refused interaction replies,
and a /reload that meets hostile files while questions are in flight."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from bot_process import ROOT, TOKEN, answered, button, running_bot
from fake_discord import FakeDiscord

QUESTION = "where can I report online grooming?"


def failure_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if "reply failed" in line]


@pytest.mark.asyncio
async def test_late_and_refused_replies_log_one_line_each(tmp_path: Path) -> None:
    async with FakeDiscord(token=TOKEN) as fake, running_bot(fake, tmp_path) as bot:
        first = await answered(fake, await fake.send_interaction(fake.slash("ask", {"question": QUESTION})))
        message_id = next(m for m in fake.messages.values() if m.get("embeds"))["id"]

        await fake.send_interaction(fake.slash("ask", {"question": QUESTION}, user=fake.moderator), late=True)
        await fake.send_interaction(fake.button(message_id, button(first, "Next")["custom_id"]), late=True)
        await fake.send_interaction(fake.slash("help", user=fake.owner), acknowledged=True)  # 400/40060
        await bot.wait_log(lambda log: len(failure_lines(log)) >= 3, "three failure lines")
        assert await bot.stop() == 0

    log = bot.log
    lines = failure_lines(log)
    assert len(lines) == 3, log
    assert any("command=ask" in line and "HTTP 404 code 10062" in line for line in lines), lines
    assert any("button=Next" in line and "HTTP 404 code 10062" in line for line in lines), lines
    assert any("command=help" in line and "HTTP 400 code 40060" in line for line in lines), lines
    assert "Traceback" not in log and TOKEN not in log and "grooming" not in log
    assert "Unknown interaction" not in log and "already been acknowledged" not in log  # Discord's error text


def write_article(folder: Path, name: str, header: str, body: str) -> None:
    (folder / name).write_text(f"```yaml\n{header}\n```\n\n{body}\n", encoding="utf-8")


@pytest.mark.asyncio
async def test_reload_meets_hostile_files_while_questions_are_in_flight(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "seeds", articles)
    async with (
        FakeDiscord(token=TOKEN) as fake,
        running_bot(fake, tmp_path, ARTICLES_DIR=str(articles), ASK_PER_30S="50") as bot,
    ):
        (articles / "bad-header.txt").write_text("```yaml\ntitle: [unclosed\n```\n\nbody\n", encoding="utf-8")
        (articles / "huge.txt").write_bytes(b"x" * 6_000_000)
        users = [fake.user, fake.moderator, fake.owner]
        questions = [
            await fake.send_interaction(fake.slash("ask", {"question": QUESTION}, user=users[i % 3])) for i in range(6)
        ]
        reload = await fake.send_interaction(fake.slash("reload", user=fake.moderator))
        questions += [
            await fake.send_interaction(fake.slash("ask", {"question": QUESTION}, user=users[i % 3])) for i in range(6)
        ]
        answers = await asyncio.gather(*(answered(fake, q) for q in questions))
        assert all(a["embeds"][0]["title"] != "No matching passage" for a in answers)
        assert all("groomed online" in a["embeds"][0]["description"] for a in answers)
        done = (await answered(fake, reload))["embeds"][0]["description"]
        assert "Loaded 3 articles" in done and "Rejected 2 file(s)" in done, done
        assert "bad-header.txt" in done and "huge.txt" in done and "byte limit" in done, done
        assert await bot.stop() == 0
    assert "Traceback" not in bot.log
