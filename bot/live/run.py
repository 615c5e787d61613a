"""Fetch sources (pages, feeds, sitemaps, saved .html files) into an articles folder.

Every page ends as one Outcome: new, updated, unchanged, skipped (with the reason it cannot be
an article, or that robots.txt disallows it) or failed (it could not be read). What servers
said about each address (ETag, Last-Modified) is kept in a hidden state file in the folder, so
the next run asks conditionally and a feed with nothing new costs one short request.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from w3lib.encoding import html_to_unicode

from bot.corpus.articles import ArticleError
from bot.live.domains import force_for_url
from bot.live.extract import NotAnArticle, extract_page
from bot.live.http import FetchError, PoliteClient, Refused, Response, Validators
from bot.live.sources import SourceError, decompress, kind_of, read_listing
from bot.live.writer import ArticleFolder, replace_atomically

STATE_FILE = ".fetch-state.json"
MAX_SITEMAP_DEPTH = 3
HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class Outcome:
    url: str
    status: str  # new, updated, unchanged, skipped, failed
    file: str | None = None
    reason: str | None = None

    def as_json(self) -> dict:
        return {"url": self.url, "status": self.status, "file": self.file, "reason": self.reason}


@dataclass(frozen=True)
class SourceResult:
    source: str
    readable: bool  # False: the source itself could not be read at all
    reason: str = ""
    outcomes: tuple[Outcome, ...] = field(default_factory=tuple)


class FetchState:
    """Validators and kind per address, in `<folder>/.fetch-state.json`; never trusted blindly:
    a damaged file just means unconditional requests."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / STATE_FILE
        try:
            urls = json.loads(self.path.read_text(encoding="utf-8")).get("urls")
        except (OSError, ValueError, AttributeError):
            urls = None
        urls = urls if isinstance(urls, dict) else {}
        self.urls: dict[str, dict] = {url: entry for url, entry in urls.items() if isinstance(entry, dict)}

    def validators(self, url: str, folder: Path) -> Validators | None:
        entry = self.urls.get(url)
        if not entry:
            return None
        if entry.get("kind") == "page" and not (folder / str(entry.get("file", ""))).is_file():
            return None  # its file is gone: fetch it whole and write it again
        return Validators(entry.get("etag", ""), entry.get("last_modified", ""))

    def unchanged_since(self, url: str, updated: datetime | None, folder: Path) -> bool:
        """True when a feed or sitemap dates the page no later than our last fetch of it, and
        its file is still there: then it need not be requested at all."""
        entry = self.urls.get(url) or {}
        if updated is None or not entry.get("fetched") or not (folder / str(entry.get("file", ""))).is_file():
            return False
        try:
            return updated <= datetime.fromisoformat(entry["fetched"])
        except (TypeError, ValueError):
            return False

    def remember(self, url: str, response: Response, kind: str, written: Outcome | None = None) -> None:
        validators = response.validators
        if response.status == 304:
            if url in self.urls:
                self.urls[url]["fetched"] = datetime.now(timezone.utc).isoformat()
            return
        self.urls[url] = {"etag": validators.etag, "last_modified": validators.last_modified, "kind": kind}
        self.urls[url]["fetched"] = datetime.now(timezone.utc).isoformat()
        if written is not None and written.file:
            self.urls[url].update(file=written.file, canonical=written.url)

    def save(self) -> None:
        if not self.path.parent.is_dir():
            return
        data = json.dumps({"version": 1, "urls": self.urls}, indent=1, sort_keys=True)
        replace_atomically(self.path, data.encode("utf-8"))


