"""`python -m bot fetch SOURCE... --articles DIR [--force NAME] [--json] [--delay SECONDS]`."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from urllib.parse import urlsplit

from bot.live import STATUSES
from bot.live.domains import force_named
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.live.run import Outcome


class FetchUsageError(ValueError):
    """A bad SOURCE or option: one line, exit status 2."""


def add_parser(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    fetch = sub.add_parser(
        "fetch",
        parents=[parent],
        help="fetch news pages, RSS/Atom feeds or sitemaps into the articles folder",
    )
    fetch.add_argument("sources", nargs="+", metavar="SOURCE", help="URL of a page, feed or sitemap; or .html file(s)")
    fetch.add_argument("--force", metavar="NAME", help="the force, for pages whose address does not tell it")
    fetch.add_argument("--json", action="store_true", help="print one JSON object per page")
    fetch.add_argument(
        "--delay", type=float, default=1.0, metavar="SECONDS", help="wait between requests to one host (default 1)"
    )


def force_name(name: str | None) -> str | None:
    """`--force staffs` -> `Staffordshire`; a name not in the police table is used as typed."""
    if name is None:
        return None
    if not name.strip():
        raise FetchUsageError("--force needs a force name, e.g. --force staffs")
    return force_named(name)


def check_sources(sources: list[str]) -> None:
    for source in sources:
        scheme = urlsplit(source).scheme
        if scheme in ("http", "https"):
            if not urlsplit(source).netloc:
                raise FetchUsageError(f"{source!r} is not a complete web address")
        elif not Path(source).exists():
            raise FetchUsageError(f"{source!r} is neither an http(s) address nor an existing file or folder")


def line(outcome: Outcome) -> str:
    text = f"{outcome.status:<9} {outcome.url}"
    if outcome.reason:
        text += f": {outcome.reason}"
    elif outcome.file:
        text += f" -> {outcome.file}"
    return text


def cmd_fetch(args: argparse.Namespace, directory: Path, settings: Settings, out: TextIO, err: TextIO) -> int:
    from bot.live.http import PoliteClient  # here, not at the top: `ask` need not import them
    from bot.live.run import Fetcher

    check_sources(args.sources)
    if args.delay < 0:
        raise FetchUsageError(f"--delay must be 0 or more seconds, not {args.delay}")
    if directory.exists() and not directory.is_dir():
        raise FetchUsageError(f"{str(directory)!r} is a file, not a folder of articles")
    if not settings.fetch_contact and any(urlsplit(s).scheme for s in args.sources):
        print("note: set FETCH_CONTACT (an email or web address) so site owners can reach you", file=err)

    def report(outcome: Outcome) -> None:
        print(json.dumps(outcome.as_json(), ensure_ascii=False) if args.json else line(outcome), file=out, flush=True)

    client = PoliteClient(settings.fetch_contact, delay=args.delay)
    fetcher = Fetcher(directory, client, force=force_name(args.force), report=report)
    try:
        results = [fetcher.fetch(source) for source in args.sources]
    finally:
        client.close()
    counts = Counter(o.status for r in results for o in r.outcomes)
    unread = [r for r in results if not r.readable]
    for result in unread:
        if not result.outcomes:
            print(f"error: could not read {result.source}: {result.reason}", file=err)
    summary = ", ".join(f"{counts[s]} {s}" for s in STATUSES)
    print(
        f"{summary} ({len(results)} source(s), {len(unread)} unreadable) into {directory}",
        file=err if args.json else out,
    )
    return 1 if unread else 0
