"""The saved index's articles: made when first used, always the same object, and records that
do not fit their bodies are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.articles import Article, read_article
from bot.search.article_records import ArticleRecords, article_records
from bot.search.library import load_library


def records_of(articles: list[Article], folder: Path) -> ArticleRecords:
    return ArticleRecords(folder, *article_records(articles, folder))


def test_articles_round_trip_and_are_made_once(write_article) -> None:
    paths = [write_article(f"{i}.txt", url=f"https://x.police.uk/{i}", body=f"Body number {i}.") for i in range(3)]
    articles = [read_article(p) for p in paths]
    stored = records_of(articles, write_article.folder)
    assert stored.forces == [a.force for a in articles]
    assert list(stored) == articles and stored[-1] == articles[-1] and stored[0:2] == articles[:2]
    assert stored[1] is stored[1]


def test_records_that_do_not_fit_are_refused(write_article) -> None:
    articles = [
        read_article(write_article("a.txt", body="Crème brûlée ’quoted’.")),
        read_article(write_article("b.txt", url="https://x.police.uk/b")),
    ]
    meta, bodies, offsets, forces, force_of = article_records(articles, write_article.folder)
    assert [a.body for a in ArticleRecords(write_article.folder, meta, bodies, offsets, forces, force_of)] == [
        a.body for a in articles
    ]
    for bad in (
        (meta, bodies + b"x", offsets, forces, force_of),
        (meta[:-1], bodies, offsets, forces, force_of),
        (meta, bodies, offsets[:-1], forces, force_of),
        (meta, bodies, offsets, [], force_of),
        (meta, bodies, offsets[::-1], forces, force_of),
    ):
        with pytest.raises(ValueError, match="do not fit"):
            ArticleRecords(write_article.folder, *bad)
    with pytest.raises(IndexError):
        ArticleRecords(write_article.folder, meta, bodies, offsets, forces, force_of)[2]


def test_a_saved_index_makes_only_the_articles_used(write_article, tmp_path: Path) -> None:
    for i in range(30):
        write_article(f"{i}.txt", url=f"https://x.police.uk/{i}", body=f"Officers spoke about topic{i} today.")
    load_library(write_article.folder, index_dir=tmp_path / "idx")
    library = load_library(write_article.folder, index_dir=tmp_path / "idx")
    assert library.from_cache and len(library.articles) == 30 and len(library.forces) == 1
    made = library.articles._made  # type: ignore[attr-defined]
    assert sum(a is not None for a in made) == 0
    (hit,) = library.index.search("topic7", k=3)
    assert hit.passage.article.name == "7.txt"
    assert sum(a is not None for a in made) == 1
