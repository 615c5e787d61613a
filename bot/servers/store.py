"""The servers' database: one SQLite file (WAL mode) shared by every bot process.

Each process keeps one connection. Writes are short `BEGIN IMMEDIATE` transactions and wait
up to BUSY_TIMEOUT for another process's write, so several shards can write at once. The
schema carries a version (`PRAGMA user_version`) and is brought forward one migration at a
time; a file that is not a database of ours, or that a newer bot wrote, is reported and left
exactly as it is. What is stored: per-server settings, vote and answer counts by day. Never
a question, never a user.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BUSY_TIMEOUT = 10.0

# MIGRATIONS[n] brings a database from version n to n + 1. Append, never edit.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE server_settings (
        guild_id INTEGER PRIMARY KEY,
        default_force TEXT,
        private_answers INTEGER,
        stale_after_months INTEGER,
        contacts TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE answers (
        guild_id INTEGER NOT NULL,
        day TEXT NOT NULL,
        url TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (guild_id, day, url)
    );
    CREATE TABLE votes (
        guild_id INTEGER NOT NULL,
        url TEXT NOT NULL,
        position INTEGER NOT NULL,
        helpful INTEGER NOT NULL,
        day TEXT NOT NULL
    );
    CREATE INDEX votes_by_server_day ON votes (guild_id, day);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
_TABLES = {"server_settings", "answers", "votes"}


class StoreError(Exception):
    """The database can't be opened or written; the message is one line naming the file."""


class Store:
    """The database at `path`, safe to use from several threads: one connection writes, another
    reads, so a write waiting for another process's never holds up a read (WAL readers don't
    wait for writers)."""

    def __init__(self, writer: sqlite3.Connection, reader: sqlite3.Connection, path: Path) -> None:
        self._connection, self._lock = writer, threading.Lock()
        self._reader, self._read_lock = reader, threading.Lock()
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating if absent) and migrate the database; raise StoreError, without
        changing the file, if it is unreadable, not a database, or from a newer version."""
        path = Path(path)
        existed = path.exists()
        if existed and not path.is_file():
            raise StoreError(f"database {path}: not a file")
        try:
            if not existed:
                path.parent.mkdir(parents=True, exist_ok=True)
            # Read-only probe first: a bad file is never written to, not even a journal.
            if existed:
                _check_existing(path)
            connection = _connect(path)
        except StoreError:
            raise
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"database {path}: cannot open it ({exc})") from None
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            _migrate(connection, path)
            reader = _connect(path)
        except sqlite3.Error as exc:
            connection.close()
            raise StoreError(f"database {path}: cannot use it ({exc})") from None
        except StoreError:
            connection.close()
            raise
        return cls(connection, reader, path)

    def close(self) -> None:
        with self._lock, self._read_lock:
            self._connection.close()
            self._reader.close()

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """The rows of one read."""
        with self._read_lock:
            try:
                return self._reader.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"database {self.path}: cannot read it ({exc})") from None

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """A short write transaction: committed at the end of the block, rolled back on error."""
        with self._lock:
            connection = self._connection
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"database {self.path}: cannot write to it ({exc})") from None
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException as exc:
                connection.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"database {self.path}: cannot write to it ({exc})") from None
                raise


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)


def _check_existing(path: Path) -> None:
    """Raise StoreError if the file at `path` is not a sound database this bot can use."""
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
    except sqlite3.Error as exc:
        raise StoreError(f"database {path}: cannot open it ({exc})") from None
    try:
        version = probe.execute("PRAGMA user_version").fetchone()[0]
        check = probe.execute("PRAGMA quick_check").fetchone()[0]
        tables = {row[0] for row in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as exc:
        raise StoreError(f"database {path}: not a readable SQLite database ({exc}); left untouched") from None
    finally:
        probe.close()
    if check != "ok":
        raise StoreError(f"database {path}: damaged ({check}); left untouched")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"database {path}: written by a newer version of the bot (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); left untouched"
        )
    if version == 0 and tables:
        raise StoreError(f"database {path}: holds tables of another program; left untouched")
    if version and not tables >= _TABLES:
        raise StoreError(f"database {path}: schema {version} is missing tables; left untouched")


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to SCHEMA_VERSION. The version is re-read inside the write lock,
    so two processes starting at once migrate once."""
    if connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"database {path}: written by a newer version of the bot (schema {version})")
        for number in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number + 1}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
