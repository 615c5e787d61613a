"""The running bot's sources file (`SOURCES_FILE`) and one refresh over it.

A refresh is blocking work (network, disk) and runs in a worker thread; it never raises: a
failing source becomes one log line and a status that `/sources` shows, and is tried again next
time. It only ever adds or atomically replaces article files.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import yaml

from bot.live.domains import force_named

if TYPE_CHECKING:
    from bot.live.http import PoliteClient
    from bot.live.run import SourceResult
from bot.live import STATUSES

log = logging.getLogger(__name__)
_FIELDS = ("url", "force")


class SourcesError(ValueError):
    """The sources file cannot be used; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class Source:
    url: str
    force: str | None = None


@dataclass(frozen=True)
class SourceStatus:
    """How the last fetch of one source went."""

    source: Source
    fetched: datetime | None = None  # UTC; None: not fetched yet
    result: str = "not fetched yet"
    ok: bool = True
    counts: dict[str, int] = field(default_factory=dict)


def load_sources(path: Path) -> tuple[Source, ...]:
    """Read a YAML list of sources: `- url: https://...` with an optional `force:`."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: cannot be read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise SourcesError(f"{path}: YAML syntax error{where}: {getattr(exc, 'problem', exc)}") from None
    if data is None:
        return ()
    if not isinstance(data, list):
        raise SourcesError(f"{path}: expected a list of sources (each starting with `- url:`)")
    sources: list[Source] = []
    for number, entry in enumerate(data, start=1):
        where = f"{path}: entry {number}"
        if isinstance(entry, str):
            entry = {"url": entry}
        if not isinstance(entry, dict):
            raise SourcesError(f"{where}: expected `url:` (and optionally `force:`), found {entry!r}")
        unknown = [key for key in entry if key not in _FIELDS]
        if unknown:
            raise SourcesError(f"{where}: unknown field `{unknown[0]}` (a source has `url` and `force`)")
        url = str(entry.get("url") or "").strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SourcesError(f"{where}: `url` must be an http(s) address, not {url!r}")
        force = entry.get("force")
        if force is not None and (not isinstance(force, str) or not force.strip()):
            raise SourcesError(f"{where}: `force` must be a force name, e.g. Staffordshire")
        sources.append(Source(url, force.strip() if force else None))
    return tuple(sources)


def status_of(source: Source, result: SourceResult, when: datetime) -> SourceStatus:
    counts = dict(Counter(o.status for o in result.outcomes))
    if not result.readable:
        text, ok = f"failed: {result.reason}", False
    elif result.reason:  # a feed or sitemap that said 304
        text, ok = "not modified", True
    else:
        text, ok = "read", True
    return SourceStatus(source, when, text, ok, counts)


def refresh(
    sources: tuple[Source, ...],
    directory: Path,
    client: PoliteClient,
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
) -> tuple[tuple[SourceStatus, ...], bool]:
    """Fetch every source once into `directory`; return their statuses and whether any article
    file was added or changed. Nothing escapes: an unexpected error in one source is that
    source's failure."""
    from bot.live.run import Fetcher, SourceResult  # here: the page parsers take a second to import

    statuses: list[SourceStatus] = []
    changed = False
    for source in sources:
        if client.stop.is_set():
            break
        try:
            force = force_named(source.force) if source.force else None
            result = Fetcher(directory, client, force=force).fetch(source.url)
        except Exception as exc:  # the bot must keep running whatever one source does
            result = SourceResult(source.url, False, f"{type(exc).__name__}: {exc}")
        status = status_of(source, result, now())
        if not status.ok and not client.stop.is_set():
            log.warning("source %s failed: %s", source.url, result.reason)
        changed = changed or any(o.status in ("new", "updated") for o in result.outcomes)
        statuses.append(status)
    return tuple(statuses), changed


def describe(status: SourceStatus, now: datetime) -> str:
    """`read 12 min ago: 2 new, 1 skipped` for /sources."""
    if status.fetched is None:
        return status.result
    minutes = max(0, int((now - status.fetched).total_seconds() // 60))
    when = "just now" if minutes < 1 else f"{minutes} min ago" if minutes < 120 else f"{minutes // 60} h ago"
    counts = ", ".join(f"{status.counts[s]} {s}" for s in STATUSES if status.counts.get(s))
    return f"{status.result}, {when} ({status.fetched:%H:%M} UTC)" + (f": {counts}" if counts else "")
