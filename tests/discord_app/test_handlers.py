"""Command handlers called directly, as python-discord's tests do: `Cog.command.callback(cog, interaction, ...)`
with autospecced Discord objects and the real core on the seed articles."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import MagicMock, create_autospec

import discord
import pytest
from discord import app_commands

from bot.discord_app.about import AboutCog
from bot.discord_app.admin import AdminCog
from bot.discord_app.ask import AskCog
from bot.discord_app.client import NewsBot
from bot.discord_app.report import ReportCog
from bot.discord_app.views import Page, PagedView
from bot.search.library import Library, load_library
from bot.settings import DEFAULT_EMERGENCY, Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(ROOT / "seeds", use_cache=False)


@pytest.fixture
def host(library: Library) -> SimpleNamespace:
    tree = create_autospec(app_commands.CommandTree, instance=True)
    return SimpleNamespace(settings=Settings(articles_dir=ROOT / "seeds"), library=library, tree=tree, store=None)


def make_interaction(user_id: int = 7) -> MagicMock:
    interaction = create_autospec(discord.Interaction, instance=True)
    interaction.user = create_autospec(discord.Member, instance=True)
    interaction.user.id = user_id
    interaction.response = create_autospec(discord.InteractionResponse, instance=True)
    interaction.response.is_done.return_value = False
    interaction.followup = create_autospec(discord.Webhook, instance=True)
    return interaction


def sent(method: MagicMock) -> discord.Embed:
    """The embed of the one call to a send/edit method."""
    method.assert_awaited_once()
    return method.await_args.kwargs["embed"]


@pytest.mark.asyncio
async def test_ask_defers_privately_and_shows_the_best_passage(host: SimpleNamespace) -> None:
    cog, interaction = AskCog(host), make_interaction()
    await AskCog.ask.callback(cog, interaction, "where can I report online grooming?", None)
    interaction.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
    embed = sent(interaction.edit_original_response)
    assert "groomed online" in (embed.description or "") and embed.footer.text.startswith("Result 1 of ")
    view = interaction.edit_original_response.await_args.kwargs["view"]
    assert isinstance(view, PagedView) and view.owner_id == 7 and view.origin is interaction
    urls = [item.url for item in view.children if isinstance(item, discord.ui.Button) and item.url]
    assert urls[0] == embed.url and "#:~:text=" in urls[1]


@pytest.mark.asyncio
async def test_public_answers_are_deferred_publicly(host: SimpleNamespace) -> None:
    host.settings = replace(host.settings, private_answers=False)
    interaction = make_interaction()
    await AskCog.ask.callback(AskCog(host), interaction, "online safety", None)
    interaction.response.defer.assert_awaited_once_with(ephemeral=False, thinking=True)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("question", "force", "title", "words"),
    [
        ("  ", None, "Question not searched", "at least a few words"),
        ("x " * 200, None, "Question not searched", "under 300 characters"),
        ("online safety", "Atlantis", "Unknown force", "Staffordshire, West Mercia"),
    ],
)
async def test_ask_turns_bad_options_away_privately(
    host: SimpleNamespace, question: str, force: str | None, title: str, words: str
) -> None:
    interaction = make_interaction()
    await AskCog.ask.callback(AskCog(host), interaction, question, force)
    embed = sent(interaction.response.send_message)
    assert embed.title == title and words in (embed.description or "")
    assert interaction.response.send_message.await_args.kwargs["ephemeral"] is True
    interaction.response.defer.assert_not_awaited()


@pytest.mark.asyncio
async def test_guidance_on_a_message_without_text(host: SimpleNamespace) -> None:
    interaction, message = make_interaction(), create_autospec(discord.Message, instance=True)
    message.content = "   "
    await AskCog(host).guidance(interaction, message)
    assert sent(interaction.response.send_message).title == "Nothing to search"


@pytest.mark.asyncio
async def test_report_leads_with_the_emergency_line_and_the_services_for_the_topic(host: SimpleNamespace) -> None:
    interaction = make_interaction()
    await ReportCog.report.callback(ReportCog(host), interaction, "online grooming")
    embed = sent(interaction.edit_original_response)
    assert (embed.description or "").startswith(f"**{DEFAULT_EMERGENCY}**")
    names = [field.name or "" for field in embed.fields]
    assert names[0].startswith("Police emergency 999") and any("CEOP" in n for n in names)
    assert any(n.startswith("In the articles:") for n in names)


@pytest.mark.asyncio
async def test_statement_by_force_and_unknown_force(host: SimpleNamespace) -> None:
    interaction = make_interaction()
    await ReportCog.statement.callback(ReportCog(host), interaction, "staffs", None)
    fields = sent(interaction.edit_original_response).fields
    assert fields and all("Staffordshire" in (f.name or "") for f in fields)

    refused = make_interaction()
    await ReportCog.statement.callback(ReportCog(host), refused, "Atlantis", None)
    assert sent(refused.response.send_message).title == "Unknown force"


@pytest.mark.asyncio
async def test_articles_and_help(host: SimpleNamespace) -> None:
    interaction = make_interaction()
    await AboutCog.articles.callback(AboutCog(host), interaction, None)
    listed = sent(interaction.response.send_message)
    assert listed.title == "Articles (3)" and listed.footer.text == "Page 1 of 1"

    helped = make_interaction()
    await AboutCog.help.callback(AboutCog(host), helped)
    assert "7 April 2020 to 18 March 2021" in (sent(helped.response.send_message).description or "")


@pytest.mark.asyncio
async def test_reload_swaps_the_library_or_changes_nothing(host: SimpleNamespace, tmp_path: Path) -> None:
    before = host.library
    interaction = make_interaction()
    await AdminCog.reload.callback(AdminCog(host), interaction)
    assert "Loaded 3 articles" in (sent(interaction.followup.send).description or "")
    assert host.library is not before

    host.settings = replace(host.settings, articles_dir=tmp_path / "missing")
    current, failed = host.library, make_interaction()
    failed.response.is_done.return_value = True  # deferred
    await AdminCog.reload.callback(AdminCog(host), failed)
    embed = sent(failed.followup.send)
    assert embed.title == "Reload failed" and "Nothing was changed" in (embed.description or "")
    assert host.library is current


def discord_error(cls: type[discord.HTTPException], status: int, code: int, text: str) -> discord.HTTPException:
    response = MagicMock(status=status, reason="Refused")
    return cls(response, {"code": code, "message": text})


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("error", "line"),
    [
        (discord_error(discord.NotFound, 404, 10062, "Unknown interaction"), "HTTP 404 code 10062"),
        (
            discord_error(discord.HTTPException, 400, 40060, "Interaction has already been acknowledged."),
            "HTTP 400 code 40060",
        ),
    ],
)
async def test_a_refused_reply_is_one_log_line_and_no_second_reply(
    host: SimpleNamespace, caplog: pytest.LogCaptureFixture, error: discord.HTTPException, line: str
) -> None:
    bot = NewsBot(host.settings, host.library)
    interaction = make_interaction()
    interaction.command = AskCog.ask
    wrapped = app_commands.CommandInvokeError(AskCog.ask, error)
    with caplog.at_level("DEBUG", logger="bot"):
        await bot.on_app_command_error(interaction, wrapped)
    (record,) = [r for r in caplog.records if r.name == "bot"]
    assert record.getMessage() == f"command=ask reply failed: {line}"
    assert record.exc_info is None and str(error) not in caplog.text
    interaction.response.send_message.assert_not_awaited()
    interaction.followup.send.assert_not_awaited()


@pytest.mark.asyncio
async def test_a_refused_button_reply_is_one_log_line(caplog: pytest.LogCaptureFixture) -> None:
    view = PagedView(7, lambda i: Page(discord.Embed(title=str(i))), 2)
    error = discord_error(discord.NotFound, 404, 10062, "Unknown interaction")
    with caplog.at_level("DEBUG"):
        await view.on_error(make_interaction(), error, view.next)
    assert [r.getMessage() for r in caplog.records] == ["button=Next reply failed: HTTP 404 code 10062"]
    assert caplog.records[0].exc_info is None
