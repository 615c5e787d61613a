"""Which UK police force a web address belongs to, from the shipped table of police domains."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from bot.corpus.forces import UnknownForce, resolve_force

DOMAINS_FILE = Path(__file__).resolve().parent.parent / "data" / "police_domains.yaml"


@lru_cache(maxsize=1)
def police_domains() -> dict[str, str]:
    """Domain (lower case, no `www.`) -> force name as articles write it in `area`."""
    table = yaml.safe_load(DOMAINS_FILE.read_text(encoding="utf-8"))
    return {str(domain).lower(): str(force) for domain, force in table.items()}


def force_for_url(url: str) -> str | None:
    """The force whose domain (or a sub-domain of it) serves `url`, or None."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    table = police_domains()
    while host:
        if host in table:
            return table[host]
        _, _, host = host.partition(".")
    return None


def known_forces() -> list[str]:
    return sorted(set(police_domains().values()))


def force_named(name: str) -> str:
    """`staffs` -> `Staffordshire`; a name not in the table is kept as written."""
    try:
        return resolve_force(name, known_forces())
    except UnknownForce:
        return " ".join(name.split())
