"""Per-server settings: what a server's managers may change, checked before anything is stored.

A value left unset (None, or no contact lines) means the bot owner's default from `.env`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from bot.corpus.forces import UnknownForce, mentioned_force, resolve_force
from bot.servers.store import Store

MIN_STALE_MONTHS, MAX_STALE_MONTHS = 1, 120
MAX_CONTACTS = 3
MAX_CONTACT_CHARS = 200
CLEAR_WORDS = frozenset({"-", "none", "clear", "remove", "all", "all forces"})
_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|<id:\w+>|</[^>]+:\d+>|@(?:everyone|here)\b", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


class InvalidSetting(ValueError):
    """A value a server manager gave that can't be stored; the message says what is allowed."""


@dataclass(frozen=True)
class ServerSettings:
    default_force: str | None = None
    private_answers: bool | None = None
    stale_after_months: int | None = None
    contacts: tuple[str, ...] = ()

    def private(self, owner_default: bool) -> bool:
        return owner_default if self.private_answers is None else self.private_answers

    def stale_months(self, owner_default: int) -> int:
        return owner_default if self.stale_after_months is None else self.stale_after_months

    def search_force(self, question: str, chosen: str | None, forces: Iterable[str]) -> str | None:
        """The force to search: the one asked for, else none if the question names a force
        (the search prefers it), else the server's default."""
        if chosen is not None:
            return chosen
        if self.default_force is None or mentioned_force(question, forces) is not None:
            return None
        return self.default_force if self.default_force in set(forces) else None


def is_clear(value: str) -> bool:
    """Whether a value means "unset this"."""
    return value.strip().lower() in CLEAR_WORDS


def check_force(value: str, forces: Iterable[str]) -> str | None:
    """The loaded force `value` names, or None for "all forces"; raises InvalidSetting."""
    if is_clear(value):
        return None
    try:
        return resolve_force(value, forces)
    except UnknownForce as exc:
        raise InvalidSetting(f"Default force: {exc}. Pick one from the list, or type `all` for all forces.") from None


def check_stale_months(value: int) -> int:
    if not MIN_STALE_MONTHS <= value <= MAX_STALE_MONTHS:
        raise InvalidSetting(
            f"Staleness must be a whole number of months from {MIN_STALE_MONTHS} to {MAX_STALE_MONTHS}, not {value}."
        )
    return value


def check_contact(value: str, number: int) -> str | None:
    """One local contact line, white space collapsed; None for "remove"; raises InvalidSetting
    for a mention, a control character or a line over MAX_CONTACT_CHARS."""
    text = " ".join(value.split())
    if is_clear(text):
        return None
    where = f"Contact line {number}"
    if not text:
        raise InvalidSetting(f"{where} is empty: write 1 to {MAX_CONTACT_CHARS} characters, or `-` to remove it.")
    if len(text) > MAX_CONTACT_CHARS:
        raise InvalidSetting(
            f"{where} is {len(text)} characters long; the limit is 1 to {MAX_CONTACT_CHARS} characters."
        )
    if _MENTION.search(text):
        raise InvalidSetting(f"{where} contains a mention (@everyone, @here, a user, role or channel); text only.")
    if _CONTROL.search(text):
        raise InvalidSetting(f"{where} contains invisible or control characters; plain text only.")
    return text


def with_contact(settings: ServerSettings, number: int, line: str | None) -> ServerSettings:
    """Settings with contact line `number` (1 to MAX_CONTACTS) set, or removed when None."""
    if not 1 <= number <= MAX_CONTACTS:
        raise InvalidSetting(f"Contact line number must be from 1 to {MAX_CONTACTS}, not {number}.")
    lines = [*settings.contacts, *[""] * MAX_CONTACTS][:MAX_CONTACTS]
    lines[number - 1] = line or ""
    return replace(settings, contacts=tuple(text for text in lines if text))


def load(store: Store | None, guild_id: int | None) -> ServerSettings:
    """A server's settings; the defaults when there is no database, no server, or no row."""
    if store is None or guild_id is None:
        return ServerSettings()
    rows = store.rows(
        "SELECT default_force, private_answers, stale_after_months, contacts FROM server_settings WHERE guild_id = ?",
        (guild_id,),
    )
    if not rows:
        return ServerSettings()
    force, private, months, contacts = rows[0]
    return ServerSettings(
        default_force=force,
        private_answers=None if private is None else bool(private),
        stale_after_months=months,
        contacts=tuple(json.loads(contacts)),
    )


def save(store: Store, guild_id: int, settings: ServerSettings) -> None:
    """Store a server's settings, each value checked again so nothing invalid is ever written."""
    if settings.stale_after_months is not None:
        check_stale_months(settings.stale_after_months)
    if len(settings.contacts) > MAX_CONTACTS:
        raise InvalidSetting(f"At most {MAX_CONTACTS} contact lines, not {len(settings.contacts)}.")
    for number, line in enumerate(settings.contacts, 1):
        if check_contact(line, number) != line:
            raise InvalidSetting(f"Contact line {number} is not plain text of 1 to {MAX_CONTACT_CHARS} characters.")
    private = None if settings.private_answers is None else int(settings.private_answers)
    with store.writing() as db:
        db.execute(
            "INSERT INTO server_settings (guild_id, default_force, private_answers, stale_after_months, contacts) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET default_force = excluded.default_force, "
            "private_answers = excluded.private_answers, stale_after_months = excluded.stale_after_months, "
            "contacts = excluded.contacts",
            (guild_id, settings.default_force, private, settings.stale_after_months, json.dumps(settings.contacts)),
        )
