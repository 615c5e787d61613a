"""/settings, /stats, votes and per-server /ask and /report, called as handlers with autospecced
Discord objects, the real core on the seed articles and a real database in tmp_path."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import MagicMock, create_autospec

import discord
import pytest
from discord import app_commands

from bot.discord_app.answer_view import AnswerView
from bot.discord_app.ask import AskCog
from bot.discord_app.report import ReportCog
from bot.discord_app.server_commands import SettingsCog
from bot.search.library import Library, load_library
from bot.servers import settings as server_settings
from bot.servers.settings import ServerSettings
from bot.servers.store import Store
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
GUILD = 81_234_567_890_123_456


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(ROOT / "seeds", use_cache=False)


@pytest.fixture
def host(library: Library, tmp_path: Path) -> SimpleNamespace:
    tree = create_autospec(app_commands.CommandTree, instance=True)
    store = Store.open(tmp_path / "servers.sqlite3")
    return SimpleNamespace(settings=Settings(articles_dir=ROOT / "seeds"), library=library, tree=tree, store=store)


def make_interaction(user_id: int = 7, guild_id: int | None = GUILD) -> MagicMock:
    interaction = create_autospec(discord.Interaction, instance=True)
    interaction.user = create_autospec(discord.Member, instance=True)
    interaction.user.id = user_id
    interaction.guild_id = guild_id
    interaction.client = SimpleNamespace(shard_count=None)
    interaction.response = create_autospec(discord.InteractionResponse, instance=True)
    interaction.response.is_done.return_value = False
    interaction.followup = create_autospec(discord.Webhook, instance=True)
    return interaction


def reply(interaction: MagicMock) -> discord.Embed:
    interaction.response.send_message.assert_awaited_once()
    return interaction.response.send_message.await_args.kwargs["embed"]


async def settings(host: SimpleNamespace, **options: object) -> discord.Embed:
    interaction = make_interaction()
    await SettingsCog.settings.callback(SettingsCog(host), interaction, **options)
    return reply(interaction)


@pytest.mark.asyncio
async def test_settings_change_several_values_or_none(host: SimpleNamespace) -> None:
    refused = await settings(host, stale_after_months=500, private_answers=False, contact_1="Room 12")
    assert "from 1 to 120, not 500" in (refused.description or "") and "Nothing was changed" in (
        refused.description or ""
    )
    assert server_settings.load(host.store, GUILD) == ServerSettings()

    changed = await settings(host, default_force="west mercia", stale_after_months=6, contact_2="Room 12")
    assert (changed.description or "").startswith("Changed: default force, staleness, contact line 2.")
    assert server_settings.load(host.store, GUILD) == ServerSettings("West Mercia", None, 6, ("Room 12",))
    removed = await settings(host, contact_1="-", default_force="all")
    assert "contact line 1" in (removed.description or "")
    assert server_settings.load(host.store, GUILD) == ServerSettings(None, None, 6, ())


@pytest.mark.asyncio
async def test_without_a_database_settings_are_shown_but_not_changed(host: SimpleNamespace) -> None:
    host.store = None
    shown = await settings(host)
    assert {f.name: f.value for f in shown.fields}["Default force"] == "All forces"
    refused = await settings(host, private_answers=False)
    assert "could not be opened" in (refused.description or "")
    stats = make_interaction()
    await SettingsCog.stats.callback(SettingsCog(host), stats)
    assert "could not be opened" in (reply(stats).description or "")


@pytest.mark.asyncio
async def test_ask_uses_the_servers_settings_and_votes_once_per_person(host: SimpleNamespace) -> None:
    server_settings.save(host.store, GUILD, ServerSettings("Staffordshire", False, 120, ()))
    interaction = make_interaction()
    await AskCog.ask.callback(AskCog(host), interaction, "how do I keep my kids safe online during lockdown?", None)
    interaction.response.defer.assert_awaited_once_with(ephemeral=False, thinking=True)
    kwargs = interaction.edit_original_response.await_args.kwargs
    assert {f.name: f.value for f in kwargs["embed"].fields}["Force"] == "Staffordshire"
    view = kwargs["view"]
    assert isinstance(view, AnswerView)

    replies = []
    for user in (7, 7, 8):
        press = make_interaction(user)
        await view.cast(press, helpful=user == 7)
        sent = press.followup.send if press.followup.send.await_count else press.response.send_message
        replies.append(sent.await_args.args[0])
    assert ["counted" in r for r in replies] == [True, False, True] and "already voted" in replies[1]
    today = datetime.now(timezone.utc).date().isoformat()
    assert host.store.rows("SELECT guild_id, helpful, day FROM votes ORDER BY helpful") == [
        (GUILD, 0, today),
        (GUILD, 1, today),
    ]
    assert host.store.rows("SELECT count FROM answers WHERE guild_id = ?", (GUILD,)) == [(1,)]

    elsewhere = make_interaction(guild_id=GUILD + 1)
    await AskCog.ask.callback(AskCog(host), elsewhere, "how do I keep my kids safe online during lockdown?", None)
    elsewhere.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)


@pytest.mark.asyncio
async def test_report_shows_the_servers_contact_lines_after_the_emergency_line(host: SimpleNamespace) -> None:
    server_settings.save(host.store, GUILD, ServerSettings(contacts=("Our lead is in room 12", "Or ask *the office*")))
    interaction = make_interaction()
    await ReportCog.report.callback(ReportCog(host), interaction, None)
    lines = (interaction.edit_original_response.await_args.kwargs["embed"].description or "").splitlines()
    assert lines[:3] == [
        "**If a child is in immediate danger, call 999.**",
        "Our lead is in room 12",
        "Or ask \\*the office\\*",
    ]
