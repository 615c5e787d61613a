"""Write fetched pages into the articles folder in exactly the seeds' format.

Each page's file name comes from its canonical URL, so fetching it again never makes a second
file. An unchanged page is not rewritten; a changed one is written to a hidden temporary file
and renamed over the old one, so a reader sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from bot.corpus.articles import ArticleError, article_files, parse_article, split_header
from bot.live.extract import Page

DATE_FORMAT = "%H:%M %d/%m/%Y"  # as the seeds and the force sites write it
_URL_LINE = re.compile(r"^url:\s*['\"]?(\S+?)['\"]?\s*$", re.MULTILINE)
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Written:
    status: str  # "new", "updated" or "unchanged"
    path: Path


def url_key(url: str) -> str:
    """The loader's notion of the same url (see load_articles)."""
    return url.rstrip("/").lower()


def article_name(url: str) -> str:
    """`<last path segment>-<hash of the url>.txt`: readable, and stable for the url."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    slug = _SLUG.sub("-", (segments[-1] if segments else parts.hostname or "page").lower()).strip("-")
    digest = hashlib.sha256(url_key(url).encode("utf-8")).hexdigest()[:12]
    return f"{slug[:60].rstrip('-') or 'page'}-{digest}.txt"


def _keep(text: str) -> str:
    """Escape `&` where the loader's html.unescape would otherwise change the text."""
    return text if html.unescape(text) == text else text.replace("&", "&amp;")


def render(page: Page, force: str) -> str:
    """The article file: a ```yaml header (keys sorted, one line each) and the body."""
    header: dict[str, object] = {
        "area": force,
        "publish": {"date": page.published.strftime(DATE_FORMAT)},
        "title": _keep(page.title),
        "url": page.url,
    }
    if page.og:
        og = {name: _keep(value) for name, value in sorted(page.og.items())}
        if "image" in page.og:  # as the saved pages have it: the loader unescapes it
            og["image"] = page.og["image"].replace("&", "&amp;")
        header["og"] = og
    dumped = yaml.safe_dump(header, sort_keys=True, width=float("inf"))
    return f"```yaml\n{dumped}```\n\n{_keep(page.body)}\n"


class ArticleFolder:
    """The articles folder as the writer sees it: which url each existing file holds."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._by_url: dict[str, Path] | None = None

    def existing(self, url: str) -> Path | None:
        if self._by_url is None:
            self._by_url = {}
            for path in article_files(self.directory) if self.directory.is_dir() else []:
                found = _header_url(path)
                if found:
                    self._by_url.setdefault(url_key(found), path)
        return self._by_url.get(url_key(url))

    def write(self, page: Page, force: str) -> Written:
        """Write the page; raise ArticleError if the loader would reject it or another file
        already holds its url."""
        text = render(page, force)
        target = self.directory / article_name(page.url)
        parse_article(target, text)  # the loader must accept exactly what is written
        holder = self.existing(page.url)
        if holder is not None and holder.resolve() != target.resolve():
            raise ArticleError(f"already saved as {holder.name}, a file fetch did not write")
        data = text.encode("utf-8")
        if target.exists():
            if target.read_bytes() == data:
                return Written("unchanged", target)
            status = "updated"
        else:
            status = "new"
        self.directory.mkdir(parents=True, exist_ok=True)
        replace_atomically(target, data)
        if self._by_url is not None:
            self._by_url[url_key(page.url)] = target
        return Written(status, target)


def _header_url(path: Path) -> str | None:
    """The `url:` of a file's header, read from its first 8 KB without parsing the whole file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8192).decode("utf-8", "replace")
    except OSError:
        return None
    try:
        header, _ = split_header(head)
        value = header.get("url")
        return str(value) if value else None
    except ArticleError:
        match = _URL_LINE.search(head)
        return match.group(1) if match else None


def replace_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` so that it is either the old file or the new one, never half."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
