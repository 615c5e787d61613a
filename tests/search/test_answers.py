from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

import pytest

from bot.search.answers import answer, context_link, months_between, stale_notice
from bot.search.library import load_library

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def library():
    return load_library(ROOT / "seeds")


@pytest.mark.parametrize(
    ("published", "now", "months", "expected"),
    [
        (datetime(2020, 4, 8), datetime(2020, 12, 1), 12, None),
        (datetime(2020, 4, 8), datetime(2021, 4, 7), 12, None),  # a day short of a year
        (datetime(2020, 4, 8), datetime(2021, 4, 8), 12, "1 year old"),
        (datetime(2020, 4, 8), datetime(2026, 11, 22), 12, "6 years 7 months old"),
        (datetime(2020, 4, 8), datetime(2020, 10, 9), 6, "6 months old"),
    ],
)
def test_stale_notice(published, now, months, expected) -> None:
    notice = stale_notice(published, now, months)
    if expected is None:
        assert notice is None
    else:
        assert f"This article is {expected}." in notice and "check the force's website" in notice


def test_months_between() -> None:
    assert months_between(datetime(2020, 1, 31), datetime(2020, 2, 29)) == 0
    assert months_between(datetime(2020, 1, 31), datetime(2020, 3, 1)) == 1


def test_answer_about_abuse_brings_fitting_channels(library) -> None:
    result = answer(library, "where can I report online grooming?")
    assert result.hits and result.hits[0].passage.article.force == "West Mercia"
    assert result.channels and "CEOP" in result.channels[0].name


def test_answer_not_about_abuse_has_no_channels(library) -> None:
    result = answer(library, "what is operation safenet in Staffordshire")
    assert result.hits and result.channels == ()


def test_no_passage_still_gets_channels(library) -> None:
    result = answer(library, "how do I report a burglary")
    assert result.hits == ()
    assert any("101" in c.name for c in result.channels)


def test_context_link_scrolls_to_the_passage(library) -> None:
    hit = answer(library, "0808 1000 900").hits[0]
    link = context_link(hit)
    base, fragment = link.split("#:~:text=")
    assert base == hit.passage.article.url
    for part in fragment.split(","):
        assert unquote(part) in " ".join(hit.passage.text.split())
