"""The saved index's articles, made into Article objects only when something uses them.

A million passages come from some 80,000 articles; parsing 80,000 records and making as many
Path and Article objects (and decoding 200 MB of bodies) would cost a start-up seconds, while a
question needs the few articles its answers quote. So the saved index keeps one JSON line of
metadata per article, the UTF-8 bodies one after another, the byte offsets of both, and each
article's force as a number; an Article is made on first use and kept (always the same object).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import numpy as np

from bot.corpus.articles import Article


def article_records(
    articles: Sequence[Article], directory: Path
) -> tuple[bytes, bytes, np.ndarray, list[str], np.ndarray]:
    """(metadata lines, bodies, offsets, force names, force of each article) to save."""
    forces = sorted({a.force for a in articles})
    number = {force: n for n, force in enumerate(forces)}
    meta = [
        json.dumps(
            [a.path.relative_to(directory).as_posix(), a.title, a.url, a.published.isoformat(), a.description, a.image],
            ensure_ascii=False,
        ).encode("utf-8")
        + b"\n"
        for a in articles
    ]
    bodies = [a.body.encode("utf-8") for a in articles]
    offsets = np.zeros((len(articles) + 1, 2), dtype=np.int64)
    np.cumsum([len(m) for m in meta], out=offsets[1:, 0])
    np.cumsum([len(b) for b in bodies], out=offsets[1:, 1])
    force_of = np.array([number[a.force] for a in articles], dtype=np.int32)
    return b"".join(meta), b"".join(bodies), offsets, forces, force_of


class ArticleRecords(Sequence[Article]):
    """Articles from what `article_records` saved; raises ValueError if the parts do not fit."""

    def __init__(
        self, directory: Path, meta: bytes, bodies: bytes, offsets: np.ndarray, forces: list[str], force_of: np.ndarray
    ) -> None:
        n = len(force_of)
        if (
            offsets.shape != (n + 1, 2)
            or (offsets[0] != 0).any()
            or (np.diff(offsets, axis=0) < 0).any()
            or tuple(offsets[-1]) != (len(meta), len(bodies))
            or (n and (force_of.min() < 0 or force_of.max() >= len(forces)))
            or not all(isinstance(f, str) for f in forces)
        ):
            raise ValueError("article records do not fit together")
        self._root, self._meta, self._bodies = os.fspath(directory), meta, bodies
        self._offsets = offsets.tolist()
        self.forces = [forces[f] for f in force_of.tolist()]  # each article's force
        self._made: list[Article | None] = [None] * n

    def __len__(self) -> int:
        return len(self._made)

    def __getitem__(self, i: int) -> Article:  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        article = self._made[i]
        if article is None:
            i = range(len(self))[i]  # IndexError out of range; negative counts from the end
            (m0, b0), (m1, b1) = self._offsets[i], self._offsets[i + 1]
            path, title, url, date, description, image = json.loads(self._meta[m0:m1])
            body = self._bodies[b0:b1].decode("utf-8")
            published = datetime.fromisoformat(date)
            article = Article(
                Path(os.path.join(self._root, path)), title, url, self.forces[i], published, body, description, image
            )
            self._made[i] = article
        return article
