"""Split article bodies into sentences and group them into passages.

A passage is what the bot quotes: a few consecutive sentences from one paragraph (or one list
with the line that introduces it), short enough to read in a Discord embed and long enough to
carry its context, so that it stands alone: a heading travels with the paragraph it heads, and
each chunk of a long list carries the list's lead-in line. Sentences come from nltk's Punkt,
given our own abbreviation list so that it needs no downloaded data.
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
HEADING_MAX_CHARS = 100
HEADING_MAX_WORDS = 14

_QUOTES = re.compile(r"[\"“”]")
# A heading ends in a word, a number, a bracket or a question mark: never in a full stop, a
# comma or a closing quote, which end sentences and quotations.
_HEADING_END = re.compile(r"[^\W_]|[?)]$")

Span = tuple[int, int]
NO_LEAD = (-1, -1)


@dataclass(frozen=True)
class Passage:
    """A quotable span of an article: `article.body[start:end]`, white space normalised, after
    its list's lead-in line (`article.body[lead[0]:lead[1]]`) when the span is a later chunk of
    a long list."""

    article: Article
    index: int
    start: int
    end: int
    text: str
    lead: Span = NO_LEAD


@dataclass(frozen=True)
class _Atom:
    """Units that must stay together (a heading and what it heads, a lead-in and its first
    item); `lead` is the lead-in of the list an item belongs to."""

    start: int
    end: int
    item: bool = False
    lead: Span = NO_LEAD


@cache
def sentence_tokenizer():  # nltk's PunktSentenceTokenizer, loaded on first use
    punkt = nltk_parts.punkt()
    params = punkt.PunktParameters()
    params.abbrev_types = set(read_word_list("abbreviations.txt"))
    return punkt.PunktSentenceTokenizer(params)


@cache
def exclaimed_names() -> tuple[str, ...]:
    """Names that end in "!" (e.g. "Stop It Now!"), which end no sentence."""
    return tuple(read_word_list("exclaimed_names.txt"))


def sentence_spans(text: str, offset: int = 0) -> list[Span]:
    """Sentence (start, end) offsets in `text`, shifted by `offset`."""
    spans: list[Span] = []
    for start, end in sentence_tokenizer().span_tokenize(text):
        if spans and text[: spans[-1][1] - offset].endswith(exclaimed_names()):
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


def is_heading(block: str) -> bool:
    """A short line without final punctuation (`How you can help reduce the risk`, `What is
    the Special Constabulary?`): it names what follows rather than saying anything itself. A
    line that opens a quotation is speech, not a heading."""
    text = block.strip()
    return (
        "\n" not in text
        and not text.startswith((BULLET, *"\"“‘'"))
        and len(text) <= HEADING_MAX_CHARS
        and len(text.split()) <= HEADING_MAX_WORDS
        and (_HEADING_END.search(text[-1:]) is not None)
    )


def _is_lead_in(text: str) -> bool:
    return text.rstrip().endswith(":") or is_heading(text)


def _units(block_start: int, block: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_item) of each sentence and list item of a block."""
    units: list[tuple[int, int, bool]] = []
    line_start = block_start
    for line in block.split("\n"):
        if line.startswith(BULLET):
            units.append((line_start, line_start + len(line), True))
        else:
            units.extend((start, end, False) for start, end in sentence_spans(line, line_start))
        line_start += len(line) + 1
    return units


def _atoms(body: str, units: list[tuple[int, int, bool]], headings: int) -> list[_Atom]:
    """Glue the units that must stay together: the first `headings` units (the headings before
    the block) to what follows them, and a list's lead-in to its first item."""
    atoms: list[_Atom] = []
    lead = NO_LEAD
    for i, (start, end, item) in enumerate(units):
        first_item = item and (i == 0 or not units[i - 1][2])
        if first_item:
            before = units[i - 1] if i else None
            is_lead = before is not None and (i <= headings or _is_lead_in(body[before[0] : before[1]]))
            lead = (before[0], before[1]) if before is not None and is_lead else NO_LEAD
        glued = atoms and (i <= headings or (first_item and lead != NO_LEAD))
        if glued:
            atoms[-1] = _Atom(atoms[-1].start, end, atoms[-1].item, atoms[-1].lead)
        else:
            atoms.append(_Atom(start, end, item, lead if item else NO_LEAD))
    return atoms


def _group(atoms: list[_Atom], body: str) -> list[tuple[int, int, Span]]:
    """Pack consecutive atoms into passages of about TARGET_CHARS, never splitting an open quote
    unless the passage would pass MAX_CHARS. A passage that starts inside a list after its
    lead-in carries the lead-in."""
    groups: list[tuple[int, int, Span]] = []
    for atom in atoms:
        if groups:
            g_start, g_end, g_lead = groups[-1]
            grown = atom.end - g_start
            quote_open = len(_QUOTES.findall(body[g_start:g_end])) % 2 == 1
            if grown <= TARGET_CHARS or (quote_open and grown <= MAX_CHARS):
                groups[-1] = (g_start, atom.end, g_lead)
                continue
        groups.append((atom.start, atom.end, atom.lead if atom.item else NO_LEAD))
    short_tail = len(groups) > 1 and groups[-1][1] - groups[-1][0] < MIN_TAIL_CHARS
    if short_tail and groups[-1][1] - groups[-2][0] <= MAX_CHARS:
        tail = groups.pop()
        groups[-1] = (groups[-1][0], tail[1], groups[-1][2])
    return groups


def normalise_text(text: str) -> str:
    """Collapse white space within lines; keep list items on lines of their own."""
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def passage_text(body: str, start: int, end: int, lead: Span = NO_LEAD) -> str:
    """What a passage quotes: its span, after its list's lead-in line if it has one."""
    text = normalise_text(body[start:end])
    return f"{normalise_text(body[lead[0] : lead[1]])}\n{text}" if lead != NO_LEAD else text


def _block_passages(body: str, block_start: int, block: str, headings: list[Span]) -> list[tuple[int, int, Span]]:
    if not headings and len(block) <= TARGET_CHARS and "\n" not in block:  # a short paragraph as it is
        return [(block_start, block_start + len(block), NO_LEAD)]
    units = [(start, end, False) for start, end in headings] + _units(block_start, block)
    return _group(_atoms(body, units, len(headings)), body)


def article_passages(article: Article) -> list[Passage]:
    """The passages of an article, in order. A heading joins the block after it; a heading
    with nothing after it (a sign-off such as a name and title) is not a passage."""
    body = article.body
    passages: list[Passage] = []
    headings: list[Span] = []
    for block_start, block in _blocks(body):
        if is_heading(block):
            headings.append((block_start, block_start + len(block)))
            continue
        for start, end, lead in _block_passages(body, block_start, block, headings):
            text = passage_text(body, start, end, lead)
            if text:
                passages.append(Passage(article, len(passages), start, end, text, lead))
        headings = []
    return passages
