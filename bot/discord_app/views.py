"""Buttons under the bot's answers: paging, sharing, and links.

Only the person who asked may page or share their answer; the buttons are disabled when the view
times out (before the interaction token's 15 minutes run out, so the edit still succeeds).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import discord

from bot.discord_app.embeds import fit

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
VIEW_TIMEOUT = 600.0
LABEL_LIMIT = 80
MAX_LINKS = 20  # 5 rows of 5 buttons, less the row of paging and sharing buttons


def reply_failure(kind: str, name: str, error: discord.HTTPException) -> str:
    """The one log line for a reply Discord refused (e.g. 10062 too late, 40060 already answered):
    status and code only, never Discord's error text, which can quote what was sent."""
    return f"{kind}={name} reply failed: HTTP {error.status} code {error.code}"


@dataclass(frozen=True)
class Page:
    embed: discord.Embed
    links: Sequence[tuple[str, str]] = ()  # (label, url) link buttons


def link_button(label: str, url: str, row: int | None = None) -> discord.ui.Button:
    return discord.ui.Button(style=discord.ButtonStyle.link, label=fit(label, LABEL_LIMIT), url=url, row=row)


def links_view(links: Sequence[tuple[str, str]]) -> discord.ui.View:
    """A view of link buttons only (they need no handler and never expire)."""
    view = discord.ui.View(timeout=None)
    for number, (label, url) in enumerate(links[: MAX_LINKS + 5]):
        view.add_item(link_button(label, url, row=number // 5))
    return view


class PagedView(discord.ui.View):
    """Previous/next through `count` pages built by `page(i)`, optional sharing, link buttons."""

    def __init__(
        self,
        owner_id: int,
        page: Callable[[int], Page],
        count: int,
        *,
        shareable: bool = False,
        timeout: float = VIEW_TIMEOUT,
    ) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.page = page
        self.count = count
        self.position = 0
        self.origin: discord.Interaction | None = None  # the command's interaction, to edit on timeout
        self.shared = False
        if not shareable:
            self.remove_item(self.share)
        if count <= 1:
            self.remove_item(self.previous)
            self.remove_item(self.next)
        self._links: list[discord.ui.Button] = []
        self._lay_out()

    def current(self) -> Page:
        return self.page(self.position)

    def _lay_out(self) -> Page:
        """Enable the paging buttons that apply and show the current page's link buttons."""
        current = self.current()
        self.previous.disabled = self.position == 0
        self.next.disabled = self.position >= self.count - 1
        for button in self._links:
            self.remove_item(button)
        self._links = [
            link_button(label, url, row=1 + n // 5) for n, (label, url) in enumerate(current.links[:MAX_LINKS])
        ]
        for button in self._links:
            self.add_item(button)
        return current

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "Only the person who asked can use these buttons. Ask your own question with `/ask`.",
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        return False

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item) -> None:
        if isinstance(error, discord.HTTPException):
            log.warning(reply_failure("button", getattr(item, "label", None) or "?", error))
        else:
            log.error("button %s failed", getattr(item, "label", None) or "?", exc_info=error)

    async def _show(self, interaction: discord.Interaction, step: int) -> None:
        self.position = max(0, min(self.count - 1, self.position + step))
        current = self._lay_out()
        await interaction.response.edit_message(embed=current.embed, view=self, allowed_mentions=NO_MENTIONS)

    @discord.ui.button(label="Previous", emoji="◀️", style=discord.ButtonStyle.secondary, row=0)
    async def previous(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._show(interaction, -1)

    @discord.ui.button(label="Next", emoji="▶️", style=discord.ButtonStyle.secondary, row=0)
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._show(interaction, +1)

    @discord.ui.button(label="Share to channel", emoji="📣", style=discord.ButtonStyle.primary, row=0)
    async def share(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """Post the page being shown publicly, as the asker chose to."""
        current = self.current()
        button.disabled = True
        await interaction.response.send_message(
            content=f"Shared by {interaction.user.mention}",
            embed=current.embed,
            view=links_view(current.links),
            allowed_mentions=NO_MENTIONS,
        )
        self.shared = True
        if self.origin is not None:
            try:
                await self.origin.edit_original_response(view=self)
            except discord.HTTPException as exc:
                log.info("could not disable the share button: %s", exc.status)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button) and item.style is not discord.ButtonStyle.link:
                item.disabled = True
        if self.origin is not None:
            try:
                await self.origin.edit_original_response(view=self)
            except discord.HTTPException as exc:
                log.info("could not disable expired buttons: HTTP %s", exc.status)
