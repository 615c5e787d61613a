"""Discord embeds for answers. Plain functions, tested without a client.

Discord rejects a message whose embed passes its limits (title 256, description 4,096, field
value 1,024, footer 2,048, 25 fields, 6,000 in all), so every text is fitted here: cut at a
sentence or a word with an ellipsis, never mid-word, and never inside bold markers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import discord
from discord.utils import escape_markdown

from bot.corpus.articles import Article
from bot.corpus.links import markdown_link
from bot.corpus.tokens import term_spans
from bot.safeguarding.directory import Channel
from bot.safeguarding.reporting import ArticleChannel
from bot.search.answers import Answer
from bot.search.index import Hit
from bot.search.library import Library
from bot.search.render import published_label
from bot.search.statements import Statement

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_LIMIT = 1024
FOOTER_LIMIT = 2048
TOTAL_LIMIT = 6000
MAX_FIELDS = 25
ELLIPSIS = "…"
COLOUR = discord.Colour.from_rgb(0, 48, 135)

_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s")


def fit(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a sentence end, else a word end, plus `…`."""
    text = text.strip()
    if len(text) <= limit:
        return text
    room = text[: limit - len(ELLIPSIS)]
    ends = [m.end() for m in _SENTENCE_END.finditer(room + " ")]
    if ends and ends[-1] >= limit // 2:
        kept = room[: ends[-1]].rstrip()
        return f"{kept} {ELLIPSIS}" if len(kept) + 2 <= limit else kept + ELLIPSIS
    if text[len(room)].isspace():
        return room.rstrip() + ELLIPSIS
    spaces = [m.start() for m in re.finditer(r"\s", room)]
    if not spaces:
        return ELLIPSIS
    return room[: spaces[-1]].rstrip() + ELLIPSIS


def escape(text: str) -> str:
    """User or article text made inert: no markdown, no mentions."""
    return discord.utils.escape_mentions(escape_markdown(text))


def _bold_spans(raw: str, terms: set[str], answer: tuple[int, int] | None) -> list[list[int]]:
    if answer is not None:
        start, end = answer[0], min(answer[1], len(raw.rstrip(ELLIPSIS).rstrip()))
        return [[start, end]] if start < end else []
    spans: list[list[int]] = []
    for term, start, end in term_spans(raw):
        if term in terms:
            if spans and not raw[spans[-1][1] : start].strip():  # overlapping or one space apart
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
    return spans


def highlight(text: str, terms: Iterable[str], limit: int, answer: tuple[int, int] | None = None) -> str:
    """Escape `text` and put in bold the sentence that best answers (`answer`, a span of
    `text`) or, when there is none or it is the whole text, the words that match `terms`;
    within `limit` characters."""
    wanted = set(terms)
    if answer is not None and not text[: answer[0]].strip() and not text[answer[1] :].strip():
        answer = None
    budget = limit
    while True:
        raw = fit(text, budget)
        parts, last = [], 0
        for start, end in _bold_spans(raw, wanted, answer):
            parts += [escape(raw[last:start]), f"**{escape(raw[start:end])}**"]
            last = end
        parts.append(escape(raw[last:]))
        rendered = "".join(parts)
        if len(rendered) <= limit:
            return rendered
        budget -= len(rendered) - limit


def embed_problems(embed: discord.Embed) -> list[str]:
    """Every way `embed` breaks Discord's limits (empty when it is valid)."""
    problems = []
    checks = [
        ("title", embed.title or "", TITLE_LIMIT),
        ("description", embed.description or "", DESCRIPTION_LIMIT),
        ("footer", embed.footer.text or "", FOOTER_LIMIT),
        ("author", embed.author.name or "", TITLE_LIMIT),
    ]
    for index, field in enumerate(embed.fields):
        checks += [(f"field {index} name", field.name or "", FIELD_NAME_LIMIT)]
        checks += [(f"field {index} value", field.value or "", FIELD_LIMIT)]
        if not (field.name or "").strip() or not (field.value or "").strip():
            problems.append(f"field {index} is empty")
    problems += [f"{name} has {len(text)} > {limit} characters" for name, text, limit in checks if len(text) > limit]
    if len(embed.fields) > MAX_FIELDS:
        problems.append(f"{len(embed.fields)} fields > {MAX_FIELDS}")
    if len(embed) > TOTAL_LIMIT:
        problems.append(f"{len(embed)} characters in all > {TOTAL_LIMIT}")
    return problems


def answer_embed(
    hit: Hit,
    *,
    position: int,
    total: int,
    footer: str,
    notices: Sequence[str] = (),
    also: Sequence[tuple[str, str]] = (),
) -> discord.Embed:
    """One passage, verbatim, with the sentence that best answers in bold, and where it came from.

    `notices` are shown above the footer (e.g. that the article is old); `also` lists
    (force, url) of other forces that published the same text.
    """
    article = hit.passage.article
    embed = discord.Embed(
        title=fit(article.title, TITLE_LIMIT),
        url=article.url,
        description=highlight(hit.passage.text, hit.terms, 3000, hit.answer),
        colour=COLOUR,
    )
    embed.add_field(name="Force", value=fit(escape(article.force), FIELD_LIMIT))
    embed.add_field(name="Published", value=published_label(article.published))
    if also:
        links = "\n".join(markdown_link(escape(force), url) for force, url in also)
        embed.add_field(name="Also published by", value=fit(links, FIELD_LIMIT), inline=False)
    for notice in notices:
        embed.add_field(name="Note", value=fit(notice, FIELD_LIMIT), inline=False)
    embed.set_footer(text=fit(f"Result {position} of {total} · {footer}", FOOTER_LIMIT))
    overflow = len(embed) - TOTAL_LIMIT
    if overflow > 0:  # the passage gives way to the provenance and notices
        room = max(len(embed.description or "") - overflow, 1)
        embed.description = highlight(hit.passage.text, hit.terms, room, hit.answer)
    return embed


