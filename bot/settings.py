"""Settings read once at start-up from the environment and `.env`, never at import."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_EMERGENCY = "If a child is in immediate danger, call 999."
DEFAULT_FOOTER = "Not an official police service. In an emergency call 999."
REPO_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message is one sentence naming the variable."""


def default_articles_dir() -> Path:
    """`seeds/` in the working directory, else the seeds shipped beside the package."""
    local = Path("seeds")
    return local if local.is_dir() else REPO_SEEDS


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, not {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


def _shard_ids(env: Mapping[str, str], count: int | None) -> tuple[int, ...] | None:
    raw = env.get("SHARD_IDS", "").strip()
    if not raw:
        return None
    if count is None:
        raise SettingsError("SHARD_IDS needs SHARD_COUNT: set the total number of shards too")
    ids: list[int] = []
    for part in raw.split(","):
        part = part.strip()
        if not part.isdigit() or int(part) >= count:
            raise SettingsError(f"SHARD_IDS must be shard numbers from 0 to {count - 1}, comma-separated; not {part!r}")
        if int(part) in ids:
            raise SettingsError(f"SHARD_IDS lists shard {part} twice")
        ids.append(int(part))
    return tuple(ids)


@dataclass(frozen=True)
class Settings:
    """Everything configurable. The token is kept out of repr so it never reaches a log."""

    articles_dir: Path
    token: str | None = field(default=None, repr=False)
    guild_id: int | None = None
    emergency_line: str = DEFAULT_EMERGENCY
    footer: str = DEFAULT_FOOTER
    private_answers: bool = True
    stale_after_months: int = 12
    ask_per_30s: int = 4
    index_dir: Path | None = None
    channels_file: Path | None = None
    fetch_contact: str = ""
    sources_file: Path | None = None
    refresh_minutes: int = 0
    database_path: Path | None = None
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
        """Build settings from `.env` (if present) overlaid by the process environment."""
        env: dict[str, str] = {}
        if dotenv is not None and dotenv.is_file():
            from dotenv import dotenv_values  # only with a .env file: its imports cost a hundredth of a second

            env.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        env.update(os.environ if environ is None else environ)
        guild = env.get("DISCORD_GUILD_ID", "").strip()
        if guild and not guild.isdigit():
            raise SettingsError(f"DISCORD_GUILD_ID must be a server id (digits only), not {guild!r}")
        articles = env.get("ARTICLES_DIR", "").strip()
        index_dir = env.get("INDEX_DIR", "").strip()
        channels = env.get("CHANNELS_FILE", "").strip()
        sources = env.get("SOURCES_FILE", "").strip()
        database = env.get("DATABASE_PATH", "").strip()
        shard_count = _int(env, "SHARD_COUNT", 0, minimum=1) or None
        return cls(
            articles_dir=Path(articles) if articles else default_articles_dir(),
            token=env.get("DISCORD_TOKEN", "").strip() or None,
            guild_id=int(guild) if guild else None,
            emergency_line=env.get("EMERGENCY_LINE", "").strip() or DEFAULT_EMERGENCY,
            footer=env.get("ANSWER_FOOTER", "").strip() or DEFAULT_FOOTER,
            private_answers=_bool(env, "PRIVATE_ANSWERS", True),
            stale_after_months=_int(env, "STALE_AFTER_MONTHS", 12, minimum=1),
            ask_per_30s=_int(env, "ASK_PER_30S", 4, minimum=1),
            index_dir=Path(index_dir) if index_dir else None,
            channels_file=Path(channels) if channels else None,
            fetch_contact=env.get("FETCH_CONTACT", "").strip(),
            sources_file=Path(sources) if sources else None,
            refresh_minutes=_int(env, "REFRESH_MINUTES", 0, minimum=0),
            database_path=Path(database) if database else None,
            shard_count=shard_count,
            shard_ids=_shard_ids(env, shard_count),
        )

    def require_token(self) -> str:
        if not self.token:
            raise SettingsError("DISCORD_TOKEN is not set: put your bot token in the environment or in .env")
        return self.token
