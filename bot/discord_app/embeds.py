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

from bot.corpus.tokens import term_spans
from bot.search.index import Hit
from bot.search.render import published_label

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
        links = "\n".join(f"[{escape(force)}]({url})" for force, url in also)
        embed.add_field(name="Also published by", value=fit(links, FIELD_LIMIT), inline=False)
    for notice in notices:
        embed.add_field(name="Note", value=fit(notice, FIELD_LIMIT), inline=False)
    embed.set_footer(text=fit(f"Result {position} of {total} · {footer}", FOOTER_LIMIT))
    overflow = len(embed) - TOTAL_LIMIT
    if overflow > 0:  # the passage gives way to the provenance and notices
        room = max(len(embed.description) - overflow, 1)
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
