"""The real bot, started as `python -m bot run`, against a fake Discord on 127.0.0.1: every command."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from bot_process import TOKEN, RunningBot, answered, button, buttons, running_bot
from fake_discord import EPHEMERAL, FakeDiscord, validate_command_payload


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(token=TOKEN) as fake:
        yield fake


@pytest_asyncio.fixture
async def bot(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[RunningBot]:
    async with running_bot(fake, tmp_path) as bot:
        yield bot


@pytest.mark.asyncio
async def test_bot_end_to_end(fake: FakeDiscord, bot: RunningBot) -> None:
    # Synced to the test server at start-up, every command valid; no global sync.
    await fake.wait_until(lambda: fake.command_puts, "command sync")
    synced = fake.guild_commands[fake.guild_id]
    names = sorted(c["name"] for c in synced)
    assert names == [
        "Find guidance for this message",
        "articles",
        "ask",
        "help",
        "reload",
        "report",
        "settings",
        "sources",
        "statement",
        "stats",
    ]
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
    assert await bot.stop() == 0
    log = bot.log
    assert "Traceback" not in log, log
    assert TOKEN not in log
    assert "grooming" not in log and "stranger" not in log
    assert log.count("command=ask") >= 3 and "command=report" in log and "latency_ms=" in log
