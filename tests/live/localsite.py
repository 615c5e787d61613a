"""A local web server on 127.0.0.1 that looks enough like a police force's site for `fetch`:
news pages with all their furniture, robots.txt, feeds, sitemaps, redirects, errors."""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "pages"


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""
    first: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # replies before the real one
    chunked: bool = False
    gate: threading.Event | None = None  # the reply waits until the test opens it


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


class Site:
    """Routes by path; every request is logged with the time `clock` says it arrived."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Seen] = []
        self.clock: Callable[[], float] = lambda: 0.0
        self.base = ""

    def add(self, path: str, body: str | bytes = b"", **options: object) -> str:
        self.routes[path] = Route(body=body.encode("utf-8") if isinstance(body, str) else body, **options)
        return self.base + path

    def requested(self, path: str) -> int:
        return sum(1 for seen in self.log if seen.path == path)


class _Handler(BaseHTTPRequestHandler):
    site: Site

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        site = self.site
        site.log.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, site.clock()))
        route = site.routes.get(self.path)
        if route is None:
            return self._reply(404, b"<html><body><h1>Page not found</h1></body></html>", "text/html", {})
        if route.gate is not None:
            route.gate.wait(30)
        if route.first:
            status, headers = route.first.pop(0)
            return self._reply(status, b"busy", "text/plain", headers)
        headers = dict(route.headers)
        if route.etag:
            headers["ETag"] = route.etag
            if self.headers.get("If-None-Match") == route.etag:
                return self._reply(304, b"", "", headers)
        self._reply(route.status, route.body, route.content_type, headers, route.chunked)

    def _reply(self, status: int, body: bytes, content_type: str, headers: dict, chunked: bool = False) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):
                for start in range(0, len(body), 65536):
                    chunk = body[start : start + 65536]
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            with suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)


@contextmanager
def serve() -> Iterator[Site]:
    site = Site()
    handler = type("Handler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


class FakeClock:
    """Time that moves only when the client sleeps: delays are checked without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def news_page(
    *,
    canonical: str | None,
    title: str,
    paragraphs: list[str],
    force: str = "West Mercia Police",
    published_meta: str | None = None,
    json_ld_date: str | None = None,
    time_datetime: str | None = None,
    bullets: list[str] = (),
    description: str = "",
) -> str:
    """A news page as the Single Online Home sites lay it out, furniture and all."""
    e = html.escape
    head = [f"<title>{e(title)} | {e(force)}</title>", '<meta charset="utf-8">']
    if canonical:
        head.append(f'<link rel="canonical" href="{e(canonical)}">')
        head.append(f'<meta property="og:url" content="{e(canonical)}">')
    head.append(f'<meta property="og:title" content="{e(title)}">')
    head.append('<meta property="og:type" content="website">')
    if description:
        head.append(f'<meta property="og:description" content="{e(description)}">')
    if published_meta:
        head.append(f'<meta property="article:published_time" content="{published_meta}">')
    if json_ld_date:
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": json_ld_date,
        }
        head.append(f'<script type="application/ld+json">{json.dumps(data)}</script>')
    body = "".join(f"<p>{e(p)}</p>" for p in paragraphs)
    if bullets:
        body += "<ul>" + "".join(f"<li>{e(b)}</li>" for b in bullets) + "</ul>"
    date_line = f'<p class="date">Posted on <time datetime="{time_datetime}">today</time></p>' if time_datetime else ""
    return f"""<!DOCTYPE html><html lang="en-GB"><head>{"".join(head)}</head><body>
<div class="cookie-banner"><h2>Cookies on this site</h2><p>We use cookies to make this website work and to collect
information about how you use it.</p><button>Accept all cookies</button><button>Reject optional cookies</button></div>
<header><nav aria-label="Main"><ul><li><a href="/report/">Report</a></li><li><a href="/apply/">Apply</a></li>
<li><a href="/news/">News</a></li><li><a href="/contact/">Contact us</a></li></ul></nav></header>
<nav class="breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/news/">News</a></li><li>{e(title)}</li></ol></nav>
<main><article><h1>{e(title)}</h1>{date_line}<div class="rich-text">{body}</div>
<div class="share"><h2>Share this page</h2><ul><li><a href="https://www.facebook.com/sharer">Share on Facebook</a></li>
<li><a href="https://twitter.com/intent/tweet">Share on X</a></li></ul></div></article>
<aside class="related-news"><h2>Related news</h2><ul><li><a href="/news/a/">Man charged after burglary in the town
centre</a></li><li><a href="/news/b/">Appeal for witnesses after collision on the A49</a></li></ul></aside></main>
<footer><ul><li><a href="/accessibility/">Accessibility</a></li><li><a href="/privacy/">Privacy notice</a></li></ul>
<p>&copy; {e(force)}. In an emergency always call 999.</p></footer></body></html>"""


def rss(items: list[str], title: str = "News") -> str:
    entries = "".join(
        f"<item><title>Item {n}</title><link>{e}</link><guid>{e}</guid></item>" for n, e in enumerate(items)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://www.example.police.uk/news/</link><description>News</description>{entries}</channel></rss>"
    )


def atom(items: list[str]) -> str:
    entries = "".join(
        f'<entry><title>Item {n}</title><link href="{e}"/><id>{e}</id><updated>2024-02-12T10:00:00Z</updated></entry>'
        for n, e in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>'
        f"<id>urn:news</id><updated>2024-02-12T10:00:00Z</updated>{entries}</feed>"
    )


def sitemap(urls: list[str], index: bool = False) -> str:
    tag, item = ("sitemapindex", "sitemap") if index else ("urlset", "url")
    entries = "".join(f"<{item}><loc>{u}</loc></{item}>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><{tag} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</{tag}>'
