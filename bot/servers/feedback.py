"""What the bot records about its use: answer counts and "Helpful?" votes, by server and day.

A vote is (server, article url, passage position, vote, day); an answer is counted by (server,
day, article url), a declined question by (server, day). Never the question, never who asked:
one vote per person per answer is enforced in memory only (`Ballot`), for the answer's life.
"""

from __future__ import annotations

from datetime import date

from bot.servers.store import Store

DECLINED = ""  # the url an answer is counted under when no passage matched


def record_answer(store: Store, guild_id: int, day: date, url: str | None) -> None:
    """Count one answer from the article at `url`, or one declined question when None."""
    with store.writing() as db:
        db.execute(
            "INSERT INTO answers (guild_id, day, url, count) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (guild_id, day, url) DO UPDATE SET count = count + 1",
            (guild_id, day.isoformat(), url or DECLINED),
        )


def record_vote(store: Store, guild_id: int, url: str, position: int, helpful: bool, day: date) -> None:
    """Store one vote on the passage at `position` in the article at `url`."""
    if not url:
        raise ValueError("a vote needs the article's url")
    with store.writing() as db:
        db.execute(
            "INSERT INTO votes (guild_id, url, position, helpful, day) VALUES (?, ?, ?, ?, ?)",
            (guild_id, url, position, int(helpful), day.isoformat()),
        )


class Ballot:
    """Who has voted on one answer, kept in memory for the answer's lifetime only."""

    def __init__(self) -> None:
        self._voted: set[int] = set()

    def cast(self, user_id: int) -> bool:
        """True the first time `user_id` votes, False after that."""
        if user_id in self._voted:
            return False
        self._voted.add(user_id)
        return True
