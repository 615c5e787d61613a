"""Split article bodies into sentences and group them into passages.

A passage is what the bot quotes: a few consecutive sentences from one paragraph (or one list
with the line that introduces it), short enough to read in a Discord embed and long enough to
carry its context. Sentences come from nltk's Punkt, given our own abbreviation list so that it
needs no downloaded data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from bot.corpus import nltk_parts
from bot.corpus.articles import BULLET, Article
from bot.corpus.tokens import read_word_list

TARGET_CHARS = 450  # a passage grows past this only to finish a quote or keep a list together
MAX_CHARS = 900
MIN_TAIL_CHARS = 140  # a shorter leftover joins the passage before it

_QUOTES = re.compile(r"[\"“”]")


@dataclass(frozen=True)
class Passage:
    """A quotable span of an article: `article.body[start:end]`, white space normalised."""

    article: Article
    index: int
    start: int
    end: int
    text: str


@cache
def sentence_tokenizer():  # nltk's PunktSentenceTokenizer, loaded on first use
    punkt = nltk_parts.punkt()
    params = punkt.PunktParameters()
    params.abbrev_types = set(read_word_list("abbreviations.txt"))
    return punkt.PunktSentenceTokenizer(params)


@cache
def _exclaimed_names() -> tuple[str, ...]:
    return tuple(read_word_list("exclaimed_names.txt"))


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets in `text`, shifted by `offset`."""
    spans: list[tuple[int, int]] = []
    for start, end in sentence_tokenizer().span_tokenize(text):
        if spans and text[: spans[-1][1] - offset].endswith(_exclaimed_names()):
            spans[-1] = (spans[-1][0], end + offset)
        else:
            spans.append((start + offset, end + offset))
    return spans


def split_sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def _blocks(body: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of each paragraph or list block of a cleaned body."""
    for match in re.finditer(r"[^\n]+(?:\n[^\n]+)*", body):
        yield match.start(), match.group()


def _units(block_start: int, block: str) -> list[tuple[int, int]]:
    """The unbreakable pieces of a block: sentences, list items, and a list's lead-in sentence
    together with its first item (so the items never lose what they are a list of)."""
    units: list[tuple[int, int]] = []
    line_start = block_start
    for line in block.split("\n"):
        if line.startswith(BULLET):
            span = (line_start, line_start + len(line))
            if units and units[-1][1] == line_start - 1 and _is_lead_in(block_start, block, units[-1]):
                units[-1] = (units[-1][0], span[1])
            else:
                units.append(span)
        else:
            units.extend(sentence_spans(line, line_start))
        line_start += len(line) + 1
    return units


def _is_lead_in(block_start: int, block: str, span: tuple[int, int]) -> bool:
    text = block[span[0] - block_start : span[1] - block_start]
    return text.rstrip().endswith(":") or text.lstrip().startswith(BULLET)


def _group(units: list[tuple[int, int]], block_start: int, block: str) -> list[tuple[int, int]]:
    """Pack consecutive units into passages of about TARGET_CHARS, never splitting an open quote
    unless the passage would pass MAX_CHARS."""
    groups: list[tuple[int, int]] = []
    for start, end in units:
        if groups:
            g_start, g_end = groups[-1]
            grown = end - g_start
            quote_open = len(_QUOTES.findall(block[g_start - block_start : g_end - block_start])) % 2 == 1
            if grown <= TARGET_CHARS or (quote_open and grown <= MAX_CHARS):
                groups[-1] = (g_start, end)
                continue
        groups.append((start, end))
    short_tail = len(groups) > 1 and groups[-1][1] - groups[-1][0] < MIN_TAIL_CHARS
    if short_tail and groups[-1][1] - groups[-2][0] <= MAX_CHARS:
        tail = groups.pop()
        groups[-1] = (groups[-1][0], tail[1])
    return groups


def normalise_text(text: str) -> str:
    """Collapse white space within lines; keep list items on lines of their own."""
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _block_passages(block_start: int, block: str) -> list[tuple[int, int]]:
    if len(block) <= TARGET_CHARS and "\n" not in block:  # a short paragraph is one passage as it is
        return [(block_start, block_start + len(block))]
    return _group(_units(block_start, block), block_start, block)


def article_passages(article: Article) -> list[Passage]:
    passages: list[Passage] = []
    for block_start, block in _blocks(article.body):
        for start, end in _block_passages(block_start, block):
            text = normalise_text(article.body[start:end])
            if text:
                passages.append(Passage(article, len(passages), start, end, text))
    return passages
