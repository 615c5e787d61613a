from unittest.mock import AsyncMock, MagicMock

import discord
import pytest

from bot.discord_app.views import Page, PagedView


def make_page(i: int) -> Page:
    return Page(discord.Embed(title=f"page {i}"), [("Open article", f"https://x.police.uk/{i}")])


def interaction(user_id: int) -> MagicMock:
    inter = MagicMock(spec=discord.Interaction)
    inter.user = MagicMock(id=user_id)
    inter.response = MagicMock()
    inter.response.send_message = AsyncMock()
    inter.response.edit_message = AsyncMock()
    inter.edit_original_response = AsyncMock()
    return inter


@pytest.mark.asyncio
async def test_paging_and_links_follow_the_page() -> None:
    view = PagedView(1, make_page, 3)
    assert view.previous.disabled and not view.next.disabled
    inter = interaction(1)
    await view.next.callback(inter)
    embed = inter.response.edit_message.call_args.kwargs["embed"]
    assert embed.title == "page 1" and view.position == 1
    links = [item.url for item in view.children if isinstance(item, discord.ui.Button) and item.url]
    assert links == ["https://x.police.uk/1"]
    await view.next.callback(inter)
    assert view.next.disabled and not view.previous.disabled


@pytest.mark.asyncio
async def test_only_the_asker_may_use_the_buttons() -> None:
    view = PagedView(1, make_page, 3)
    stranger = interaction(2)
    assert await view.interaction_check(stranger) is False
    kwargs = stranger.response.send_message.call_args.kwargs
    assert kwargs["ephemeral"] is True and kwargs["allowed_mentions"].to_dict() == {"parse": []}
    assert await view.interaction_check(interaction(1)) is True


@pytest.mark.asyncio
async def test_buttons_are_disabled_when_the_view_times_out() -> None:
    view = PagedView(1, make_page, 3, shareable=True)
    view.origin = interaction(1)
    await view.on_timeout()  # discord.py calls this when the view's timer runs out
    view.origin.edit_original_response.assert_awaited_once()
    buttons = [item for item in view.children if isinstance(item, discord.ui.Button)]
    assert all(b.disabled for b in buttons if b.url is None)
    assert all(not b.disabled for b in buttons if b.url is not None)  # links keep working


@pytest.mark.asyncio
async def test_single_page_has_no_paging_buttons() -> None:
    view = PagedView(1, make_page, 1)
    labels = [getattr(item, "label", None) for item in view.children]
    assert "Next" not in labels and "Previous" not in labels and "Share to channel" not in labels


@pytest.mark.asyncio
async def test_share_posts_publicly_without_pings() -> None:
    view = PagedView(1, make_page, 2, shareable=True)
    view.origin = interaction(1)
    inter = interaction(1)
    inter.user.mention = "<@1>"
    await view.share.callback(inter)
    kwargs = inter.response.send_message.call_args.kwargs
    assert "ephemeral" not in kwargs or kwargs["ephemeral"] is False
    assert kwargs["embed"].title == "page 0"
    assert kwargs["allowed_mentions"].to_dict() == {"parse": []}
    assert view.share.disabled
