"""Web addresses from article headers: which are accepted, and how they are written into markdown.

A link in Discord markdown, `[title](url)`, ends at the first `)` or white space of the url, so
an address is percent-encoded before it goes there: what the reader clicks is where it leads.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

_BLANK_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.IGNORECASE)
# Kept as they are: what RFC 3986 allows unencoded, less what markdown reads ()[]<>*'`|.
_SAFE = "/:?#&=%+,;@!$-._~"


def check_url(url: str) -> str:
    """Return `url` if it is an http(s) address with a real host name; else raise ValueError saying why."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError on a port that is not a number
    except ValueError:
        raise ValueError(f"url {url!r} is not a web address") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"url {url!r} is not a web address (http:// or https://)")
    if _BLANK_OR_CONTROL.search(url):
        raise ValueError(f"url {url!r} contains white space or control characters")
    if "@" in parts.netloc:
        raise ValueError(f"url {url!r} has a user name before the host (`...@`), which hides where it leads")
    host = parts.hostname or ""
    try:
        labels = host.encode("idna").decode("ascii").rstrip(".").split(".")
    except UnicodeError:
        labels = []
    if len(labels) < 2 or labels[-1].isdigit() or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValueError(f"url {url!r} does not name a real host (like www.example.police.uk)")
    return url


def markdown_url(url: str) -> str:
    """`url` with every character markdown could read (brackets, parentheses, white space,
    emphasis marks, non-ASCII) percent-encoded, so it can sit inside `[text](url)`."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        return quote(url, safe=_SAFE)
    path, query, fragment = (quote(part, safe=_SAFE) for part in (parts.path, parts.query, parts.fragment))
    return urlunsplit((parts.scheme, quote(netloc, safe=_SAFE), path, query, fragment))


def markdown_link(text: str, url: str) -> str:
    """`[text](url)` with the url made safe; `text` must already be escaped for markdown."""
    return f"[{text}]({markdown_url(url)})"
