from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.corpus.articles import load_folder
from bot.search.index import Index

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def article_text(
    *,
    title: str = "Police warn about scams | Test Police",
    url: str = "https://www.test.police.uk/news/scams/",
    area: str = "Testshire",
    date: str = "09:30 01/02/2021",
    body: str = "Officers are warning residents about a rise in phone scams.\n\nCall 101 to report a scam.",
) -> str:
    return f"```yaml\narea: {area}\npublish:\n  date: {date}\ntitle: {title}\nurl: {url}\n```\n\n{body}\n"


@pytest.fixture
def write_article(tmp_path: Path) -> Callable[..., Path]:
    """Write an article file into tmp_path/articles; keyword arguments override header fields."""
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)

    def write(name: str, text: str | bytes | None = None, **fields: str) -> Path:
        path = folder / name
        content = article_text(**fields) if text is None else text
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    write.folder = folder  # type: ignore[attr-defined]
    return write


@pytest.fixture(scope="session")
def seed_index() -> Index:
    articles, problems = load_folder(SEEDS)
    assert not problems
    return Index(articles)


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saved indexes go to a temporary folder, never the user's ~/.cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("INDEX_DIR", raising=False)
