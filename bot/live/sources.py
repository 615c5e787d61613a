"""Tell a fetched document's kind (news page, RSS/Atom feed, sitemap) and list the pages a feed
or sitemap points to."""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.etree

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
    """"feed", "sitemap" or "page", from the document's root element."""
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
        locations = [(loc.text or "").strip() for loc in root.iter("{*}loc")]
        links = _web_addresses(locations, base_url)
        if lxml.etree.QName(root).localname == "sitemapindex":
            return Listing("sitemap", (), links)
        return Listing("sitemap", links)
    if kind == "feed":
        parsed = feedparser.parse(body)
        links = [entry.get("link", "") for entry in parsed.entries]
        return Listing("feed", _web_addresses(links, base_url))
    raise SourceError("not a news page, RSS/Atom feed or sitemap")


def _web_addresses(links: list[str], base_url: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for link in links:
        url = urljoin(base_url, link.strip()).split("#", 1)[0] if link.strip() else ""
        if urlsplit(url).scheme in ("http", "https"):
            seen.setdefault(url, None)
    return tuple(seen)
