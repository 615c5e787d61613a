"""`/stats`: a server's use over the last days, from the counts and votes in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.servers.feedback import DECLINED
from bot.servers.store import Store

TOP = 5


@dataclass(frozen=True)
class Summary:
    days: int
    answered: int
    declined: int
    helpful: int
    not_helpful: int
    top_articles: tuple[tuple[str, int], ...]  # (url, answers), most first
    voted_down: tuple[tuple[str, int, int], ...]  # (url, passage position, "not helpful" votes), most first


def summary(store: Store, guild_id: int, today: date, days: int) -> Summary:
    """Use of one server over the `days` days ending `today` (today included)."""
    since = (today - timedelta(days=days - 1)).isoformat()
    window = (guild_id, since, today.isoformat())
    counts = store.rows(
        "SELECT url = ?, SUM(count) FROM answers WHERE guild_id = ? AND day BETWEEN ? AND ? GROUP BY url = ?",
        (DECLINED, *window, DECLINED),
    )
    by_kind = {bool(declined): total for declined, total in counts}
    votes = store.rows(
        "SELECT helpful, COUNT(*) FROM votes WHERE guild_id = ? AND day BETWEEN ? AND ? GROUP BY helpful", window
    )
    by_vote = {bool(helpful): total for helpful, total in votes}
    top = store.rows(
        "SELECT url, SUM(count) AS n FROM answers WHERE guild_id = ? AND day BETWEEN ? AND ? AND url != ? "
        "GROUP BY url ORDER BY n DESC, url LIMIT ?",
        (*window, DECLINED, TOP),
    )
    down = store.rows(
        "SELECT url, position, COUNT(*) AS n FROM votes WHERE guild_id = ? AND day BETWEEN ? AND ? AND helpful = 0 "
        "GROUP BY url, position ORDER BY n DESC, url, position LIMIT ?",
        (*window, TOP),
    )
    return Summary(
        days=days,
        answered=by_kind.get(False, 0),
        declined=by_kind.get(True, 0),
        helpful=by_vote.get(True, 0),
        not_helpful=by_vote.get(False, 0),
        top_articles=tuple((url, n) for url, n in top),
        voted_down=tuple((url, position, n) for url, position, n in down),
    )
