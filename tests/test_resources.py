from pathlib import Path

import pytest

from bot.corpus.articles import article_files, load_articles
from bot.corpus.tokens import DATA_DIR, stopwords

ROOT = Path(__file__).resolve().parent.parent
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


def test_seeds_all_load() -> None:
    articles, problems = load_articles(article_files(ROOT / "seeds"))
    assert problems == []
    assert len(articles) == 3


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds not beside the checkout")
def test_seeds_are_verbatim_copies() -> None:
    shared = {p.name: p.read_bytes() for p in SHARED_SEEDS.iterdir()}
    ours = {p.name: p.read_bytes() for p in (ROOT / "seeds").iterdir()}
    assert ours == shared


def test_word_lists_are_clean() -> None:
    for name in ("stopwords.txt", "abbreviations.txt", "synonyms.txt", "exclaimed_names.txt"):
        lines = [
            ln for ln in (DATA_DIR / name).read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")
        ]
        assert lines, name
        assert all(ln == ln.strip() for ln in lines), name
    words = stopwords()
    # words that carry the meaning of safeguarding questions must never be stopwords
    assert not words & {"report", "child", "online", "police", "help", "abuse", "999", "tell"}
