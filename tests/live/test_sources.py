import gzip
from datetime import datetime, timezone

import pytest
from live.localsite import atom, news_page, rss, sitemap

from bot.live.sources import SourceError, decompress, kind_of, read_listing

BASE = "https://www.kent.police.uk/news/"


def test_kinds_are_told_from_the_document() -> None:
    assert kind_of(rss(["https://www.kent.police.uk/a/"]).encode()) == "feed"
    assert kind_of(atom(["https://www.kent.police.uk/a/"]).encode()) == "feed"
    assert kind_of(sitemap(["https://www.kent.police.uk/a/"]).encode()) == "sitemap"
    assert kind_of(sitemap(["https://www.kent.police.uk/s.xml"], index=True).encode()) == "sitemap"
    assert kind_of(news_page(canonical=None, title="T", paragraphs=["p"]).encode()) == "page"
    assert kind_of(b"\xef\xbb\xbf  <rss version='2.0'><channel></channel></rss>") == "feed"  # BOM, no declaration
    assert kind_of(b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'></html>") == "page"
    assert kind_of(b"not markup at all") == "page"


def test_listings_resolve_links_drop_fragments_and_duplicates() -> None:
    feed = rss(
        ["/news/a/", "https://www.kent.police.uk/news/a/#top", "mailto:x@y", "https://www.kent.police.uk/news/b/"]
    )
    assert read_listing(feed.encode(), BASE).pages == (
        "https://www.kent.police.uk/news/a/",
        "https://www.kent.police.uk/news/b/",
    )
    index = read_listing(sitemap(["https://www.kent.police.uk/s1.xml"], index=True).encode(), BASE)
    assert index.pages == () and index.sitemaps == ("https://www.kent.police.uk/s1.xml",)


def test_listings_carry_the_dates_they_give() -> None:
    entries = atom(["https://www.kent.police.uk/news/a/"])
    assert read_listing(entries.encode(), BASE).updated == {
        "https://www.kent.police.uk/news/a/": datetime(2024, 2, 12, 10, 0, tzinfo=timezone.utc)
    }
    dated = sitemap(["https://www.kent.police.uk/news/a/"]).replace(
        "</loc>", "</loc><lastmod>2024-03-01T09:00:00+01:00</lastmod>"
    )
    assert read_listing(dated.encode(), BASE).updated["https://www.kent.police.uk/news/a/"] == datetime(
        2024, 3, 1, 8, 0, tzinfo=timezone.utc
    )


def test_gzipped_sitemaps_and_their_limit() -> None:
    body = sitemap(["https://www.kent.police.uk/news/a/"]).encode()
    assert decompress(gzip.compress(body)) == body
    assert decompress(body) == body
    with pytest.raises(SourceError, match="decompresses to over 1,000 bytes"):
        decompress(gzip.compress(b" " * 5000), limit=1000)
    with pytest.raises(SourceError, match="gzip data that cannot be read"):
        decompress(b"\x1f\x8b\x08garbage")


def test_something_else_is_not_a_listing() -> None:
    with pytest.raises(SourceError, match="not a news page, RSS/Atom feed or sitemap"):
        read_listing(b"<?xml version='1.0'?><catalog><book/></catalog>", BASE)