def message_embed(title: str, text: str, footer: str | None = None) -> discord.Embed:
    """A short message of the bot's own (no match, errors, help)."""
    embed = discord.Embed(title=fit(title, TITLE_LIMIT), description=fit(text, DESCRIPTION_LIMIT), colour=COLOUR)
    if footer:
        embed.set_footer(text=fit(footer, FOOTER_LIMIT))
    return embed


def no_match_embed(question: str, n_articles: int, footer: str) -> discord.Embed:
    quoted = escape(fit(" ".join(question.split()), 200))
    return message_embed(
        "No matching passage",
        f"Nothing in the {n_articles} loaded articles matches “{quoted}”.\n\n"
        "Try other words, or fewer of them: for example *report grooming*, *online safety*, *helpline*.\n"
        "To find where to report a concern, use `/report`.",
        footer,
    )


def add_fields_within(embed: discord.Embed, fields: Iterable[tuple[str, str]]) -> int:
    """Add (name, value) fields while the embed stays within Discord's limits; return how many."""
    added = 0
    for name, value in fields:
        name, value = fit(name, FIELD_NAME_LIMIT), fit(value, FIELD_LIMIT)
        if len(embed.fields) >= MAX_FIELDS or len(embed) + len(name) + len(value) > TOTAL_LIMIT:
            break
        embed.add_field(name=name, value=value, inline=False)
        added += 1
    return added


def channel_fields(channels: Iterable[Channel]) -> list[tuple[str, str]]:
    """(name, value) fields naming where to report, beside an answer."""
    return [(f"Report: {c.name}", f"{c.contact}\n{c.when}") for c in channels]


def result_embed(result: Answer, position: int, *, n_articles: int, footer: str, notice: str | None) -> discord.Embed:
    """Page `position` (from 0) of an answer: its passage, or "no match"; then where to report."""
    if result.hits:
        hit = result.hits[position]
        embed = answer_embed(
            hit,
            position=position + 1,
            total=len(result.hits),
            footer=footer,
            notices=[notice] if notice else [],
            also=[(p.article.force, p.article.url) for p in hit.also],
        )
    else:
        embed = no_match_embed(result.question, n_articles, footer)
    add_fields_within(embed, channel_fields(result.channels))
    return embed


def report_embed(
    emergency_line: str,
    topic: str | None,
    services: Sequence[Channel],
    mentions: Sequence[ArticleChannel],
    footer: str,
    contacts: Sequence[str] = (),
) -> discord.Embed:
    """The emergency line first, then the server's own contact lines, then the services, then the
    channels the articles name."""
    embed = message_embed(
        "Where to report a concern",
        f"**{escape(emergency_line)}**"
        + "".join(f"\n{escape(line)}" for line in contacts)
        + (f"\nFor: *{escape(fit(topic, 200))}*" if topic else ""),
        footer,
    )
    fields = [(c.name, f"{c.contact}\n{c.when}" + (f"\nNot for: {c.not_for}" if c.not_for else "")) for c in services]
    fields += [
        (
            f"In the articles: {m.contact}",
            f"“{escape(m.sentence)}”\n{markdown_link(escape(m.article.title), m.article.url)} · "
            f"{m.article.force} · {published_label(m.article.published)}",
        )
        for m in mentions
    ]
    add_fields_within(embed, fields)
    return embed


def statements_embed(found: Sequence[Statement], topic: str | None, force: str | None, footer: str) -> discord.Embed:
    """Quoted statements with who said them, or why there are none."""
    if not found:
        return message_embed(
            "No statements found",
            "No quoted statement in the articles matches that. Try another topic, or leave it empty.",
            footer,
        )
    about = f" about *{escape(fit(topic, 200))}*" if topic else ""
    order = "most relevant first" if topic else "newest first"
    embed = message_embed(
        "What the police have said", f"Statements{about}{' from ' + force if force else ''}, {order}.", footer
    )
    add_fields_within(
        embed,
        (
            (
                f"{s.speaker} · {s.article.force} · {published_label(s.article.published)}",
                f"{fit(escape(s.text), 850)}\n{markdown_link(escape(fit(s.article.title, 100)), s.article.url)}",
            )
            for s in found
        ),
    )
    return embed


def articles_embed(chunk: Sequence[Article], *, total: int, page: int, pages: int, force: str | None) -> discord.Embed:
    """One page of the article list."""
    lines = [
        f"{markdown_link(escape(fit(a.title, 150)), a.url)}\n{escape(a.force)} · {published_label(a.published)}"
        for a in chunk
    ]
    title = f"Articles{' from ' + force if force else ''} ({total})"
    return message_embed(title, "\n\n".join(lines), f"Page {page + 1} of {pages}")


def help_embed(library: Library, emergency_line: str, footer: str) -> discord.Embed:
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
        f"**{escape(emergency_line)}**"
    )
    return message_embed("About this bot", text, footer)


def reload_embed(library: Library) -> discord.Embed:
    """What a reload loaded, and every file it rejected with the reason."""
    rejected = "".join(f"\n• {escape(str(p))}" for p in library.problems)
    loaded = f"Loaded {len(library.articles)} articles ({len(library.index.passages)} passages)"
    outcome = f"\nRejected {len(library.problems)} file(s):{rejected}" if library.problems else "No file was rejected."
    return message_embed("Articles reloaded", f"{loaded} from {len(library.forces)} force(s).\n{outcome}")
