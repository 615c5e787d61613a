"""An article file's YAML header, read as the text its author wrote, and its publish date.

Every scalar is read as a string (YAML's base schema): `title: yes` is the title "yes", not
True, and `.inf` stays ".inf". Aliases (`*name`) are refused while the node graph is walked, so
an alias bomb ("billion laughs") is rejected before anything is expanded.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import yaml

UK = ZoneInfo("Europe/London")
EARLIEST = datetime(1990, 1, 1)
MAX_DEPTH = 8
# libyaml's loader when pyyaml was built with it: the same base schema, many times faster.
_YAML_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_FENCED = re.compile(r"\A\ufeff?\s*```ya?ml[ \t]*\r?\n(.*?)\r?\n```[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_DATE_FORMATS = ("%H:%M %d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%H:%M %d/%m/%y", "%d %B %Y", "%d %b %Y")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class ArticleError(ValueError):
    """A file that cannot be an article; the message says why, for the user."""


def split_header(text: str) -> tuple[dict, str]:
    """Return the parsed YAML header (strings, lists and dicts only) and the body that follows it."""
    match = _FENCED.match(text) or _FRONT_MATTER.match(text)
    if not match:
        raise ArticleError("no header: the file must start with a ```yaml block or --- front matter")
    try:
        node = yaml.compose(match.group(1), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at header line {mark.line + 1}" if mark else ""
        raise ArticleError(f"header is not valid YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    except RecursionError:  # the pure-Python parser, on absurd nesting
        raise ArticleError(f"header is nested more than {MAX_DEPTH} levels deep") from None
    header = _plain(node, set(), 0) if node is not None else None
    if not isinstance(header, dict):
        raise ArticleError("header is not a set of `key: value` fields")
    return header, text[match.end() :]


def _plain(node: yaml.Node, seen: set[int], depth: int) -> object:
    """The node as str / list / dict; a node met twice is an alias, refused before expanding it."""
    if id(node) in seen:
        raise ArticleError("header uses a YAML alias (`*name`); article headers may not use anchors or aliases")
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise ArticleError(f"header is nested more than {MAX_DEPTH} levels deep")
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, seen, depth + 1) for item in node.value]
    mapping: dict[str, object] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            raise ArticleError("header keys must be plain words, not lists or mappings")
        mapping[_plain(key, seen, depth + 1)] = _plain(value, seen, depth + 1)  # type: ignore[index]
    return mapping


def field(header: dict, *path: str) -> object:
    """The value at `publish.date`-style path, or None if any step is missing or empty."""
    value: object = header
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return None if isinstance(value, str) and value.strip() in _NULLS else value


def text_field(header: dict, *path: str, required: bool = True) -> str:
    """A field that must be text, with its white space collapsed; "" if optional and absent."""
    value = field(header, *path)
    name = ".".join(path)
    if value is None:
        if required:
            raise ArticleError(f"missing `{name}` in the header")
        return ""
    if not isinstance(value, str):
        kind = "a list" if isinstance(value, list) else "a set of fields"
        raise ArticleError(f"`{name}` must be text, not {kind}")
    return " ".join(value.split())


def uk_now() -> datetime:
    """The current UK wall-clock time, naive like every Article.published."""
    return datetime.now(UK).replace(tzinfo=None)


def parse_date(value: object) -> datetime:
    """Dates as the force sites write them (`16:40 08/04/2020`, day first) or ISO 8601.

    The result is naive UK wall-clock time: a date with a zone (`Z`, `+01:00`) is converted to
    Europe/London, one without is taken to be UK time already, as the force sites write them."""
    if not isinstance(value, str) or not value.strip():
        raise ArticleError(f"publish.date {value!r} is not a date")
    text = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" else text)
    except ValueError:
        raise ArticleError(
            f"publish.date {text!r} is not a date (expected like '16:40 08/04/2020' or ISO 8601)"
        ) from None
    if parsed.tzinfo is None:
        return parsed
    try:
        return parsed.astimezone(UK).replace(tzinfo=None)
    except OverflowError:  # year 1 or 9999 shifted out of range
        raise ArticleError(f"publish.date {text!r} is out of range") from None


def check_date(published: datetime, now: datetime) -> datetime:
    """Refuse dates no police news article can have: before 1990, or over a day after `now`."""
    if published < EARLIEST:
        raise ArticleError(f"publish.date {published.date().isoformat()} is before 1990")
    if published > now + timedelta(days=1):
        raise ArticleError(f"publish.date {published:%Y-%m-%d %H:%M} is more than a day in the future")
    return published
