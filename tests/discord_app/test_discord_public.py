"""Public answers (PRIVATE_ANSWERS=false) against a fake Discord that announces every edit with
MESSAGE_UPDATE, as Discord does; and a /reload that meets hostile files while questions are in flight."""

from __future__ import annotations

from pathlib import Path

import pytest
from bot_process import TOKEN, answered, button, running_bot
from fake_discord import EPHEMERAL, FakeDiscord


def footer(message: dict) -> str:
    return message["embeds"][0]["footer"]["text"]


@pytest.mark.asyncio
@pytest.mark.parametrize("legacy", [True, False], ids=["with-interaction", "metadata-only"])
async def test_public_answers_page_through_message_update(tmp_path: Path, legacy: bool) -> None:
    async with (
        FakeDiscord(token=TOKEN, legacy_interaction=legacy) as fake,
        running_bot(fake, tmp_path, PRIVATE_ANSWERS="false") as bot,
    ):
        ask = await fake.send_interaction(fake.slash("ask", {"question": "where can I report online grooming?"}))
        first = await answered(fake, ask)
        assert not first["flags"] & EPHEMERAL and footer(first).startswith("Result 1 of ")
        message_id = fake.original_message(ask)["id"]
        await fake.flush_events()
        update = [u for u in fake.dispatched("MESSAGE_UPDATE") if u["id"] == message_id][-1]
        assert update["components"] and update["interaction_metadata"]["id"] == ask["id"]
        assert ("interaction" in update) is legacy

        nxt = await fake.send_interaction(fake.button(message_id, button(first, "Next")["custom_id"]))
        page2 = await fake.wait_response(nxt)
        assert page2["type"] == 7 and footer(page2["data"]).startswith("Result 2 of ")
        back = await fake.send_interaction(fake.button(message_id, button(page2["data"], "Previous")["custom_id"]))
        page1 = await fake.wait_response(back)
        assert page1["type"] == 7 and footer(page1["data"]).startswith("Result 1 of ")
        await fake.flush_events()
        assert len([u for u in fake.dispatched("MESSAGE_UPDATE") if u["id"] == message_id]) >= 3

        # Still connected and answering after all those MESSAGE_UPDATEs.
        report = await answered(fake, await fake.send_interaction(fake.slash("report", {"topic": "grooming"})))
        assert not report["flags"] & EPHEMERAL and "999" in report["embeds"][0]["description"]
        assert await bot.stop() == 0
    assert "Traceback" not in bot.log, bot.log
    assert fake.errors == [] and fake.unhandled == []
