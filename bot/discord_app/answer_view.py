"""An answer's buttons plus "Helpful?" votes, which anyone who can see the answer may cast once."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, cast

import discord

from bot.discord_app.views import NO_MENTIONS, Page, PagedView
from bot.servers.feedback import Ballot

log = logging.getLogger(__name__)

# vote(position of the passage shown, helpful) -> whether it was stored
Vote = Callable[[int, bool], Awaitable[bool]]


class VoteButton(discord.ui.Button):
    def __init__(self, helpful: bool) -> None:
        super().__init__(
            label="Helpful" if helpful else "Not helpful",
            emoji="👍" if helpful else "👎",
            style=discord.ButtonStyle.success if helpful else discord.ButtonStyle.secondary,
            row=0,
        )
        self.helpful = helpful

    async def callback(self, interaction: discord.Interaction) -> None:
        view = self.view
        assert isinstance(view, AnswerView)
        await view.cast(interaction, self.helpful)


class AnswerView(PagedView):
    """A PagedView whose pages are passages, with Helpful / Not helpful buttons on row 0.

    Votes are on the passage being shown; one per person per answer (`Ballot`, in memory)."""

    def __init__(self, owner_id: int, page: Callable[[int], Page], count: int, *, shareable: bool, vote: Vote) -> None:
        super().__init__(owner_id, page, count, shareable=shareable)
        self.vote = vote
        self.ballot = Ballot()
        self._vote_ids: set[str] = set()
        for helpful in (True, False):
            button = VoteButton(helpful)
            self._vote_ids.add(str(button.custom_id))
            self.add_item(button)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        data = cast(dict[str, Any], interaction.data or {})
        if data.get("custom_id") in self._vote_ids:
            return True
        return await super().interaction_check(interaction)

    async def cast(self, interaction: discord.Interaction, helpful: bool) -> None:
        if not self.ballot.cast(interaction.user.id):
            text = "You have already voted on this answer. Thank you."
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        # Acknowledged first: the write may wait for another process, past Discord's 3 s.
        await interaction.response.defer(ephemeral=True, thinking=True)
        if await self.vote(self.position, helpful):
            text = "Thank you: your vote is counted (not who you are, nor the question)."
        else:
            text = "Thank you. Votes can't be recorded just now."
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
