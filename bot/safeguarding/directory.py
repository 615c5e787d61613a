"""The directory of UK reporting channels the bot offers beside its answers.

The directory is a YAML file shipped with the package (`data/channels.yaml`) that a server owner
may edit. It is validated in full at start-up: a mistake in it (a typo in a field name, a phone
number with letters in it, an `http://` link) must stop the bot with a message that names the
file, the entry and the field, never show a wrong number to someone asking for help.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "channels.yaml"

_TEXT_FIELDS = ("name", "when", "not_for", "source")
_OPTIONAL_TEXT_FIELDS = ("phone", "web")
_FIELDS = (*_TEXT_FIELDS, *_OPTIONAL_TEXT_FIELDS, "emergency")
_PHONE = re.compile(r"\+?[0-9][0-9 ]*")
_MIN_PHONE_DIGITS = 3


class DirectoryError(ValueError):
    """The channel directory cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Channel:
    """One way to report or get help: who to contact, when, and what it is not for."""

    name: str
    when: str
    not_for: str
    source: str
    phone: str = ""
    web: str = ""
    emergency: bool = False

    @property
    def contact(self) -> str:
        """Phone and web address for display, e.g. `0808 800 5000 · https://...`."""
        return " · ".join(part for part in (self.phone, self.web) if part)


def load_directory(path: Path | None = None) -> tuple[Channel, ...]:
    """Read and validate a directory file (the shipped one when `path` is None).

    Raises DirectoryError naming the file, the entry and the problem.
    """
    path = DEFAULT_PATH if path is None else Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DirectoryError(f"{path}: cannot read the channel directory: {error}") from error
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise DirectoryError(f"{path}: YAML syntax error{where}: {problem}") from error
    if not isinstance(data, list) or not isinstance(root, yaml.SequenceNode):
        found = "an empty file" if data is None else f"a {type(data).__name__}"
        raise DirectoryError(f"{path}: expected a list of channels (each starting with `- name:`), found {found}")
    if not data:
        raise DirectoryError(f"{path}: the channel list is empty")
    channels: list[Channel] = []
    seen: dict[str, int] = {}
    for number, (entry, node) in enumerate(zip(data, root.value), start=1):
        channel = _channel(entry, node, _Where(path, number, node.start_mark.line + 1, entry))
        key = channel.name.casefold()
        if key in seen:
            raise _Where(path, number, node.start_mark.line + 1, entry).error(
                f"duplicate name: entry {seen[key]} is also called {channel.name!r}"
            )
        seen[key] = number
        channels.append(channel)
    return tuple(channels)


@dataclass(frozen=True)
class _Where:
    """Where an entry is, for error messages: `file: entry 3 (Childline, line 25): ...`."""

    path: Path
    number: int
    line: int
    entry: object

    def error(self, problem: str) -> DirectoryError:
        name = self.entry.get("name") if isinstance(self.entry, dict) else None
        label = f"{' '.join(name.split())}, " if isinstance(name, str) and name.strip() else ""
        return DirectoryError(f"{self.path}: entry {self.number} ({label}line {self.line}): {problem}")


def _channel(entry: object, node: yaml.Node, where: _Where) -> Channel:
    if not isinstance(entry, dict) or not isinstance(node, yaml.MappingNode):
        raise where.error(f"expected fields such as `name:` and `when:`, found {type(entry).__name__} {entry!r}")
    keys = [key.value for key, _ in node.value]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise where.error(f"field `{repeated[0]}` is given more than once")
    for key in entry:
        if key not in _FIELDS:
            guess = difflib.get_close_matches(str(key), _FIELDS, n=1)
            hint = f" (did you mean `{guess[0]}`?)" if guess else ""
            raise where.error(f"unknown field `{key}`{hint}; fields are {', '.join(_FIELDS)}")
    values = {field: _text(entry, field, where, required=True) for field in _TEXT_FIELDS}
    values.update({field: _text(entry, field, where, required=False) for field in _OPTIONAL_TEXT_FIELDS})
    if not values["phone"] and not values["web"]:
        raise where.error("needs a `phone` or a `web` address (or both)")
    if values["phone"]:
        _check_phone(values["phone"], where)
    for field in ("web", "source"):
        if values[field]:
            _check_url(field, values[field], where)
    emergency = entry.get("emergency", False)
    if not isinstance(emergency, bool):
        raise where.error(f"`emergency` must be true or false, not {emergency!r}")
    return Channel(emergency=emergency, **values)


def _text(entry: dict, field: str, where: _Where, *, required: bool) -> str:
    if field not in entry or entry[field] is None:
        if required:
            raise where.error(f"missing field `{field}`")
        return ""
    value = entry[field]
    if not isinstance(value, str):
        quote = ' (write it in quotes, e.g. phone: "0800 1111")' if field == "phone" else ""
        raise where.error(f"`{field}` must be text, not {type(value).__name__} {value!r}{quote}")
    text = " ".join(value.split())
    if not text:
        raise where.error(f"`{field}` is empty")
    return text


def _check_phone(phone: str, where: _Where) -> None:
    if not _PHONE.fullmatch(phone):
        bad = sorted({ch for ch in phone if not (ch.isdigit() or ch in " +")})
        what = f"characters {''.join(bad)!r}" if bad else "a + that is not at the start"
        raise where.error(f"`phone` {phone!r} has {what}; use only digits, spaces and a leading +")
    if sum(ch.isdigit() for ch in phone) < _MIN_PHONE_DIGITS:
        raise where.error(f"`phone` {phone!r} is too short to be a number")


def _check_url(field: str, url: str, where: _Where) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise where.error(f"`{field}` must be a full https:// address, not {url!r}")
    if not parts.netloc or "." not in parts.netloc or " " in url:
        raise where.error(f"`{field}` is not a valid web address: {url!r}")
