"""Load police news articles from a folder, validating each file on its own.

A file is a YAML header (a ```yaml fence, as the saved news pages have, or `---` front matter)
followed by the article body. A bad file is reported with its name and the reason and skipped;
it never stops the other files from loading.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from bot.corpus.furniture import is_furniture
from bot.corpus.scan import article_names

MAX_FILE_BYTES = 5_000_000
BULLET = "• "

# libyaml's loader when pyyaml was built with it: the same safe subset, many times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FENCED = re.compile(r"\A\ufeff?\s*```ya?ml[ \t]*\r?\n(.*?)\r?\n```[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_DATE_FORMATS = ("%H:%M %d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%H:%M %d/%m/%y", "%d %B %Y", "%d %b %Y")
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


class ArticleError(ValueError):
    """A file that cannot be an article; the message says why, for the user."""


def split_header(text: str) -> tuple[dict, str]:
    """Return the parsed YAML header and the body that follows it."""
    match = _FENCED.match(text) or _FRONT_MATTER.match(text)
    if not match:
        raise ArticleError("no header: the file must start with a ```yaml block or --- front matter")
    try:
        header = yaml.load(match.group(1), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at header line {mark.line + 1}" if mark else ""
        raise ArticleError(f"header is not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(header, dict):
        raise ArticleError("header is not a set of `key: value` fields")
    return header, text[match.end() :]


def parse_date(value: object) -> datetime:
    """Dates as the force sites write them (`16:40 08/04/2020`, day first) or ISO 8601."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str) or not value.strip():
        raise ArticleError(f"publish.date {value!r} is not a date")
    text = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    raise ArticleError(f"publish.date {text!r} is not a date (expected like '16:40 08/04/2020' or ISO 8601)")


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


def _field(header: dict, *path: str) -> object:
    value: object = header
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _text_field(header: dict, name: str) -> str:
    value = header.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ArticleError(f"missing `{name}` in the header")
    if not isinstance(value, (str, int, float)):
        raise ArticleError(f"`{name}` must be text, not {type(value).__name__}")
    return " ".join(str(value).split())


def parse_article(path: Path, text: str) -> Article:
    """Build an Article from a file's text, or raise ArticleError saying what is wrong."""
    header, body_text = split_header(text)
    title = _text_field(header, "title")
    url = _text_field(header, "url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ArticleError(f"url {url!r} is not a web address (http:// or https://)")
    force = _text_field(header, "area")
    date_value = _field(header, "publish", "date")
    if date_value is None:
        date_value = header.get("date") or header.get("published")
    if date_value is None:
        raise ArticleError("missing `publish.date` in the header")
    published = parse_date(date_value)
    body = clean_body(body_text)
    if not body:
        raise ArticleError("the body is empty: nothing after the header")
    description = _field(header, "og", "description") or header.get("description") or ""
    image = _field(header, "og", "image") or ""
    return Article(
        path=path,
        title=clean_title(title, force),
        url=url,
        force=force,
        published=published,
        body=body,
        description=" ".join(html.unescape(str(description)).split()),
        image=html.unescape(str(image)).strip(),
    )


def read_article(path: Path) -> Article:
    """Read and parse one file; every failure becomes an ArticleError with a readable reason."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ArticleError(f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,} byte limit")
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot be read: {exc.strerror or exc}") from None
    if not raw.strip():
        raise ArticleError("the file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None
    return parse_article(path, text)


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
    for path in paths:
        try:
            article = read_article(path)
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
