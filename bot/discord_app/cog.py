"""Slash commands: each handler validates its options, calls the core, and renders the result."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.corpus.articles import FolderError
from bot.corpus.forces import UnknownForce, resolve_force, suggest_forces
from bot.discord_app import embeds
from bot.discord_app.views import NO_MENTIONS, Page, PagedView
from bot.search.answers import Answer, answer, context_link, stale_notice
from bot.search.library import load_library
from bot.search.render import published_label

if TYPE_CHECKING:
    from bot.discord_app.client import NewsBot

log = logging.getLogger(__name__)

MIN_QUESTION, MAX_QUESTION = 3, 300
ARTICLES_PER_PAGE = 10
STATEMENTS_SHOWN = 5


def _ask_cooldown(interaction: discord.Interaction) -> app_commands.Cooldown:
    return app_commands.Cooldown(interaction.client.settings.ask_per_30s, 30.0)


def _question_problem(question: str) -> str | None:
    """Why a question can't be searched, in words for the user; None if it can."""
    text = " ".join(question.split())
    if len(text) < MIN_QUESTION:
        return "Please type a question of at least a few words, e.g. *where can I report online grooming?*"
    if len(text) > MAX_QUESTION:
        return f"Please keep your question under {MAX_QUESTION} characters (yours has {len(text)})."
    return None


