"""A news page's HTML -> the fields of an article header and the article's own text.

trafilatura finds the main text (menus, cookie banners, breadcrumbs, share links, related news
and footers go); extruct reads the `og:*` and JSON-LD metadata; lxml answers the two questions
neither does, the canonical link and a `<time datetime>`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import extruct
import lxml.etree
import lxml.html
import trafilatura
from dateutil import parser as dateparser

_XML_DECLARATION = re.compile(r"\A\ufeff?\s*<\?xml[^>]*\?>")
OG_FIELDS = ("description", "image", "locale", "title", "type", "url")
# Consent banners are the one piece of furniture trafilatura may keep: on a page with little
# text of its own it falls back to them.
_PRUNE = [
    "//*[contains(translate(@class, 'COKIENS', 'cokiens'), 'cookie')"
    " or contains(translate(@id, 'COKIENS', 'cokiens'), 'cookie')"
    " or contains(translate(@class, 'CONSET', 'conset'), 'consent')"
    " or contains(translate(@id, 'CONSET', 'conset'), 'consent')]"
]


class NotAnArticle(ValueError):
    """The page cannot become an article file; the message says why (reported as skipped)."""


@dataclass(frozen=True)
class Page:
    url: str  # canonical
    title: str
    published: datetime  # UK local time, naive, as the force sites print it
    body: str  # paragraphs separated by blank lines, list items as ` * ` lines
    og: dict[str, str] = field(default_factory=dict)


def extract_page(html: str, address: str | None) -> Page:
    """Read one news page fetched from (or saved from) `address`; raise NotAnArticle."""
    html = _XML_DECLARATION.sub("", html, count=1)  # XHTML's; lxml refuses it in decoded text
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise NotAnArticle(f"not an HTML page ({exc})") from None
    meta = extruct.extract(html, base_url=address, syntaxes=["opengraph", "json-ld"], uniform=True, errors="ignore")
    og: dict[str, str] = {}
    for item in meta.get("opengraph", []):  # extruct's uniform form moves og:type to @type
        og.update({"og:type" if k == "@type" else k: v for k, v in item.items() if isinstance(v, str)})
    url = canonical_url(tree, og, address)
    title = og.get("og:title") or " ".join(tree.findtext(".//title", default="").split())
    if not title.strip():
        raise NotAnArticle("the page has no og:title or <title>")
    published = publish_date(tree, og, meta.get("json-ld", []))
    body = main_text(html, url, title)
    fields = {name: " ".join(og[f"og:{name}"].split()) for name in OG_FIELDS if og.get(f"og:{name}", "").strip()}
    return Page(url=url, title=" ".join(title.split()), published=published, body=body, og=fields)


def canonical_url(tree: lxml.html.HtmlElement, og: dict[str, str], address: str | None) -> str:
    links = tree.xpath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href")
    for candidate in [*links, og.get("og:url", ""), address or ""]:
        url = urljoin(address or "", candidate.strip()) if candidate.strip() else ""
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc:
            return url.split("#", 1)[0]
    raise NotAnArticle("no canonical link, og:url or web address to name the page by")


def publish_date(tree: lxml.html.HtmlElement, og: dict[str, str], json_ld: list) -> datetime:
    """article:published_time, else JSON-LD datePublished, else the article's <time datetime>."""
    times = tree.xpath("//article//time/@datetime | //main//time/@datetime") or tree.xpath("//time/@datetime")
    candidates = [og.get("article:published_time", ""), *_json_ld_dates(json_ld), *times]
    for value in candidates:
        parsed = _parse(value)
        if parsed is not None:
            return parsed
    raise NotAnArticle("no publish date (article:published_time, JSON-LD datePublished or <time datetime>)")


def _json_ld_dates(items: object) -> Iterator[str]:
    if isinstance(items, list):
        for item in items:
            yield from _json_ld_dates(item)
    elif isinstance(items, dict):
        if isinstance(items.get("datePublished"), str):
            yield items["datePublished"]
        yield from _json_ld_dates(items.get("@graph"))


def _parse(value: str) -> datetime | None:
    if not value or not value.strip():
        return None
    try:
        moment = dateparser.isoparse(value.strip())
    except (ValueError, OverflowError):
        return None
    if moment.tzinfo is not None:
        with contextlib.suppress(ZoneInfoNotFoundError):
            moment = moment.astimezone(ZoneInfo("Europe/London"))
        moment = moment.replace(tzinfo=None)
    return moment


def main_text(html: str, url: str, title: str = "") -> str:
    """The article's own text, as the seeds write it; a heading that repeats the title is no
    part of it."""
    xml = trafilatura.extract(
        html,
        url=url,
        output_format="xml",
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        prune_xpath=_PRUNE,
    )
    if not xml:
        raise NotAnArticle("no article text found on the page")
    root = lxml.etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    blocks = [block for element in (main if main is not None else root) for block in _blocks(element)]
    headline = " ".join(title.split()).casefold()
    body = "\n\n".join(block for block in blocks if block.strip() and block.casefold() != headline)
    if not body:
        raise NotAnArticle("no article text found on the page")
    return body


def _blocks(element: lxml.etree._Element) -> Iterator[str]:
    tag = element.tag
    if tag == "list":
        items = [" * " + _text(item) for item in element.findall("item")]
        yield "\n".join(item for item in items if item.strip() != "*")
    elif tag == "table":
        for row in element.iter("row"):
            yield " | ".join(_text(cell) for cell in row.iter("cell") if _text(cell))
    elif tag in ("graphic", "comments"):
        return
    else:
        yield _text(element)


def _text(element: lxml.etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())
