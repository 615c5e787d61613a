"""The saved index's articles, made into Article objects only when something uses them.

A million passages come from some 80,000 articles; making 80,000 Path and Article objects (and
slicing their bodies out of one text) would cost a start-up a second or more, while a question
needs the few articles its answers quote. Records are kept as read, and each Article is made on
first use and kept, so it is always the same object."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bot.corpus.articles import Article

FIELDS = 8  # relative path, title, url, force, published (ISO 8601), description, image, body length


def article_record(article: Article, directory: Path) -> list:
    """An article's record; bodies are stored apart, in one text (faster to read)."""
    fields = (article.title, article.url, article.force, article.published.isoformat(), article.description)
    return [article.path.relative_to(directory).as_posix(), *fields, article.image, len(article.body)]


class ArticleRecords(Sequence[Article]):
    """Articles from records and the text of all their bodies, one after another (raises
    ValueError if the two do not fit together)."""

    def __init__(self, directory: Path, records: list, bodies: str) -> None:
        if not all(type(r) is list and len(r) == FIELDS and type(r[-1]) is int for r in records):
            raise ValueError("malformed article records")
        ends, end = [], 0
        for r in records:
            end += r[-1]
            ends.append(end)
        if end != len(bodies):
            raise ValueError("article bodies do not match their lengths")
        self._root, self._records, self._bodies, self._ends = os.fspath(directory), records, bodies, ends
        self._made: list[Article | None] = [None] * len(records)
        self.forces = [r[3] for r in records]  # each article's force, without making the articles

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, i: int) -> Article:  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]  # type: ignore[return-value]
        article = self._made[i]
        if article is None:
            path, title, url, force, date, description, image, length = self._records[i]
            end = self._ends[i]
            body = self._bodies[end - length : end]
            article = Article(
                Path(os.path.join(self._root, path)), title, url, force, datetime.fromisoformat(date), body,
                description, image,
            )  # fmt: skip
            self._made[i] = article
        return article
