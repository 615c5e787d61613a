"""Load police news articles from a folder, validating each file on its own.

A file is a YAML header (a ```yaml fence, as the saved news pages have, or `---` front matter)
followed by the article body. A bad file is reported with its name and the reason and skipped;
it never stops the other files from loading.
"""

from __future__ import annotations

import errno
import html
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.corpus.furniture import is_furniture
from bot.corpus.header import ArticleError, check_date, field, parse_date, split_header, text_field, uk_now
from bot.corpus.links import check_url
from bot.corpus.scan import article_names

MAX_FILE_BYTES = 5_000_000
BULLET = "• "

_BULLET_LINE = re.compile(r"^\s*(?:[*\-+•·]|\d+[.)])\s+(.*)$")
_EMPHASIS = re.compile(r"\*\*|__")
_TITLE_SUFFIX = re.compile(r"\s+[|\-–]\s+([^|]*)$")


@dataclass(frozen=True)
class Article:
    """One news article, its provenance and its cleaned body text."""

    path: Path
    title: str
    url: str
    force: str
    published: datetime
    body: str
    description: str = ""
    image: str = ""

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Problem:
    """Why a file was not loaded."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path.name}: {self.reason}"


def clean_title(title: str, force: str) -> str:
    """Drop the site suffix (`... | West Mercia Police`) that page titles carry."""
    title = " ".join(html.unescape(title).split())
    match = _TITLE_SUFFIX.search(title)
    if match and ("police" in match.group(1).lower() or match.group(1).lower() == force.lower()):
        stripped = title[: match.start()].strip()
        if stripped:
            return stripped
    return title


def clean_body(text: str) -> str:
    """Normalise the body to paragraphs separated by blank lines, list items as `• ` lines.

    Only presentation is removed (stray markdown emphasis, bullet markers, page furniture); the
    words are kept as written. A list is attached to the paragraph that introduces it.
    """
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw_line in html.unescape(text).splitlines():
        line = " ".join(_EMPHASIS.sub("", raw_line).split())
        if not line:
            if current:
                blocks.append(current)
                current = []
            continue
        if is_furniture(line):
            continue
        bullet = _BULLET_LINE.match(raw_line) if not raw_line.lstrip().startswith("**") else None
        if bullet:
            item = " ".join(_EMPHASIS.sub("", bullet.group(1)).split())
            if not item:
                continue
            if not current and blocks and _is_list_lead(blocks[-1]):
                current = blocks.pop()
            current.append(BULLET + item)
        elif current and not current[-1].startswith(BULLET):
            current[-1] += " " + line
        else:
            if current:
                blocks.append(current)
            current = [line]
    if current:
        blocks.append(current)
    return "\n\n".join("\n".join(block) for block in blocks)


def _is_list_lead(block: list[str]) -> bool:
    return block[-1].startswith(BULLET) or block[-1].endswith(":")


def parse_article(path: Path, text: str, now: datetime | None = None) -> Article:
    """Build an Article from a file's text, or raise ArticleError saying what is wrong.

    `now` (UK time, default the clock) is what a publish date may not be over a day after."""
    header, body_text = split_header(text)
    title = text_field(header, "title")
    url = text_field(header, "url")
    try:
        check_url(url)
    except ValueError as exc:
        raise ArticleError(str(exc)) from None
    force = text_field(header, "area")
    if not any(ch.isalpha() for ch in force):
        raise ArticleError(f"`area` {force!r} does not name a force (it has no letters)")
    date_value = field(header, "publish", "date")
    if date_value is None:
        date_value = field(header, "date") or field(header, "published")
    if date_value is None:
        raise ArticleError("missing `publish.date` in the header")
    published = check_date(parse_date(date_value), now or uk_now())
    description = text_field(header, "og", "description", required=False) or text_field(
        header, "description", required=False
    )
    image = text_field(header, "og", "image", required=False)
    body = clean_body(body_text)
    if not body:
        raise ArticleError("the body is empty: nothing after the header")
    return Article(
        path=path,
        title=clean_title(title, force),
        url=url,
        force=force,
        published=published,
        body=body,
        description=" ".join(html.unescape(description).split()),
        image=html.unescape(image).strip(),
    )


def read_article(path: Path, now: datetime | None = None) -> Article:
    """Read and parse one file; every failure becomes an ArticleError with a readable reason."""
    try:
        # Non-blocking: opening a fifo would otherwise wait for a writer; it is refused below.
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):  # a fifo or device would block or never end
                raise ArticleError("not a regular file")
            raw = handle.read(MAX_FILE_BYTES + 1)  # +1: a file still growing is caught too
    except OSError as exc:
        raise ArticleError(f"cannot be read: {_os_reason(exc)}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ArticleError(f"file is {max(info.st_size, len(raw)):,} bytes, over the {MAX_FILE_BYTES:,} byte limit")
    if not raw.strip():
        raise ArticleError("the file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None
    return parse_article(path, text, now)


def _os_reason(exc: OSError) -> str:
    if os.path.islink(exc.filename or ""):
        if exc.errno == errno.ELOOP:
            return "a symbolic link that loops back on itself"
        if exc.errno == errno.ENOENT:
            return f"a symbolic link to {os.readlink(exc.filename)!r}, which does not exist"
    return exc.strerror or str(exc)


def article_files(directory: Path) -> list[Path]:
    """Every article file under `directory`, in a stable order; hidden files and folders are
    skipped."""
    root = os.fspath(directory)
    return [Path(os.path.join(root, name)) for name in article_names(root)]


def load_articles(paths: Iterable[Path]) -> tuple[list[Article], list[Problem]]:
    """Load every file; return the valid articles and a Problem for each rejected file."""
    articles: list[Article] = []
    problems: list[Problem] = []
    by_url: dict[str, Article] = {}
    now = uk_now()
    for path in paths:
        try:
            article = read_article(path, now)
        except ArticleError as exc:
            problems.append(Problem(path, str(exc)))
            continue
        key = article.url.rstrip("/").lower()
        if key in by_url:
            problems.append(Problem(path, f"same url as {by_url[key].name}: {article.url}"))
            continue
        by_url[key] = article
        articles.append(article)
    return articles, problems


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Articles newest first; the url breaks ties, so the order never depends on file order."""
    return sorted(articles, key=lambda a: (a.published, a.url), reverse=True)


class FolderError(ValueError):
    """The articles folder itself is unusable (missing, not a folder, nothing valid in it)."""


def check_folder(directory: Path) -> None:
    """Raise FolderError unless `directory` is an existing folder."""
    if not directory.exists():
        raise FolderError(f"articles folder {str(directory)!r} does not exist")
    if not directory.is_dir():
        raise FolderError(f"{str(directory)!r} is a file, not a folder of articles")


def require_articles(directory: Path, articles: Sequence[Article], problems: Sequence[Problem]) -> None:
    """Raise FolderError when a folder gave no valid article, saying why."""
    if not articles:
        detail = f"{len(problems)} file(s) rejected" if problems else "no .txt or .md files found"
        raise FolderError(f"no valid articles in {str(directory)!r}: {detail}")


def load_folder(directory: Path) -> tuple[list[Article], list[Problem]]:
    """Load a folder of articles; raise FolderError if it is missing or holds no valid article."""
    check_folder(directory)
    articles, problems = load_articles(article_files(directory))
    require_articles(directory, articles, problems)
    return articles, problems
