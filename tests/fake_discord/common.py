"""What every part of the fake shares: Discord's constants, recorded traffic, and error replies."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, NamedTuple

from aiohttp import web

DISCORD_EPOCH_MS = 1420070400000
EPHEMERAL = 1 << 6
LOADING = 1 << 7

# Gateway intents (https://discord.com/developers/docs/events/gateway#gateway-intents)
GUILDS_INTENT = 1 << 0
GUILD_MESSAGES_INTENT = 1 << 9

# Permission bits (https://discord.com/developers/docs/topics/permissions)
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
ALL_PERMISSIONS = (1 << 53) - 1
EVERYONE_PERMISSIONS = (
    (1 << 6)  # ADD_REACTIONS
    | (1 << 10)  # VIEW_CHANNEL
    | (1 << 11)  # SEND_MESSAGES
    | (1 << 14)  # EMBED_LINKS
    | (1 << 15)  # ATTACH_FILES
    | (1 << 16)  # READ_MESSAGE_HISTORY
    | (1 << 31)  # USE_APPLICATION_COMMANDS
)
MODERATOR_PERMISSIONS = MANAGE_GUILD | (1 << 13)  # + MANAGE_MESSAGES


class RecordedRequest(NamedTuple):
    """One REST request the bot made. ``path`` is relative to ``/api/v10``; ``json`` is the parsed
    body (``payload_json`` for multipart uploads) or None."""

    method: str
    path: str
    query: dict[str, str]
    json: Any


@dataclass
class MessageWrite:
    """A write to an interaction's messages through its webhook (follow-up or edit/delete)."""

    method: str  # "POST" (follow-up), "PATCH" (edit) or "DELETE"
    message_id: str
    original: bool  # True when it hit the interaction's original response message
    body: Any  # request JSON
    message: dict | None  # snapshot of the resulting message (None after DELETE)


@dataclass
class InteractionRecord:
    payload: dict
    dispatched_at: float
    response: dict | None = None
    original_id: str | None = None
    message_ids: list[str] = field(default_factory=list)
    writes: list[MessageWrite] = field(default_factory=list)


@dataclass
class Session:
    id: str
    identify: dict
    ws: web.WebSocketResponse | None = None
    seq: int = 0
    events: list[dict] = field(default_factory=list)


class DiscordError(Exception):
    def __init__(
        self, status: int, code: int, message: str, errors: list[str] | None = None, key: str | None = "fake_discord"
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.errors, self.key = status, code, message, errors, key


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


def json_response(data: Any, status: int = 200) -> web.Response:
    # web.json_response() would say "application/json; charset=utf-8"; discord.py's json_or_text
    # (discord/http.py:110-119) only parses JSON when the header is exactly "application/json".
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


def error_body(code: int, message: str, errors: list[str] | None = None, key: str | None = "fake_discord") -> dict:
    # discord.py renders {"key": {"_errors": [...]}} as "In key: ..." (errors.py _flatten_error_dict), while
    # CommandSyncFailure wants a bare top-level "_errors" list (app_commands/errors.py:504-513).
    body: dict[str, Any] = {"message": message, "code": code}
    if errors:
        listed = {"_errors": [{"code": "FAKE_DISCORD", "message": e} for e in errors]}
        body["errors"] = listed if key is None else {key: listed}
    return body
