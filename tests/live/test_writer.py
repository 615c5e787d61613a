import os
from datetime import datetime
from pathlib import Path

import pytest

from bot.corpus.articles import ArticleError, parse_article, read_article, split_header
from bot.live.extract import Page
from bot.live.writer import ArticleFolder, article_name, render

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "003_94554c865ab99f69.txt"


def page(**changes) -> Page:
    fields = dict(
        url="https://www.kent.police.uk/news/kent/news/2024/may/scam-warning/",
        title="Scam warning | Kent Police",
        published=datetime(2024, 5, 3, 14, 5),
        body="Residents are warned about phone scams.\n\nCall 101 to report a scam.",
        og={"description": "Phone scams & how to spot them"},
    )
    return Page(**{**fields, **changes})


def test_the_file_is_exactly_the_seeds_format() -> None:
    text = SEED.read_text(encoding="utf-8")
    header, body = split_header(text)
    seed = Page(
        url=header["url"],
        title=header["title"],
        published=datetime.strptime(header["publish"]["date"], "%H:%M %d/%m/%Y"),
        body=body.strip("\n").replace("&amp;", "&"),
        og={k: v.replace("&amp;", "&") for k, v in header["og"].items()},
    )
    assert render(seed, header["area"]) == text


def test_name_is_stable_per_url_and_readable() -> None:
    name = article_name("https://www.kent.police.uk/news/kent/news/2024/may/scam-warning/")
    assert name.startswith("scam-warning-") and name.endswith(".txt")
    assert article_name("https://WWW.kent.police.uk/news/kent/news/2024/may/scam-warning") == name
    assert article_name("https://www.kent.police.uk/news/kent/news/2024/may/other/") != name


def test_what_is_written_loads_with_the_same_text(tmp_path: Path) -> None:
    tricky = page(
        title="Fraud &copy; warning",
        body="Text with &para=1 and R&D kept as printed.\n\n * a list item",
        og={"description": "Phone scams & how to spot them", "image": "https://x.police.uk/a.png?w=6&para=1&amp;h=3"},
    )
    written = ArticleFolder(tmp_path).write(tricky, "Kent")
    article = read_article(written.path)
    assert (article.title, article.force, article.url) == ("Fraud &copy; warning", "Kent", tricky.url)
    assert article.published == datetime(2024, 5, 3, 14, 5)
    assert article.body == "Text with &para=1 and R&D kept as printed.\n\n• a list item"
    assert article.description == "Phone scams & how to spot them"
    assert article.image == "https://x.police.uk/a.png?w=6&para=1&amp;h=3"


def test_unchanged_is_not_rewritten_and_changed_is_replaced(tmp_path: Path) -> None:
    folder = ArticleFolder(tmp_path)
    first = folder.write(page(), "Kent")
    assert first.status == "new"
    os.utime(first.path, (1_000_000, 1_000_000))
    again = ArticleFolder(tmp_path).write(page(), "Kent")
    assert again.status == "unchanged" and again.path == first.path
    assert first.path.stat().st_mtime == 1_000_000
    changed = ArticleFolder(tmp_path).write(page(body="Residents are warned about doorstep scams."), "Kent")
    assert changed.status == "updated" and changed.path == first.path
    assert "doorstep" in first.path.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.path.name]  # no temporary file left


def test_a_failed_write_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written = ArticleFolder(tmp_path).write(page(), "Kent")
    before = written.path.read_bytes()

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        ArticleFolder(tmp_path).write(page(body="A changed body that never lands."), "Kent")
    assert written.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [written.path.name]


def test_a_url_another_file_holds_is_not_written_twice(tmp_path: Path) -> None:
    own = tmp_path / "saved-by-hand.txt"
    own.write_text(render(page(), "Kent").replace("Residents", "People"), encoding="utf-8")
    with pytest.raises(ArticleError, match=r"already saved as saved-by-hand\.txt"):
        ArticleFolder(tmp_path).write(page(url=page().url.rstrip("/")), "Kent")
    assert [p.name for p in tmp_path.iterdir()] == ["saved-by-hand.txt"]


def test_what_the_loader_would_reject_is_not_written(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="body is empty"):
        ArticleFolder(tmp_path).write(page(body="Updated News Post"), "Kent")
    assert list(tmp_path.iterdir()) == []
    assert parse_article(tmp_path / "x.txt", render(page(), "Kent")).title == "Scam warning"
