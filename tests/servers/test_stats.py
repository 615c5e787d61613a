from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.search.index import Index
from bot.servers import feedback, stats
from bot.servers.settings import ServerSettings, save
from bot.servers.store import Store

TODAY = date(2026, 3, 31)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "servers.sqlite3")


def test_summaries_count_the_last_7_and_30_days_of_one_server(store: Store) -> None:
    a, b = "https://a.example/a", "https://a.example/b"
    for days_ago, url in [(0, a), (1, a), (6, b), (7, b), (29, b), (30, a)]:
        feedback.record_answer(store, 1, TODAY - timedelta(days=days_ago), url)
    feedback.record_answer(store, 1, TODAY, None)
    feedback.record_answer(store, 1, TODAY - timedelta(days=10), None)
    feedback.record_answer(store, 2, TODAY, a)  # another server
    feedback.record_vote(store, 1, a, 3, True, TODAY)
    feedback.record_vote(store, 1, b, 0, False, TODAY)
    feedback.record_vote(store, 1, b, 0, False, TODAY - timedelta(days=2))
    feedback.record_vote(store, 1, a, 1, False, TODAY - timedelta(days=20))
    feedback.record_vote(store, 2, a, 1, False, TODAY)

    week = stats.summary(store, 1, TODAY, 7)
    assert (week.answered, week.declined, week.helpful, week.not_helpful) == (3, 1, 1, 2)
    assert week.top_articles == ((a, 2), (b, 1))
    assert week.voted_down == ((b, 0, 2),)

    month = stats.summary(store, 1, TODAY, 30)
    assert (month.answered, month.declined, month.helpful, month.not_helpful) == (5, 2, 1, 3)
    assert month.top_articles == ((b, 3), (a, 2))
    assert month.voted_down == ((b, 0, 2), (a, 1, 1))

    assert stats.summary(store, 3, TODAY, 30) == stats.Summary(30, 0, 0, 0, 0, (), ())


def test_one_vote_per_person_per_answer() -> None:
    ballot = feedback.Ballot()
    assert ballot.cast(10) is True
    assert ballot.cast(10) is False
    assert ballot.cast(11) is True


def test_the_database_file_never_contains_a_question(tmp_path: Path, seed_index: Index) -> None:
    path = tmp_path / "servers.sqlite3"
    store = Store.open(path)
    question = "where can I report concerns about a child being groomed online"
    hit = seed_index.search(question, k=1)[0]
    feedback.record_answer(store, 7, TODAY, hit.passage.article.url)
    feedback.record_vote(store, 7, hit.passage.article.url, hit.passage.index, False, TODAY)
    feedback.record_answer(store, 7, TODAY, None)
    save(store, 7, ServerSettings(contacts=("Our lead is in room 12",)))
    store.close()
    written = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("servers.sqlite3"))
    assert hit.passage.article.url.encode() in written  # the file is readable as bytes
    for word in ("groomed", "concerns about a child", question):
        assert word.encode() not in written
    assert b"room 12" in written
