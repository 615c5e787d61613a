"""Quoted statements in the articles, with the person who made them.

News articles attribute quotes as `Detective Inspector Simon Caton from the force's CPET, said:
"..."`, continue them in following paragraphs that open with a quote mark, and later shorten the
name (`Simon Caton, added: "..."`). A statement is the attribution plus every paragraph of its
quote, verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.corpus.articles import Article, newest_first
from bot.corpus.forces import resolve_force
from bot.corpus.tokens import tokenize
from bot.engine.ranking import Ranker

_VERBS = r"(?:said|says|added|adds|explained|commented|stated|warned|urged|continued)"
# Speaker first: `Detective Inspector Simon Caton, said: "It is shocking ...`
_LEADING = re.compile(rf"^(?P<who>[^\"“”]{{3,200}}?),?\s+{_VERBS}\s*[:,]?\s*(?=[\"“])")
# Quote first: `"We will act," said Chief Constable Jane Smith.`
_TRAILING = re.compile(rf"^[\"“].+?[,.!?][\"”]\s+{_VERBS}\s+(?P<who>[^.\"“”]{{3,120}})\.?\s*$")
_NAME_END = re.compile(r",|\s(?:from|who|of|at|for|in|with|and)\s")


@dataclass(frozen=True)
class Statement:
    """A quote and who said it. `speaker` is rank and name as the article gives them;
    `text` is the attribution and quote verbatim; body[start:end] is where it stands."""

    article: Article
    speaker: str
    text: str
    start: int
    end: int


def _speaker(attribution: str, earlier: Sequence[str]) -> str:
    name = _NAME_END.split(attribution.strip(), maxsplit=1)[0].strip()
    # A later, shorter mention ("Simon Caton") takes the rank given earlier in the article.
    for full in earlier:
        if full != name and full.endswith(" " + name):
            return full
    return name


def _paragraphs(body: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", body)]


def article_statements(article: Article) -> list[Statement]:
    statements: list[Statement] = []
    for start, text in _paragraphs(article.body):
        earlier = [s.speaker for s in statements]
        lead = _LEADING.match(text)
        trail = _TRAILING.match(text) if not lead else None
        if match := lead or trail:
            who = match.group("who")
            statements.append(Statement(article, _speaker(who, earlier), text, start, start + len(text)))
        elif text[:1] in '"“' and statements and statements[-1].end == start - 2:
            last = statements[-1]
            statements[-1] = Statement(article, last.speaker, f"{last.text}\n\n{text}", last.start, start + len(text))
    return statements


class StatementIndex:
    """Statements of a set of articles, found by topic (BM25) or listed newest first."""

    def __init__(self, articles: Sequence[Article]) -> None:
        statements = [s for a in newest_first(articles) for s in article_statements(a)]
        self._setup(statements, Ranker([tokenize(f"{s.text} {s.article.title} {s.article.force}") for s in statements]))

    @classmethod
    def restore(cls, statements: Sequence[Statement], ranker: Ranker) -> StatementIndex:
        index = cls.__new__(cls)
        index._setup(statements, ranker)
        return index

    def _setup(self, statements: Sequence[Statement], ranker: Ranker) -> None:
        self.statements = tuple(statements)
        self.forces = tuple(sorted({s.article.force for s in statements}))
        self.ranker = ranker

    def find(self, topic: str | None = None, *, force: str | None = None, k: int = 5) -> list[Statement]:
        """Statements most relevant to `topic` first, else newest first; raises UnknownForce."""
        allowed = np.ones(len(self.statements), dtype=bool)
        if force is not None:
            name = resolve_force(force, self.forces)
            allowed = np.array([s.article.force == name for s in self.statements], dtype=bool)
        terms = list(dict.fromkeys(tokenize(topic or "")))
        if terms:
            return [self.statements[i] for i, _ in self.ranker.top(terms, k, allowed)]
        return [s for s, ok in zip(self.statements, allowed) if ok][:k]