class AnswerCommands(commands.Cog):
    def __init__(self, bot: NewsBot) -> None:
        self.bot = bot
        self.guidance_menu = app_commands.ContextMenu(name="Find guidance for this message", callback=self.guidance)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.guidance_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.guidance_menu.name, type=self.guidance_menu.type)

    # -- helpers -------------------------------------------------------------------------------

    @property
    def settings(self):
        return self.bot.settings

    async def _reply(self, interaction: discord.Interaction, text: str, title: str = "Sorry") -> None:
        """A short private message of the bot's own, whether or not the interaction was deferred."""
        embed = embeds.message_embed(title, text, self.settings.footer)
        if interaction.response.is_done():
            await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    def _force(self, force: str | None) -> str | None:
        """The loaded force `force` names; raises UnknownForce."""
        return None if force is None or not force.strip() else resolve_force(force, self.bot.library.forces)

    def _answer_page(self, result: Answer, position: int) -> Page:
        total = max(len(result.hits), 1)
        channel_links = [(c.name, c.web) for c in result.channels if c.web]
        if not result.hits:
            embed = embeds.no_match_embed(result.question, len(self.bot.library.articles), self.settings.footer)
            embeds.add_fields_within(embed, self._channel_fields(result))
            return Page(embed, channel_links)
        hit = result.hits[position]
        article = hit.passage.article
        notice = stale_notice(article.published, datetime.now(), self.settings.stale_after_months)
        embed = embeds.answer_embed(
            hit,
            position=position + 1,
            total=total,
            footer=self.settings.footer,
            notices=[notice] if notice else [],
            also=[(p.article.force, p.article.url) for p in hit.also],
        )
        embeds.add_fields_within(embed, self._channel_fields(result))
        links = [("Open article", article.url), ("Read in context", context_link(hit)), *channel_links]
        return Page(embed, links)

    def _channel_fields(self, result: Answer) -> list[tuple[str, str]]:
        fields = []
        for channel in result.channels:
            fields.append((f"Report: {channel.name}", f"{channel.contact}\n{channel.when}"))
        return fields

    async def _respond(self, interaction: discord.Interaction, question: str, force: str | None, command: str) -> None:
        started = time.perf_counter()
        problem = _question_problem(question)
        if problem:
            await self._reply(interaction, problem, "Question not searched")
            return
        try:
            force = self._force(force)
        except UnknownForce as exc:
            await self._reply(interaction, f"{exc}. Pick a force from the list as you type.", "Unknown force")
            return
        private = self.settings.private_answers
        await interaction.response.defer(ephemeral=private, thinking=True)
        library = self.bot.library
        result = await asyncio.to_thread(answer, library, " ".join(question.split()), force)
        count = max(len(result.hits), 1)
        view = PagedView(interaction.user.id, lambda i: self._answer_page(result, i), count, shareable=private)
        view.origin = interaction
        await interaction.edit_original_response(embed=view.current().embed, view=view, allowed_mentions=NO_MENTIONS)
        log.info(
            "command=%s results=%d channels=%d latency_ms=%.0f",
            command,
            len(result.hits),
            len(result.channels),
            (time.perf_counter() - started) * 1000,
        )

    # -- commands ------------------------------------------------------------------------------

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
        await self._respond(interaction, question, force, "ask")

    async def guidance(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Context menu: search the articles with the text of a message, answered privately."""
        text = " ".join((message.content or "").split())
        if not text:
            await self._reply(interaction, "That message has no text to search with.", "Nothing to search")
            return
        await self._respond(interaction, text[:MAX_QUESTION], None, "guidance")

    @app_commands.command(name="report")
    @app_commands.describe(topic="What the concern is about, e.g. online grooming, images, anonymous")
    async def report(
        self, interaction: discord.Interaction, topic: app_commands.Range[str, 0, 200] | None = None
    ) -> None:
        """Where to report a concern about a child: services and the articles' own advice."""
        started = time.perf_counter()
        library = self.bot.library
        topic = " ".join((topic or "").split())[:200] or None
        private = self.settings.private_answers
        await interaction.response.defer(ephemeral=private, thinking=True)
        routed = library.router.route(topic, k=4) if topic else []
        channels = list(routed) + [c for c in library.directory if c not in routed and not topic]
        if not any(c.emergency for c in channels):
            channels = [c for c in library.directory if c.emergency][:1] + channels
        mentions = library.channels.find(topic, k=5)
        embed = embeds.message_embed(
            "Where to report a concern",
            f"**{embeds.escape(self.settings.emergency_line)}**"
            + (f"\nFor: *{embeds.escape(embeds.fit(topic, 200))}*" if topic else ""),
            self.settings.footer,
        )
        fields = [
            (c.name, f"{c.contact}\n{c.when}" + (f"\nNot for: {c.not_for}" if c.not_for else "")) for c in channels
        ]
        fields += [
            (
                f"In the articles: {m.contact}",
                f"“{embeds.escape(m.sentence)}”\n[{embeds.escape(m.article.title)}]({m.article.url}) · "
                f"{m.article.force} · {published_label(m.article.published)}",
            )
            for m in mentions
        ]
        embeds.add_fields_within(embed, fields)
        links = [(c.name, c.web) for c in channels if c.web]
        view = PagedView(interaction.user.id, lambda _: Page(embed, links), 1, shareable=private)
        view.origin = interaction
        await interaction.edit_original_response(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
        log.info(
            "command=report channels=%d mentions=%d latency_ms=%.0f",
            len(channels),
            len(mentions),
            (time.perf_counter() - started) * 1000,
        )

    @app_commands.command(name="statement")
    @app_commands.describe(force="Only this police force", topic="What the statement is about")
    async def statement(
        self,
        interaction: discord.Interaction,
        force: str | None = None,
        topic: app_commands.Range[str, 0, 200] | None = None,
    ) -> None:
        """What the police have said: quoted statements with who said them."""
        started = time.perf_counter()
        try:
            force = self._force(force)
        except UnknownForce as exc:
            await self._reply(interaction, f"{exc}.", "Unknown force")
            return
        private = self.settings.private_answers
        await interaction.response.defer(ephemeral=private, thinking=True)
        found = self.bot.library.statements.find((topic or "")[:200] or None, force=force, k=STATEMENTS_SHOWN)
        if not found:
            embed = embeds.message_embed(
                "No statements found",
                "No quoted statement in the articles matches that. Try another topic, or leave it empty.",
                self.settings.footer,
            )
        else:
            about = f" about *{embeds.escape(embeds.fit(topic, 200))}*" if topic else ""
            order = "most relevant first" if topic else "newest first"
            embed = embeds.message_embed(
                "What the police have said",
                f"Statements{about}{' from ' + force if force else ''}, {order}.",
                self.settings.footer,
            )
            embeds.add_fields_within(
                embed,
                (
                    (
                        f"{s.speaker} · {s.article.force} · {published_label(s.article.published)}",
                        f"{embeds.fit(embeds.escape(s.text), 850)}\n[{embeds.escape(embeds.fit(s.article.title, 100))}]"
                        f"({s.article.url})",
                    )
                    for s in found
                ),
            )
        view = PagedView(interaction.user.id, lambda _: Page(embed), 1, shareable=private)
        view.origin = interaction
        await interaction.edit_original_response(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
        log.info("command=statement results=%d latency_ms=%.0f", len(found), (time.perf_counter() - started) * 1000)

    @app_commands.command(name="articles")
    @app_commands.describe(force="Only this police force")
    async def articles(self, interaction: discord.Interaction, force: str | None = None) -> None:
        """The articles the bot answers from, newest first."""
        try:
            force = self._force(force)
        except UnknownForce as exc:
            await self._reply(interaction, f"{exc}.", "Unknown force")
            return
        listed = [a for a in self.bot.library.articles if force is None or a.force == force]
        pages = max(1, -(-len(listed) // ARTICLES_PER_PAGE))

        def page(number: int) -> Page:
            chunk = listed[number * ARTICLES_PER_PAGE : (number + 1) * ARTICLES_PER_PAGE]
            lines = [
                f"[{embeds.escape(embeds.fit(a.title, 150))}]({a.url})\n{embeds.escape(a.force)} · "
                f"{published_label(a.published)}"
                for a in chunk
            ]
            title = f"Articles{' from ' + force if force else ''} ({len(listed)})"
            return Page(embeds.message_embed(title, "\n\n".join(lines), f"Page {number + 1} of {pages}"))

        view = PagedView(interaction.user.id, page, pages)
        await interaction.response.send_message(
            embed=page(0).embed, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        view.origin = interaction
        log.info("command=articles results=%d", len(listed))

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction) -> None:
        """What this bot does and how to use it."""
        library = self.bot.library
        first, last = library.date_range
        text = (
            "I answer questions with **passages quoted word for word from police news articles**, with a "
            "link to each article, its force and date. I don't write answers of my own, and what I show "
            "is not advice: read the article, and contact the police or a service for your situation.\n\n"
            f"I know {len(library.articles)} articles from {len(library.forces)} force(s), published "
            f"{published_label(first)} to {published_label(last)}.\n\n"
            "`/ask` a question, optionally for one force\n"
            "`/report` where to report a concern (add a topic: *grooming*, *images*, *anonymous*)\n"
            "`/statement` what officers have said, by force or topic\n"
            "`/articles` the articles I answer from\n"
            "Right-click a message › Apps › **Find guidance for this message**: search with its text, privately.\n\n"
            f"**{embeds.escape(self.settings.emergency_line)}**"
        )
        await interaction.response.send_message(
            embed=embeds.message_embed("About this bot", text, self.settings.footer),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        log.info("command=help")

    @app_commands.command(name="reload")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def reload(self, interaction: discord.Interaction) -> None:
        """Re-read the articles folder (Manage Server only)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        started = time.perf_counter()
        try:
            library = await asyncio.to_thread(
                load_library, self.settings.articles_dir, self.settings.channels_file, index_dir=self.settings.index_dir
            )
        except (FolderError, ValueError) as exc:
            await self._reply(interaction, f"Nothing was changed: {exc}", "Reload failed")
            return
        self.bot.library = library
        rejected = "\n".join(f"• {embeds.escape(str(p))}" for p in library.problems)
        text = (
            f"Loaded {len(library.articles)} articles ({len(library.index.passages)} passages) from "
            f"{len(library.forces)} force(s).\n"
            + (
                f"\nRejected {len(library.problems)} file(s):\n{rejected}"
                if library.problems
                else "No file was rejected."
            )
        )
        await interaction.followup.send(
            embed=embeds.message_embed("Articles reloaded", text), ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        log.info(
            "command=reload articles=%d rejected=%d latency_ms=%.0f",
            len(library.articles),
            len(library.problems),
            (time.perf_counter() - started) * 1000,
        )

    @ask.autocomplete("force")
    @statement.autocomplete("force")
    @articles.autocomplete("force")
    async def force_autocomplete(self, _: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=f[:100], value=f[:100]) for f in suggest_forces(current, self.bot.library.forces)
        ]