class Fetcher:
    """One run over some sources into one folder; `report` hears each page as it is done."""

    def __init__(
        self,
        directory: Path,
        client: PoliteClient,
        *,
        force: str | None = None,
        report: Callable[[Outcome], None] = lambda outcome: None,
    ) -> None:
        self.directory, self.client, self.force, self.report = directory, client, force, report
        self.folder = ArticleFolder(directory)
        self.state = FetchState(directory)
        self._seen: set[str] = set()

    def fetch(self, source: str) -> SourceResult:
        outcomes: list[Outcome] = []
        try:
            if urlsplit(source).scheme in ("http", "https"):
                return self._url_source(source, outcomes)
            return self._local_source(Path(source), outcomes)
        finally:
            self.state.save()

    def _done(self, outcomes: list[Outcome], outcome: Outcome) -> None:
        outcomes.append(outcome)
        self.report(outcome)

    def _url_source(self, source: str, outcomes: list[Outcome]) -> SourceResult:
        try:
            response = self.client.get(source, self.state.validators(source, self.directory))
        except Refused as exc:
            self._done(outcomes, Outcome(source, "skipped", reason=str(exc)))
            return SourceResult(source, True, outcomes=tuple(outcomes))
        except FetchError as exc:
            self._done(outcomes, Outcome(source, "failed", reason=str(exc)))
            return SourceResult(source, False, str(exc), tuple(outcomes))
        known = self.state.urls.get(source, {}).get("kind")
        if response.status == 304 and known in ("feed", "sitemap"):
            return SourceResult(source, True, "not modified since the last fetch", tuple(outcomes))
        try:
            body = decompress(response.body)
            kind = "page" if response.status == 304 else kind_of(body)
            if kind == "page":
                self._seen.add(source)
                self._done(outcomes, self._page(source, response))
                return SourceResult(source, True, outcomes=tuple(outcomes))
            self._listing(source, body, response, outcomes, depth=0)
        except SourceError as exc:
            self._done(outcomes, Outcome(source, "failed", reason=str(exc)))
            return SourceResult(source, False, str(exc), tuple(outcomes))
        return SourceResult(source, True, outcomes=tuple(outcomes))

    def _listing(self, url: str, body: bytes, response: Response, outcomes: list[Outcome], depth: int) -> None:
        listing = read_listing(body, response.url)
        self.state.remember(url, response, listing.kind)
        for child in listing.sitemaps:
            if depth >= MAX_SITEMAP_DEPTH or child in self._seen:
                continue
            self._seen.add(child)
            try:
                reply = self.client.get(child, self.state.validators(child, self.directory))
                if reply.status == 304:
                    continue
                self._listing(child, decompress(reply.body), reply, outcomes, depth + 1)
            except (FetchError, SourceError) as exc:
                self._done(outcomes, Outcome(child, "failed", reason=f"sitemap: {exc}"))
        for page in listing.pages:
            if page in self._seen:
                continue
            self._seen.add(page)
            if self.state.unchanged_since(page, listing.updated.get(page), self.directory):
                known = self.state.urls[page]
                self._done(outcomes, Outcome(known.get("canonical", page), "unchanged", known["file"]))
                continue
            try:
                reply = self.client.get(page, self.state.validators(page, self.directory))
            except Refused as exc:
                self._done(outcomes, Outcome(page, "skipped", reason=str(exc)))
                continue
            except FetchError as exc:
                self._done(outcomes, Outcome(page, "failed", reason=str(exc)))
                continue
            self._done(outcomes, self._page(page, reply))

    def _page(self, url: str, response: Response) -> Outcome:
        if response.status == 304:
            self.state.remember(url, response, "page")
            known = self.state.urls.get(url, {})
            return Outcome(known.get("canonical", url), "unchanged", known.get("file"))
        media = response.content_type.split(";", 1)[0].strip().lower()
        if media and not ("html" in media or "xml" in media or media.startswith("text/")):
            return Outcome(url, "skipped", reason=f"not a web page ({media})")
        _, text = html_to_unicode(response.content_type or None, response.body)
        outcome = self._write(url, text, response.url)
        self.state.remember(url, response, "page", outcome if outcome.status != "skipped" else None)
        return outcome

    def _local_source(self, path: Path, outcomes: list[Outcome]) -> SourceResult:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in HTML_SUFFIXES)
        else:
            files = [path]
        if not files:
            reason = f"no .html files in {str(path)!r}"
            return SourceResult(str(path), False, reason, ())
        for file in files:
            try:
                _, text = html_to_unicode(None, file.read_bytes())
            except OSError as exc:
                self._done(outcomes, Outcome(str(file), "failed", reason=f"cannot be read: {exc.strerror or exc}"))
                continue
            self._done(outcomes, self._write(str(file), text, None))
        return SourceResult(str(path), True, outcomes=tuple(outcomes))

    def _write(self, where: str, html: str, address: str | None) -> Outcome:
        try:
            page = extract_page(html, address)
        except NotAnArticle as exc:
            return Outcome(where, "skipped", reason=str(exc))
        except Exception as exc:  # the parsers meet every kind of broken page; one must not end the run
            return Outcome(where, "failed", reason=f"could not be read as a page ({type(exc).__name__}: {exc})")
        force = self.force or force_for_url(page.url)
        if force is None:
            host = urlsplit(page.url).hostname
            return Outcome(page.url, "skipped", reason=f"{host} is not a UK police site (name the force with --force)")
        try:
            written = self.folder.write(page, force)
        except ArticleError as exc:
            return Outcome(page.url, "skipped", reason=str(exc))
        except OSError as exc:
            return Outcome(page.url, "failed", reason=f"could not write the file: {exc.strerror or exc}")
        return Outcome(page.url, written.status, written.path.name)
