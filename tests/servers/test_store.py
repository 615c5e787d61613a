import multiprocessing
import os
import sqlite3
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from bot.servers import feedback
from bot.servers.store import SCHEMA_VERSION, Store, StoreError


def test_new_database_is_created_in_wal_mode_at_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "servers.sqlite3"
    store = Store.open(path)
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_data_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "servers.sqlite3"
    store = Store.open(path)
    feedback.record_vote(store, 1, "https://a.example/1", 2, True, date(2026, 1, 2))
    store.close()
    again = Store.open(path)
    assert again.rows("SELECT guild_id, url, position, helpful, day FROM votes") == [
        (1, "https://a.example/1", 2, 1, "2026-01-02")
    ]


def test_an_empty_sqlite_file_is_migrated_forward(tmp_path: Path) -> None:
    path = tmp_path / "servers.sqlite3"
    sqlite3.connect(path).close()  # a zero-length file is an empty database at version 0
    Store.open(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all, just text" * 20, b"SQLite format 3\x00" + b"\xff" * 2000],
    ids=["text", "damaged-header"],
)
def test_a_file_that_is_not_a_database_is_reported_in_one_line_and_left_untouched(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "servers.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["servers.sqlite3"]


def test_a_database_from_a_newer_bot_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "servers.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version"):
        Store.open(path)
    assert path.read_bytes() == before


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE customers (name TEXT)")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another program"):
        Store.open(path)
    assert path.read_bytes() == before


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a file"):
        Store.open(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "servers.sqlite3"
    Store.open(path).close()
    path.chmod(0)
    try:
        with pytest.raises(StoreError):
            Store.open(path)
    finally:
        path.chmod(0o600)


def _vote_many(path: str, guild: int, n: int) -> None:
    store = Store.open(Path(path))
    for i in range(n):
        feedback.record_vote(store, guild, f"https://a.example/{i % 7}", i, i % 2 == 0, date(2026, 1, 1))
        feedback.record_answer(store, guild, date(2026, 1, 1), "https://a.example/x")
    store.close()


def test_several_processes_write_at_once_without_losing_a_write(tmp_path: Path) -> None:
    path = tmp_path / "servers.sqlite3"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_vote_many, args=(str(path), guild, 60)) for guild in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    store = Store.open(path)
    assert store.rows("SELECT guild_id, COUNT(*) FROM votes GROUP BY guild_id") == [(g, 60) for g in range(4)]
    assert store.rows("SELECT SUM(count) FROM answers") == [(240,)]


def test_a_read_is_not_held_up_by_a_write_waiting_for_another_process(tmp_path: Path) -> None:
    path = tmp_path / "servers.sqlite3"
    store = Store.open(path)
    feedback.record_answer(store, 1, date(2026, 1, 1), None)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process, mid-write
    writer = threading.Thread(target=feedback.record_answer, args=(store, 2, date(2026, 1, 1), None))
    writer.start()  # waits for `other` (up to BUSY_TIMEOUT)
    while not store._lock.locked():
        time.sleep(0.01)
    assert store.rows("SELECT guild_id, count FROM answers") == [(1, 1)]  # answered while the write waits
    assert writer.is_alive()
    other.execute("COMMIT")
    writer.join(30)
    assert store.rows("SELECT guild_id, count FROM answers ORDER BY guild_id") == [(1, 1), (2, 1)]
