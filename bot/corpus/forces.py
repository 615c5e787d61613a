"""Match what a user types for a police force ("staffs", "West Mercia Police", "west-mercia")
to the force names the articles carry."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

# Short names people use that are not prefixes of the force's name.
ALIASES = {
    "staffs": "staffordshire",
    "met": "metropolitan",
    "the met": "metropolitan",
    "gmp": "greater manchester",
    "west mids": "west midlands",
    "wmp": "west midlands",
    "herts": "hertfordshire",
    "beds": "bedfordshire",
    "bucks": "thames valley",
    "tvp": "thames valley",
    "notts": "nottinghamshire",
    "lancs": "lancashire",
    "wilts": "wiltshire",
    "glos": "gloucestershire",
    "cambs": "cambridgeshire",
    "hants": "hampshire",
    "leics": "leicestershire",
    "northants": "northamptonshire",
    "derbys": "derbyshire",
    "lincs": "lincolnshire",
    "yorks": "yorkshire",
    "psni": "northern ireland",
}
_FILLER = re.compile(r"\b(?:police|constabulary|service|force|of|the|and)\b")


class UnknownForce(ValueError):
    """The name matches none of the loaded forces; the message lists what is available."""


def force_key(name: str) -> str:
    """Canonical comparison key: lower case, words only, without 'police'/'constabulary'."""
    words = re.sub(r"[^a-z0-9]+", " ", name.lower())
    key = " ".join(_FILLER.sub(" ", words).split())
    return ALIASES.get(key, key)


class ForceNames:
    """The loaded forces' comparison keys, made once (an index asks about them per question)."""

    def __init__(self, forces: Iterable[str]) -> None:
        self.by_key = {force_key(force): force for force in forces}

    def resolve(self, name: str) -> str:
        """The loaded force that `name` means, or raise UnknownForce."""
        key, by_key = force_key(name), self.by_key
        if not key:
            raise UnknownForce(f"{name!r} is not a force name")
        if key in by_key:
            return by_key[key]
        starts = [force for k, force in by_key.items() if k.startswith(key) or key.startswith(k)]
        if len(starts) == 1:
            return starts[0]
        close = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.75)
        if close:
            return by_key[close[0]]
        known = ", ".join(sorted(by_key.values())) or "none"
        raise UnknownForce(f"no articles from a force called {name!r}; forces loaded: {known}")

    def mentioned(self, question: str) -> str | None:
        """The one loaded force a question names ("... Staffordshire Police said ...", "staffs"),
        or None if it names none or several."""
        words = f" {' '.join(re.sub(r'[^a-z0-9]+', ' ', question.lower()).split())} "
        named = {force for key, force in self.by_key.items() if key and f" {key} " in words}
        named |= {self.by_key[key] for alias, key in ALIASES.items() if f" {alias} " in words and key in self.by_key}
        return named.pop() if len(named) == 1 else None


def resolve_force(name: str, forces: Iterable[str]) -> str:
    """The loaded force that `name` means, or raise UnknownForce."""
    return ForceNames(forces).resolve(name)


def suggest_forces(text: str, forces: Iterable[str], limit: int = 25) -> list[str]:
    """Forces for autocomplete: those whose name contains what was typed, then close matches."""
    forces = sorted(set(forces))
    key = force_key(text)
    if not key:
        return forces[:limit]
    ranked = [f for f in forces if force_key(f).startswith(key)]
    ranked += [f for f in forces if key in force_key(f) and f not in ranked]
    keys = {force_key(f): f for f in forces}
    ranked += [
        keys[k] for k in difflib.get_close_matches(key, list(keys), n=limit, cutoff=0.6) if keys[k] not in ranked
    ]
    return ranked[:limit]


def mentioned_force(question: str, forces: Iterable[str]) -> str | None:
    """The one loaded force a question names, or None if it names none or several."""
    return ForceNames(forces).mentioned(question)
