"""/ask and the "Find guidance for this message" context menu: the best passages, paged."""

from __future__ import annotations

import asyncio
import time
from typing import cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.corpus.forces import UnknownForce
from bot.corpus.header import uk_now
from bot.discord_app.embeds import result_embed
from bot.discord_app.server_context import answer_view, count_answer, settings_for
from bot.discord_app.shared import Host, force_choices, log_done, pick_force, reply_privately
from bot.discord_app.views import NO_MENTIONS, Page
from bot.search.answers import Answer, answer, context_link, stale_notice

MIN_QUESTION, MAX_QUESTION = 3, 300


def question_problem(question: str) -> str | None:
    """Why a question can't be searched, in words for the user; None if it can."""
    text = " ".join(question.split())
    if len(text) < MIN_QUESTION:
        return "Please type a question of at least a few words, e.g. *where can I report online grooming?*"
    if len(text) > MAX_QUESTION:
        return f"Please keep your question under {MAX_QUESTION} characters (yours has {len(text)})."
    return None


def _ask_cooldown(interaction: discord.Interaction) -> app_commands.Cooldown:
    return app_commands.Cooldown(cast(Host, interaction.client).settings.ask_per_30s, 30.0)


class AskCog(commands.Cog):
    def __init__(self, host: Host) -> None:
        self.host = host
        self.guidance_menu = app_commands.ContextMenu(name="Find guidance for this message", callback=self.guidance)

    async def cog_load(self) -> None:
        self.host.tree.add_command(self.guidance_menu)

    async def cog_unload(self) -> None:
        self.host.tree.remove_command(self.guidance_menu.name, type=self.guidance_menu.type)

    def answer_page(self, result: Answer, position: int, stale_months: int) -> Page:
        settings = self.host.settings
        links = [(c.name, c.web) for c in result.channels if c.web]
        notice = None
        if result.hits:
            hit = result.hits[position]
            notice = stale_notice(hit.passage.article.published, uk_now(), stale_months)
            links = [("Open article", hit.passage.article.url), ("Read in context", context_link(hit)), *links]
        n_articles = len(self.host.library.articles)
        embed = result_embed(result, position, n_articles=n_articles, footer=settings.footer, notice=notice)
        return Page(embed, links)

    async def respond(self, interaction: discord.Interaction, question: str, force: str | None, command: str) -> None:
        started = time.perf_counter()
        problem = question_problem(question)
        if problem:
            await reply_privately(interaction, self.host, problem, "Question not searched")
            return
        try:
            chosen = pick_force(self.host, force)
        except UnknownForce as exc:
            await reply_privately(
                interaction, self.host, f"{exc}. Pick a force from the list as you type.", "Unknown force"
            )
            return
        server = await settings_for(self.host, interaction)
        private = server.private(self.host.settings.private_answers)
        stale = server.stale_months(self.host.settings.stale_after_months)
        await interaction.response.defer(ephemeral=private, thinking=True)
        library, question = self.host.library, " ".join(question.split())
        force = server.search_force(question, chosen, library.forces)
        result = await asyncio.to_thread(answer, library, question, force)
        if not result.hits and force is not None and chosen is None:  # the server's force first, then all
            result = await asyncio.to_thread(answer, library, question, None)
        view = answer_view(self.host, interaction, result, lambda i: self.answer_page(result, i, stale), private)
        view.origin = interaction
        await interaction.edit_original_response(embed=view.current().embed, view=view, allowed_mentions=NO_MENTIONS)
        await count_answer(self.host, interaction, result)  # after the answer: a busy database never delays it
        log_done(interaction, command, started, results=len(result.hits), channels=len(result.channels))

    @app_commands.command(name="ask")
    @app_commands.describe(question="Your question, in your own words", force="Only articles from this police force")
    @app_commands.checks.dynamic_cooldown(_ask_cooldown, key=lambda i: i.user.id)
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, MIN_QUESTION, MAX_QUESTION],
        force: str | None = None,
    ) -> None:
        """Ask a question; get the best matching passage from police news articles."""
        await self.respond(interaction, question, force, "ask")

    async def guidance(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Context menu: search the articles with the text of a message, answered privately."""
        text = " ".join((message.content or "").split())
        if not text:
            await reply_privately(
                interaction, self.host, "That message has no text to search with.", "Nothing to search"
            )
            return
        await self.respond(interaction, text[:MAX_QUESTION], None, "guidance")

    @ask.autocomplete("force")
    async def force_autocomplete(self, _: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return force_choices(self.host, current)
