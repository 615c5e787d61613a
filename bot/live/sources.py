"""Tell a fetched document's kind (news page, RSS/Atom feed, sitemap) and list the pages a feed
or sitemap points to."""

from __future__ import annotations

import gzip
import io
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.etree
from dateutil import parser as dateparser

from bot.live.http import MAX_BYTES

FEED_ROOTS = {"rss", "feed", "RDF"}
SITEMAP_ROOTS = {"urlset", "sitemapindex"}
_XML = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


class SourceError(ValueError):
    """A feed or sitemap that cannot be read; the message says why."""


@dataclass(frozen=True)
class Listing:
    """What a feed or sitemap points to."""

    kind: str  # "feed" or "sitemap"
    pages: tuple[str, ...]
    sitemaps: tuple[str, ...] = ()  # a sitemap index's child sitemaps
    updated: dict[str, datetime] = field(default_factory=dict)  # when the listing says a page last changed (UTC)


def decompress(body: bytes, limit: int = MAX_BYTES) -> bytes:
    """Un-gzip a `.xml.gz` sitemap, refusing one that inflates past `limit`."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            data = stream.read(limit + 1)
    except (OSError, EOFError) as exc:
        raise SourceError(f"gzip data that cannot be read ({exc})") from None
    if len(data) > limit:
        raise SourceError(f"decompresses to over {limit:,} bytes")
    return data


def kind_of(body: bytes) -> str:
    """ "feed", "sitemap" or "page", from the document's root element."""
    start = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "page"
    try:
        root = lxml.etree.fromstring(body, parser=_XML)
    except lxml.etree.XMLSyntaxError:
        return "page"
    name = lxml.etree.QName(root).localname
    if name in SITEMAP_ROOTS:
        return "sitemap"
    if name in FEED_ROOTS:
        return "feed"
    return "page"


def read_listing(body: bytes, base_url: str) -> Listing:
    """The pages a feed or sitemap lists, in its order, without duplicates."""
    kind = kind_of(body)
    if kind == "sitemap":
        root = lxml.etree.fromstring(body, parser=_XML)
        entries = [(entry.findtext("{*}loc") or "", entry.findtext("{*}lastmod")) for entry in root]
        links = _web_addresses([loc for loc, _ in entries], base_url)
        if lxml.etree.QName(root).localname == "sitemapindex":
            return Listing("sitemap", (), links)
        return Listing("sitemap", links, updated=_dates(entries, base_url, _iso))
    if kind == "feed":
        parsed = feedparser.parse(body)
        entries = [(e.get("link", ""), e.get("updated_parsed") or e.get("published_parsed")) for e in parsed.entries]
        links = _web_addresses([link for link, _ in entries], base_url)
        return Listing("feed", links, updated=_dates(entries, base_url, _struct))
    raise SourceError("not a news page, RSS/Atom feed or sitemap")


def _web_addresses(links: list[str], base_url: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for link in links:
        url = urljoin(base_url, link.strip()).split("#", 1)[0] if link.strip() else ""
        if urlsplit(url).scheme in ("http", "https"):
            seen.setdefault(url, None)
    return tuple(seen)


def _dates(entries: list[tuple[str, object]], base_url: str, parse) -> dict[str, datetime]:
    found: dict[str, datetime] = {}
    for link, value in entries:
        when = parse(value) if value else None
        if when is not None and link.strip():
            found[urljoin(base_url, link.strip()).split("#", 1)[0]] = when
    return found


def _iso(value: str) -> datetime | None:
    try:
        when = dateparser.isoparse(value.strip())
    except (ValueError, OverflowError):
        return None
    return when.astimezone(timezone.utc) if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _struct(value: time.struct_time) -> datetime | None:
    try:
        return datetime(*value[:6], tzinfo=timezone.utc)  # feedparser gives UTC
    except (TypeError, ValueError):
        return None
