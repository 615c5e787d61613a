""" "Read in context" links: the article's address with a text fragment that highlights a passage.

A text fragment (WICG Scroll-to-Text-Fragment, `#:~:text=[prefix-,]textStart[,textEnd][,-suffix]`)
makes the browser scroll to and highlight the first place on the page where its terms match.
So the terms must be found on the page as the browser sees it, and found first at the passage:

- the page has no `• ` list markers (the article loader adds them) and one space for any run of
  white space; each paragraph and list item is its own block, and a term never spans two blocks;
- terms match whole words, ignoring case, so a term is always whole words of the passage;
- textStart is grown word by word until its first match on the page is the passage's start, and
  textEnd until its first match after textStart is the passage's end.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from bot.corpus.articles import BULLET

MAX_EXACT_CHARS = 80  # a passage up to this long is quoted whole: `text=<passage>`
MIN_TERM_WORDS = 3  # textStart and textEnd start at this many words and grow until unique
_QUOTES = "\"'“”‘’«»"


@dataclass(frozen=True)
class _Block:
    """One paragraph or list item as the browser shows it, with each character's body offset."""

    text: str
    offsets: tuple[int, ...]


@dataclass(frozen=True)
class _Span:
    """A run of text inside one block: `blocks[block].text[start:end]`."""

    block: int
    start: int
    end: int


def text_fragment_url(url: str, body: str, start: int, end: int) -> str:
    """`url` (any `#fragment` dropped) with a text fragment for the passage `body[start:end]`.

    Raises ValueError for offsets outside `body` or a passage with no words.
    """
    if not 0 <= start < end <= len(body):
        raise ValueError(f"passage {start}:{end} is not inside a body of {len(body)} characters")
    blocks = _blocks(body)
    spans = _passage_spans(blocks, start, end)
    if not spans:
        raise ValueError(f"passage {start}:{end} has no words")
    first, last = spans[0], spans[-1]
    first_text = blocks[first.block].text[first.start : first.end]
    if len(spans) == 1 and (len(first_text) <= MAX_EXACT_CHARS or len(_word_ends(first_text)) < 2):
        directive = _encode(first_text)
    else:
        text_start, text_end = _range_terms(blocks, first, last, single=len(spans) == 1)
        directive = f"{_encode(text_start)},{_encode(text_end)}"
    return f"{url.split('#', 1)[0]}#:~:text={directive}"


def _encode(term: str) -> str:
    """Percent-encode a term: everything but letters, digits and `._~`. `-`, `&` and `,` are
    syntax in a text directive; `quote` treats `-` as always safe, so it is encoded by hand."""
    return quote(term, safe="").replace("-", "%2D")


def _blocks(body: str) -> list[_Block]:
    """The body's lines as the browser shows them: list marker dropped, white space collapsed."""
    blocks: list[_Block] = []
    line_start = 0
    for line in body.split("\n"):
        text: list[str] = []
        offsets: list[int] = []
        skip = len(BULLET) if line.lstrip().startswith(BULLET) else 0
        first = line_start + (len(line) - len(line.lstrip())) + skip
        for offset in range(first, line_start + len(line)):
            char = body[offset]
            if char.isspace():
                if text and text[-1] != " ":
                    text.append(" ")
                    offsets.append(offset)
            else:
                text.append(char)
                offsets.append(offset)
        while text and text[-1] == " ":
            text.pop()
            offsets.pop()
        if text:
            blocks.append(_Block("".join(text), tuple(offsets)))
        line_start += len(line) + 1
    return blocks


def _passage_spans(blocks: list[_Block], start: int, end: int) -> list[_Span]:
    """The passage's text in each block it covers, without opening or closing quote marks."""
    spans: list[_Span] = []
    for index, block in enumerate(blocks):
        inside = [i for i, offset in enumerate(block.offsets) if start <= offset < end]
        if inside:
            # Never cut a word: a fragment term only matches whole words on the page.
            begin, stop = inside[0], inside[-1] + 1
            while begin > 0 and not block.text[begin - 1].isspace():
                begin -= 1
            while stop < len(block.text) and not block.text[stop].isspace():
                stop += 1
            spans.append(_Span(index, begin, stop))
    if spans:
        spans[0] = _trim(blocks, spans[0], leading=True)
        spans[-1] = _trim(blocks, spans[-1], leading=False)
    return [span for span in spans if span.start < span.end]


def _trim(blocks: list[_Block], span: _Span, *, leading: bool) -> _Span:
    text = blocks[span.block].text
    begin, stop = span.start, span.end
    if leading:
        while begin < stop and (text[begin] in _QUOTES or text[begin].isspace()):
            begin += 1
    else:
        while stop > begin and (text[stop - 1] in _QUOTES or text[stop - 1].isspace()):
            stop -= 1
    return _Span(span.block, begin, stop)


def _word_ends(text: str) -> list[int]:
    """Offsets just past each space-separated word of (collapsed) `text`."""
    ends = [i for i, char in enumerate(text) if char == " "]
    return [*ends, len(text)]


def _word_starts(text: str) -> list[int]:
    return [0, *(i + 1 for i, char in enumerate(text) if char == " ")]


def _find(blocks: list[_Block], term: str, after: tuple[int, int] = (0, 0)) -> tuple[int, int] | None:
    """(block, offset) of the first whole-word, case-insensitive match of `term` at or after `after`."""
    first_block, first_offset = after
    term = _fold(term)
    for index in range(first_block, len(blocks)):
        text = _fold(blocks[index].text)
        position = text.find(term, first_offset if index == first_block else 0)
        while position != -1:
            if _bounded(text, position, position + len(term)):
                return index, position
            position = text.find(term, position + 1)
    return None


def _fold(text: str) -> str:
    """Lower case, one character for one (browsers match text fragments case-insensitively)."""
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


def _bounded(text: str, start: int, stop: int) -> bool:
    """Whether `text[start:stop]` starts and ends on word boundaries (no word runs on past it)."""
    opens = start == 0 or not (text[start].isalnum() and text[start - 1].isalnum())
    closes = stop == len(text) or not (text[stop - 1].isalnum() and text[stop].isalnum())
    return opens and closes


def _range_terms(blocks: list[_Block], first: _Span, last: _Span, *, single: bool) -> tuple[str, str]:
    """textStart from the first block's words and textEnd from the last block's, each grown
    until the browser would find it first at the passage."""
    head = blocks[first.block].text[first.start : first.end]
    tail = blocks[last.block].text[last.start : last.end]
    head_ends = _word_ends(head)
    tail_starts = _word_starts(tail)
    # In a one-block passage textEnd must begin after textStart ends: keep a word for each.
    max_head = len(head_ends) - 1 if single else len(head_ends)
    text_start = head[: head_ends[0]]
    for count in range(min(MIN_TERM_WORDS, max_head), max_head + 1):
        text_start = head[: head_ends[count - 1]]
        if _find(blocks, text_start) == (first.block, first.start):
            break
    after = (first.block, first.start + len(text_start))
    room = len(tail_starts) - len(_word_ends(text_start)) if single else len(tail_starts)
    text_end = tail[tail_starts[-1] :]
    for count in range(min(MIN_TERM_WORDS, room), room + 1):
        text_end = tail[tail_starts[-count] :]
        if _find(blocks, text_end, after) == (last.block, last.end - len(text_end)):
            break
    return text_start, text_end
