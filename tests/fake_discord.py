"""A fake Discord (REST + gateway) on 127.0.0.1 for end-to-end tests of discord.py bots.

Usage::

    async with FakeDiscord(token="test-token") as fake:
        fake.patch(monkeypatch)          # point discord.py at the fake
        task = asyncio.create_task(bot.start("test-token"))
        await fake.wait_ready()
        ix = await fake.send_interaction(fake.slash("echo", {"text": "hi"}))
        body = await fake.wait_response(ix)   # the callback JSON the bot posted
        await bot.close(); await task

Everything is served by one aiohttp server bound to a free port on 127.0.0.1:

* gateway: ``ws://127.0.0.1:PORT/`` (HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME, RECONNECT),
* REST: ``http://127.0.0.1:PORT/api/v10/...`` (users, application, commands, interaction callbacks,
  interaction webhooks, channel messages); anything else is recorded in ``unhandled`` and answered 404,
* CDN: ``http://127.0.0.1:PORT/cdn/...`` (always 404; it only stops asset fetches from leaving the host).

Behaviour copied from Discord where it matters for bot bugs: a callback later than
``response_deadline`` seconds (3 s) or for an unknown interaction gets 404/10062, a second callback gets
400/40060, follow-ups before the first callback get 404/10015, the first follow-up after a type-5 deferral
resolves the "thinking" message (and inherits its ephemeral state), the ephemeral flag of a deferred message
cannot be changed later, and with ``strict=True`` message, autocomplete and command payloads breaking
Discord's documented limits get 400/50035 (the reasons are kept in ``errors``).
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import mimetypes
import re
import secrets
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, NamedTuple, TypeVar

import aiohttp
import yarl
from aiohttp import web

try:  # the `regex` module understands \p{L}; fall back to str methods without it
    import regex as _regex
except ImportError:  # pragma: no cover - depends on the environment
    _regex = None

__all__ = [
    "FakeDiscord",
    "MessageWrite",
    "RecordedRequest",
    "validate_command_payload",
    "validate_message_payload",
]

T = TypeVar("T")

DISCORD_EPOCH_MS = 1420070400000
EPHEMERAL = 1 << 6
LOADING = 1 << 7
COMPONENTS_V2 = 1 << 15

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
class _Interaction:
    payload: dict
    dispatched_at: float
    response: dict | None = None
    original_id: str | None = None
    message_ids: list[str] = field(default_factory=list)
    writes: list[MessageWrite] = field(default_factory=list)


@dataclass
class _Session:
    id: str
    identify: dict
    ws: web.WebSocketResponse | None = None
    seq: int = 0
    events: list[dict] = field(default_factory=list)


class _HTTPError(Exception):
    def __init__(
        self, status: int, code: int, message: str, errors: list[str] | None = None, key: str | None = "fake_discord"
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.errors, self.key = status, code, message, errors, key


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


def _json_response(data: Any, status: int = 200) -> web.Response:
    # web.json_response() would say "application/json; charset=utf-8"; discord.py's json_or_text
    # (discord/http.py:110-119) only parses JSON when the header is exactly "application/json".
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


def _error_body(code: int, message: str, errors: list[str] | None = None, key: str | None = "fake_discord") -> dict:
    # discord.py renders {"key": {"_errors": [...]}} as "In key: ..." (errors.py _flatten_error_dict), while
    # CommandSyncFailure wants a bare top-level "_errors" list (app_commands/errors.py:504-513).
    body: dict[str, Any] = {"message": message, "code": code}
    if errors:
        listed = {"_errors": [{"code": "FAKE_DISCORD", "message": e} for e in errors]}
        body["errors"] = listed if key is None else {key: listed}
    return body


# --------------------------------------------------------------------------------------------------
# Validation of payloads against Discord's documented limits
# --------------------------------------------------------------------------------------------------

_SLASH_NAME = _regex.compile(r"^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$") if _regex is not None else None


def _slash_name_chars_ok(name: str) -> bool:
    if _SLASH_NAME is not None:
        return bool(_SLASH_NAME.match(name))
    return all(  # pragma: no cover - only without `regex`
        ch.isalnum() or ch in "-_" or unicodedata.name(ch, "").startswith(("DEVANAGARI", "THAI")) for ch in name
    )


def _check_slash_name(name: Any, where: str) -> list[str]:
    if not isinstance(name, str):
        return [f"{where}: name must be a string, got {name!r}"]
    errs = []
    if not 1 <= len(name) <= 32:
        errs.append(f"{where}: name {name!r} must be 1-32 characters long (is {len(name)})")
    if name and not _slash_name_chars_ok(name[:32]):
        errs.append(f"{where}: name {name!r} must match ^[-_\\p{{L}}\\p{{N}}]{{1,32}}$ (letters, digits, '-', '_')")
    if name != name.lower():
        errs.append(f"{where}: name {name!r} must be lowercase")
    return errs


def _check_text(value: Any, where: str, what: str, lo: int, hi: int) -> list[str]:
    if not isinstance(value, str):
        return [f"{where}: {what} must be a string, got {value!r}"]
    if not lo <= len(value) <= hi:
        return [f"{where}: {what} {value!r} must be {lo}-{hi} characters long (is {len(value)})"]
    return []


def _check_localizations(obj: dict, where: str, *, slash: bool) -> list[str]:
    errs: list[str] = []
    for locale, value in (obj.get("name_localizations") or {}).items():
        w = f"{where} [{locale}]"
        errs += _check_slash_name(value, w) if slash else _check_text(value, w, "name", 1, 32)
    for locale, value in (obj.get("description_localizations") or {}).items():
        errs += _check_text(value, f"{where} [{locale}]", "description", 1, 100)
    return errs


def _check_choice_value(value: Any, opt_type: int, where: str) -> list[str]:
    if opt_type == 3:
        if not isinstance(value, str):
            return [f"{where}: value {value!r} must be a string for a string option"]
        if len(value) > 100:
            return [f"{where}: string value must be at most 100 characters (is {len(value)})"]
    elif opt_type == 4:
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 2**53:
            return [f"{where}: value {value!r} must be an integer in -2^53..2^53"]
    elif opt_type == 10 and (isinstance(value, bool) or not isinstance(value, (int, float)) or abs(value) > 2**53):
        return [f"{where}: value {value!r} must be a number in -2^53..2^53"]
    return []


def _validate_options(options: Any, where: str, depth: int) -> list[str]:
    if options is None:
        return []
    if not isinstance(options, list):
        return [f"{where}: options must be a list"]
    errs: list[str] = []
    if len(options) > 25:
        errs.append(f"{where}: at most 25 options allowed (has {len(options)})")
    types = [o.get("type") for o in options if isinstance(o, dict)]
    if any(t in (1, 2) for t in types) and any(t not in (1, 2) for t in types):
        errs.append(f"{where}: subcommands/groups cannot be mixed with other option types")
    seen: set[str] = set()
    optional_seen: str | None = None
    for opt in options:
        if not isinstance(opt, dict):
            errs.append(f"{where}: option {opt!r} must be an object")
            continue
        name, otype = opt.get("name"), opt.get("type")
        w = f"{where} option {name!r}"
        if otype not in range(1, 12):
            errs.append(f"{w}: type {otype!r} must be 1-11")
        errs += _check_slash_name(name, w)
        errs += _check_text(opt.get("description"), w, "description", 1, 100)
        errs += _check_localizations(opt, w, slash=True)
        if name in seen:
            errs.append(f"{w}: duplicate option name")
        seen.add(name)
        if otype == 2 and depth > 0:
            errs.append(f"{w}: subcommand groups cannot be nested")
        if otype == 1 and depth > 1:
            errs.append(f"{w}: subcommands can only be nested one group deep")
        if otype in (1, 2):
            if otype == 2 and any(isinstance(o, dict) and o.get("type") != 1 for o in opt.get("options") or []):
                errs.append(f"{w}: a subcommand group may only contain subcommands")
            errs += _validate_options(opt.get("options"), w, depth + 1)
            continue
        if opt.get("required"):
            if optional_seen is not None:
                errs.append(f"{w}: required option must come before optional option {optional_seen!r}")
        elif optional_seen is None:
            optional_seen = name
        choices = opt.get("choices")
        if choices:
            if otype not in (3, 4, 10):
                errs.append(f"{w}: choices are only allowed on string, integer and number options")
            if len(choices) > 25:
                errs.append(f"{w}: at most 25 choices allowed (has {len(choices)})")
            if opt.get("autocomplete"):
                errs.append(f"{w}: choices and autocomplete cannot both be set")
            for ch in choices:
                cw = f"{w} choice {ch.get('name')!r}"
                errs += _check_text(ch.get("name"), cw, "name", 1, 100)
                errs += _check_choice_value(ch.get("value"), otype, cw)
                for locale, value in (ch.get("name_localizations") or {}).items():
                    errs += _check_text(value, f"{cw} [{locale}]", "name", 1, 100)
        if opt.get("autocomplete") and otype not in (3, 4, 10):
            errs.append(f"{w}: autocomplete is only allowed on string, integer and number options")
        for key, lo in (("min_length", 0), ("max_length", 1)):
            if key in opt and opt[key] is not None:
                value = opt[key]
                if otype != 3:
                    errs.append(f"{w}: {key} is only allowed on string options")
                elif isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= 6000:
                    errs.append(f"{w}: {key} must be an integer in {lo}-6000 (is {value!r})")
        lo_len, hi_len = opt.get("min_length"), opt.get("max_length")
        if isinstance(lo_len, int) and isinstance(hi_len, int) and lo_len > hi_len:
            errs.append(f"{w}: min_length must not exceed max_length")
        for key in ("min_value", "max_value"):
            if key in opt and opt[key] is not None and otype not in (4, 10):
                errs.append(f"{w}: {key} is only allowed on integer and number options")
        lo_val, hi_val = opt.get("min_value"), opt.get("max_value")
        if isinstance(lo_val, (int, float)) and isinstance(hi_val, (int, float)) and lo_val > hi_val:
            errs.append(f"{w}: min_value must not exceed max_value")
        if opt.get("channel_types") and otype != 7:
            errs.append(f"{w}: channel_types is only allowed on channel options")
    return errs


def _text_size(cmd: dict) -> int:
    total = len(cmd.get("name") or "") + len(cmd.get("description") or "")
    for opt in cmd.get("options") or []:
        total += _text_size(opt)
        for ch in opt.get("choices") or []:
            total += len(str(ch.get("name", ""))) + len(str(ch.get("value", "")))
    return total


def validate_command_payload(cmd: dict) -> list[str]:
    """Check one application command payload (as PUT to Discord) against Discord's documented rules.

    Returns human-readable violations; an empty list means the command is valid."""
    if not isinstance(cmd, dict):
        return [f"command must be an object, got {type(cmd).__name__}"]
    ctype = cmd.get("type", 1)
    name = cmd.get("name")
    where = f"command {name!r}"
    errs: list[str] = []
    if ctype not in (1, 2, 3, 4):
        errs.append(f"{where}: type {ctype!r} must be 1 (slash), 2 (user), 3 (message) or 4 (entry point)")
    if ctype == 1:
        errs += _check_slash_name(name, where)
        errs += _check_text(cmd.get("description"), where, "description", 1, 100)
        errs += _check_localizations(cmd, where, slash=True)
        errs += _validate_options(cmd.get("options"), where, 0)
    elif ctype in (2, 3):
        errs += _check_text(name, where, "name", 1, 32)
        if isinstance(name, str) and name.strip() != name:
            errs.append(f"{where}: name must not start or end with white space")
        if cmd.get("description") not in (None, ""):
            errs.append(f"{where}: context menu commands must have an empty description")
        if cmd.get("options"):
            errs.append(f"{where}: context menu commands cannot have options")
        errs += _check_localizations(cmd, where, slash=False)
    # Discord documents a string; discord.py 2.7 sends an int (app_commands/commands.py:791), which Discord takes.
    perms = cmd.get("default_member_permissions")
    if perms is not None and not (
        (isinstance(perms, str) and perms.isdigit())
        or (isinstance(perms, int) and not isinstance(perms, bool) and perms >= 0)
    ):
        errs.append(f"{where}: default_member_permissions must be null or a permission bit set, got {perms!r}")
    if ctype == 1 and _text_size(cmd) > 4000:
        errs.append(f"{where}: names, descriptions and choice values add up to more than 4000 characters")
    return errs


def _validate_command_list(cmds: Any) -> list[str]:
    if not isinstance(cmds, list):
        return ["bulk overwrite body must be a list of commands"]
    errs: list[str] = []
    for cmd in cmds:
        errs += validate_command_payload(cmd)
    keys = [(c.get("type", 1), c.get("name")) for c in cmds if isinstance(c, dict)]
    for key in sorted({k for k in keys if keys.count(k) > 1}, key=str):
        errs.append(f"duplicate command name {key[1]!r} for command type {key[0]}")
    for ctype, limit in ((1, 100), (2, 15), (3, 15)):
        count = sum(1 for t, _ in keys if t == ctype)
        if count > limit:
            errs.append(f"at most {limit} commands of type {ctype} allowed (has {count})")
    return errs


def _count_components(components: list) -> int:
    total = 0
    for comp in components or []:
        if isinstance(comp, dict):
            total += 1 + _count_components(comp.get("components") or [])
            total += _count_components([c for c in (comp.get("accessory"), comp.get("component")) if c])
    return total


def _validate_components(components: Any, flags: int) -> list[str]:
    if not isinstance(components, list):
        return ["components must be a list"]
    errs: list[str] = []
    v2 = bool(flags & COMPONENTS_V2)
    if not v2 and len(components) > 5:
        errs.append(f"components: at most 5 action rows allowed (has {len(components)})")
    if _count_components(components) > 40:
        errs.append("components: at most 40 components allowed per message")
    custom_ids: list[str] = []

    def walk(items: list, parent_type: int | None) -> None:
        for comp in items:
            if not isinstance(comp, dict):
                errs.append(f"components: {comp!r} must be an object")
                continue
            ctype = comp.get("type")
            if ctype == 1:
                children = comp.get("components") or []
                if not 1 <= len(children) <= 5:
                    errs.append(f"components: an action row needs 1-5 components (has {len(children)})")
                if any(c.get("type") != 2 for c in children) and len(children) > 1:
                    errs.append("components: a select menu must be alone in its action row")
            if ctype in (2, 3, 4, 5, 6, 7, 8) and not v2 and parent_type != 1:
                errs.append(f"components: component of type {ctype} must be inside an action row")
            if ctype == 2:
                label = comp.get("label")
                if label is not None and len(label) > 80:
                    errs.append(f"components: button label must be at most 80 characters (is {len(label)})")
                if comp.get("style") == 5:
                    if not comp.get("url"):
                        errs.append("components: link buttons need a url")
                elif comp.get("style") != 6 and not comp.get("custom_id"):
                    errs.append("components: non-link buttons need a custom_id")
            if "custom_id" in comp:
                cid = comp["custom_id"]
                if not isinstance(cid, str) or not 1 <= len(cid) <= 100:
                    errs.append(f"components: custom_id {cid!r} must be 1-100 characters")
                else:
                    custom_ids.append(cid)
            walk(comp.get("components") or [], ctype)
            walk([c for c in (comp.get("accessory"), comp.get("component")) if isinstance(c, dict)], ctype)

    walk(components, None)
    for cid in sorted({c for c in custom_ids if custom_ids.count(c) > 1}):
        errs.append(f"components: custom_id {cid!r} is used more than once")
    return errs


def validate_message_payload(data: Any, *, editing: bool = False) -> list[str]:
    """Check a message body (create, edit or interaction response data) against Discord's limits:
    content 2000, 10 embeds with their per-field limits and 6000 characters in total (white space
    trimmed), action rows/buttons/custom_id limits, and (unless ``editing``) non-emptiness."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return [f"message body must be an object, got {type(data).__name__}"]
    errs: list[str] = []
    content = data.get("content")
    if content is not None:
        if not isinstance(content, str):
            errs.append(f"content must be a string, got {content!r}")
        elif len(content) > 2000:
            errs.append(f"content must be at most 2000 characters (is {len(content)})")
    embeds = data.get("embeds") or []
    if len(embeds) > 10:
        errs.append(f"at most 10 embeds allowed (has {len(embeds)})")
    total = 0
    for i, embed in enumerate(embeds):
        w = f"embeds[{i}]"

        def check(value: Any, what: str, limit: int, required: bool = False, w: str = w) -> int:
            if value is None:
                if required:
                    errs.append(f"{w}: {what} is required")
                return 0
            text = str(value).strip()
            if len(text) > limit:
                errs.append(f"{w}: {what} must be at most {limit} characters (is {len(text)})")
            if required and not text:
                errs.append(f"{w}: {what} must not be empty")
            return len(text)

        total += check(embed.get("title"), "title", 256)
        total += check(embed.get("description"), "description", 4096)
        total += check((embed.get("footer") or {}).get("text"), "footer.text", 2048)
        total += check((embed.get("author") or {}).get("name"), "author.name", 256)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            errs.append(f"{w}: at most 25 fields allowed (has {len(fields)})")
        for j, fld in enumerate(fields):
            total += check(fld.get("name"), f"fields[{j}].name", 256, required=True)
            total += check(fld.get("value"), f"fields[{j}].value", 1024, required=True)
    if total > 6000:
        errs.append(f"embeds: at most 6000 characters across all embeds (has {total})")
    if data.get("components") is not None:
        errs += _validate_components(data["components"], int(data.get("flags") or 0))
    if not editing and not (
        content
        or embeds
        or data.get("components")
        or data.get("attachments")
        or data.get("poll")
        or data.get("sticker_ids")
    ):
        errs.append("Cannot send an empty message (no content, embeds, components, attachments or poll)")
    return errs


def _validate_autocomplete(data: Any) -> list[str]:
    choices = (data or {}).get("choices")
    if not isinstance(choices, list):
        return ["autocomplete result needs a choices list"]
    errs = [f"autocomplete: at most 25 choices allowed (has {len(choices)})"] if len(choices) > 25 else []
    for ch in choices:
        w = f"autocomplete choice {ch.get('name')!r}"
        errs += _check_text(ch.get("name"), w, "name", 1, 100)
        value = ch.get("value")
        if isinstance(value, str) and len(value) > 100:
            errs.append(f"{w}: string value must be at most 100 characters (is {len(value)})")
    return errs


def _validate_modal(data: Any) -> list[str]:
    data = data or {}
    errs = _check_text(data.get("custom_id"), "modal", "custom_id", 1, 100)
    errs += _check_text(data.get("title"), "modal", "title", 1, 45)
    if not 1 <= len(data.get("components") or []) <= 5:
        errs.append("modal: needs 1-5 components")
    return errs


# --------------------------------------------------------------------------------------------------
# The fake server
# --------------------------------------------------------------------------------------------------


class FakeDiscord:
    """Fake Discord REST API + gateway for one bot, one guild and one text channel.

    Fake entities (all payload dicts, ids are snowflake strings): ``bot_user``; ``user`` (a plain member,
    the default author of interactions); ``moderator`` (has Manage Guild via the "Moderators" role, not
    by ownership); ``owner`` (guild and application owner, a member without roles; Discord gives owners
    every permission); ``guild``; ``channel``; ``roles``.
    """

    def __init__(
        self,
        token: str = "test-token",
        *,
        strict: bool = True,
        response_deadline: float | None = 3.0,
        heartbeat_interval: float = 41.25,
    ) -> None:
        self.token = token
        self.strict = strict
        self.response_deadline = response_deadline
        self.heartbeat_interval = heartbeat_interval

        self._last_snowflake = 0
        self._counter = itertools.count()
        self.app_id = self._snowflake()
        self.guild_id = self._snowflake()
        self.channel_id = self._snowflake()
        self.bot_user = self._make_user("FakeBot", bot=True)
        self.user = self._make_user("alice")
        self.moderator = self._make_user("mod")
        self.owner = self._make_user("owner")
        self.moderator_role_id = self._snowflake()
        self.bot_role_id = self._snowflake()
        self.roles: list[dict] = [
            self._make_role(self.guild_id, "@everyone", EVERYONE_PERMISSIONS, 0),
            self._make_role(self.moderator_role_id, "Moderators", MODERATOR_PERMISSIONS, 1),
            self._make_role(self.bot_role_id, "FakeBot", EVERYONE_PERMISSIONS, 2, bot_id=self.bot_user["id"]),
        ]
        self._member_roles: dict[str, list[str]] = {
            self.bot_user["id"]: [self.bot_role_id],
            self.user["id"]: [],
            self.moderator["id"]: [self.moderator_role_id],
            self.owner["id"]: [],
        }
        self._joined_at = _now_iso()
        self.channel: dict = {
            "id": self.channel_id, "type": 0, "guild_id": self.guild_id, "name": "general", "position": 0,
            "permission_overwrites": [], "nsfw": False, "topic": None, "last_message_id": None,
            "parent_id": None, "rate_limit_per_user": 0, "flags": 0,
        }  # fmt: skip

        # Recorded state, for assertions.
        self.requests: list[RecordedRequest] = []
        self.unhandled: list[RecordedRequest] = []
        self.errors: list[str] = []  # why the fake rejected something (validation, deadlines, ...)
        self.global_commands: list[dict] | None = None  # None until a global bulk overwrite
        self.guild_commands: dict[str, list[dict]] = {}
        self.command_puts = 0
        self.global_command_puts = 0
        self.messages: dict[str, dict] = {}  # every message the fake knows, by id, in creation order
        self.identifies: list[dict] = []  # IDENTIFY payloads (intents, shard, ...)
        self.gateway_queries: list[dict[str, str]] = []  # query of every gateway connection
        self.resume_count = 0
        self.ready_count = 0

        self._command_ids: dict[tuple[str | None, int, str], str] = {}
        self._interactions: dict[str, _Interaction] = {}
        self._by_token: dict[str, _Interaction] = {}
        self._sessions: dict[str, _Session] = {}
        self._session: _Session | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self._send_locks: dict[web.WebSocketResponse, asyncio.Lock] = {}
        self._changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._routes = self._build_routes()

    # ---- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Bind the server on 127.0.0.1 with a free port."""
        app = web.Application()
        app.router.add_route("GET", "/", self._gateway_handler)
        app.router.add_route("*", "/api/{tail:.*}", self._rest_handler)
        app.router.add_route("*", "/{tail:.*}", self._other_handler)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        """Close gateway connections (code 1001) and stop the server; later reconnects are refused."""
        self._closing = True
        for ws in list(self._sockets):
            await ws.close(code=1001, message=b"fake discord shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def patch(self, monkeypatch: Any) -> None:
        """Point discord.py at the fake (REST incl. interaction webhooks, gateway, CDN)."""
        import discord.asset
        import discord.gateway
        import discord.http

        # Route.url is computed from Route.BASE in Route.__init__ (discord/http.py:310-318); the
        # webhook adapter used for interaction callbacks/follow-ups builds Routes too
        # (discord/webhook/async_.py:445-451), so this covers both.
        monkeypatch.setattr(discord.http.Route, "BASE", self.api_base)
        # A plain Client connects straight to DEFAULT_GATEWAY, a yarl.URL (discord/gateway.py:314,383);
        # AutoShardedClient asks GET /gateway/bot instead (discord/shard.py:499).
        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(self.gateway_url))
        monkeypatch.setattr(discord.asset.Asset, "BASE", f"{self.base_url}/cdn")

    # ---- waiting -----------------------------------------------------------------------------

    def _notify(self) -> None:
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def wait_until(self, predicate: Callable[[], T], what: str, timeout: float = 5.0) -> T:
        """Wait until ``predicate()`` is truthy and return its value; raise AssertionError naming ``what``
        and recent traffic on timeout. The predicate is re-checked only when the fake's state changes
        (request, gateway event), so it should look at the fake, not at the bot."""

        async def loop() -> T:
            while True:
                changed = self._changed
                result = predicate()
                if result:
                    return result
                await changed.wait()

        try:
            return await asyncio.wait_for(loop(), timeout)
        except asyncio.TimeoutError:  # not the builtin TimeoutError before Python 3.11
            raise AssertionError(f"Timed out after {timeout}s waiting for {what}.\n{self.describe()}") from None

    def describe(self) -> str:
        """A short summary of recent traffic, used in timeout messages."""
        lines = [f"  gateway: identifies={len(self.identifies)} ready={self.ready_count} resumes={self.resume_count}"]
        lines.append("  last requests: " + (", ".join(f"{r.method} {r.path}" for r in self.requests[-8:]) or "none"))
        if self.unhandled:
            lines.append("  unhandled routes: " + ", ".join(f"{r.method} {r.path}" for r in self.unhandled[-8:]))
        if self.errors:
            lines.append("  rejected by the fake: " + " | ".join(self.errors[-5:]))
        return "\n".join(lines)

    async def wait_ready(self, timeout: float = 10.0, *, count: int = 1) -> None:
        """Wait until bots have identified ``count`` times in total and each got READY (+ GUILD_CREATE
        when the GUILDS intent is on). Later interactions are queued behind GUILD_CREATE on the socket."""
        what = f"IDENTIFY #{count} and READY + GUILD_CREATE"
        await self.wait_until(lambda: self.ready_count >= count, what, timeout)

    def _record(self, interaction: dict | str | int) -> _Interaction:
        key = str(interaction["id"] if isinstance(interaction, dict) else interaction)
        rec = self._interactions.get(key) or self._by_token.get(key)
        if rec is None:
            raise AssertionError(f"unknown interaction {key!r}: not sent through send_interaction()")
        return rec

    @staticmethod
    def _label(rec: _Interaction) -> str:
        p = rec.payload
        data = p.get("data") or {}
        what = data.get("name") or data.get("custom_id") or f"type {p['type']}"
        return f"interaction {p['id']} ({what})"

    async def wait_response(self, interaction: dict | str | int, timeout: float = 5.0) -> dict:
        """Wait for the bot's callback to an interaction and return its body, e.g.
        ``{"type": 4, "data": {"content": ..., "flags": 64, "allowed_mentions": ...}}``."""
        rec = self._record(interaction)

        def got() -> dict | None:
            return rec.response

        try:
            return await self.wait_until(got, f"the callback for {self._label(rec)}", timeout)
        except AssertionError as exc:
            answered = ", ".join(self._label(r) for r in self._interactions.values() if r.response) or "none"
            raise AssertionError(f"{exc}\n  interactions answered so far: {answered}") from None

    async def wait_message(self, interaction: dict | str | int, n: int = 1, timeout: float = 5.0) -> list[MessageWrite]:
        """Wait until the interaction's webhook saw at least ``n`` writes (follow-up POSTs and
        PATCH/DELETE of ``@original`` or follow-ups) and return all of them in order."""
        rec = self._record(interaction)
        try:
            return await self.wait_until(
                lambda: list(rec.writes) if len(rec.writes) >= n else None,
                f"{n} follow-up/edit(s) for {self._label(rec)}",
                timeout,
            )
        except AssertionError as exc:
            got = [f"{w.method} {w.message_id}" for w in rec.writes]
            raise AssertionError(f"{exc}\n  writes received: {got}; callback: {rec.response}") from None

    def original_message(self, interaction: dict | str | int) -> dict | None:
        """The current state of the interaction's original response message, if any."""
        rec = self._record(interaction)
        return copy.deepcopy(self.messages.get(rec.original_id or ""))

    # ---- ids and fake entities ---------------------------------------------------------------

    def _snowflake(self) -> str:
        value = ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (next(self._counter) & 0xFFF)
        value = max(value, self._last_snowflake + 1)
        self._last_snowflake = value
        return str(value)

    def _make_user(self, name: str, *, bot: bool = False) -> dict:
        return {
            "id": self._snowflake(), "username": name, "discriminator": "0001" if bot else "0",
            "global_name": None if bot else name.title(), "avatar": None, "bot": bot, "public_flags": 0,
        }  # fmt: skip

    @staticmethod
    def _make_role(role_id: str, name: str, perms: int, position: int, *, bot_id: str | None = None) -> dict:
        role = {
            "id": role_id, "name": name, "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False, "icon": None, "unicode_emoji": None, "position": position,
            "permissions": str(perms), "managed": bot_id is not None, "mentionable": False, "flags": 0,
        }  # fmt: skip
        if bot_id is not None:
            role["tags"] = {"bot_id": bot_id}
        return role

    def _permissions(self, user_id: str) -> int:
        if user_id == self.owner["id"]:
            return ALL_PERMISSIONS
        perms = 0
        role_ids = {self.guild_id, *self._member_roles.get(user_id, [])}
        for role in self.roles:
            if role["id"] in role_ids:
                perms |= int(role["permissions"])
        return ALL_PERMISSIONS if perms & ADMINISTRATOR else perms

    def _members(self) -> list[dict]:
        return [self.bot_user, self.user, self.moderator, self.owner]

    def member_payload(self, user: dict, *, with_permissions: bool = False) -> dict:
        """Guild member object for a user (roles from the fake guild)."""
        member = {
            "user": user, "nick": None, "avatar": None, "banner": None,
            "roles": list(self._member_roles.get(user["id"], [])), "joined_at": self._joined_at,
            "premium_since": None, "deaf": False, "mute": False, "flags": 0, "pending": False,
            "communication_disabled_until": None,
        }  # fmt: skip
        if with_permissions:
            member["permissions"] = str(self._permissions(user["id"]))
        return member

    @property
    def guild(self) -> dict:
        """The GUILD_CREATE payload of the fake guild."""
        members = [self.member_payload(u) for u in self._members()]
        return {
            "id": self.guild_id, "name": "Fake Guild", "icon": None, "splash": None, "discovery_splash": None,
            "banner": None, "description": None, "owner_id": self.owner["id"], "afk_channel_id": None,
            "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "roles": copy.deepcopy(self.roles), "emojis": [], "stickers": [],
            "features": [], "mfa_level": 0, "application_id": None, "system_channel_id": self.channel_id,
            "system_channel_flags": 0, "rules_channel_id": None, "public_updates_channel_id": None,
            "safety_alerts_channel_id": None, "max_members": 500000, "vanity_url_code": None,
            "premium_tier": 0, "premium_subscription_count": 0, "preferred_locale": "en-US", "nsfw_level": 0,
            "premium_progress_bar_enabled": False, "joined_at": self._joined_at, "large": False,
            "unavailable": False, "member_count": len(members), "voice_states": [], "members": members,
            "channels": [copy.deepcopy(self.channel)], "threads": [], "presences": [], "stage_instances": [],
            "guild_scheduled_events": [], "soundboard_sounds": [],
        }  # fmt: skip

    @property
    def application(self) -> dict:
        """The ``GET /oauth2/applications/@me`` payload."""
        return {
            "id": self.app_id, "name": self.bot_user["username"], "icon": None, "description": "",
            "summary": "", "type": None, "bot_public": True, "bot_require_code_grant": False,
            "bot": self.bot_user, "owner": self.owner, "team": None, "verify_key": "0" * 64, "flags": 0,
            "hook": True, "tags": [], "redirect_uris": [], "interactions_endpoint_url": None,
            "approximate_guild_count": 1, "integration_types_config": {"0": {}},
        }  # fmt: skip

    def _author_user(self, author: dict | None) -> dict:
        return author if author is not None else self.user

    def add_message(self, content: str, *, author: dict | None = None) -> dict:
        """Store a message written by a human (default ``user``) in the text channel and return it.
        It is not dispatched; use it as the target of ``message_command``."""
        author = self._author_user(author)
        msg = self._new_message({"content": content}, author=author, mtype=0, flags=0)
        msg["member"] = {k: v for k, v in self.member_payload(author).items() if k != "user"}
        return copy.deepcopy(msg)

    # ---- messages ----------------------------------------------------------------------------

    @staticmethod
    def _assign_component_ids(components: list) -> list:
        components = copy.deepcopy(components or [])
        ids = itertools.count(1)

        def walk(items: list) -> None:
            for comp in items:
                if isinstance(comp, dict):
                    comp.setdefault("id", next(ids))
                    walk(comp.get("components") or [])
                    walk([c for c in (comp.get("accessory"), comp.get("component")) if c])

        walk(components)
        return components

    def _attachments(self, wanted: list | None, files: dict[int, tuple[str, int]], old: list) -> list:
        existing = {str(a["id"]): a for a in old}
        out = []
        for att in wanted or []:
            if str(att.get("id")) in existing:
                out.append(existing[str(att["id"])])
                continue
            index = int(att.get("id", 0))
            filename, size = files.get(index, (att.get("filename") or "file", 0))
            filename = att.get("filename") or filename
            aid = self._snowflake()
            url = f"{self.base_url}/cdn/attachments/{self.channel_id}/{aid}/{filename}"
            out.append({
                "id": aid, "filename": filename, "size": size, "url": url, "proxy_url": url,
                "content_type": mimetypes.guess_type(filename)[0], "description": att.get("description"),
            })  # fmt: skip
        return out

    def _new_message(
        self,
        body: dict,
        *,
        author: dict,
        mtype: int,
        flags: int,
        channel_id: str | None = None,
        webhook: bool = False,
        interaction: dict | None = None,
        files: dict[int, tuple[str, int]] | None = None,
    ) -> dict:
        body = body or {}
        mid = self._snowflake()
        msg: dict[str, Any] = {
            "id": mid, "channel_id": channel_id or self.channel_id, "guild_id": self.guild_id,
            "author": author, "content": body.get("content") or "", "timestamp": _now_iso(),
            "edited_timestamp": None, "tts": bool(body.get("tts")), "mention_everyone": False, "mentions": [],
            "mention_roles": [], "attachments": self._attachments(body.get("attachments"), files or {}, []),
            "embeds": copy.deepcopy(body.get("embeds") or []),
            "components": self._assign_component_ids(body.get("components")), "pinned": False,
            "type": mtype, "flags": flags,
        }  # fmt: skip
        if body.get("poll"):
            msg["poll"] = copy.deepcopy(body["poll"])
        if body.get("message_reference"):
            msg["message_reference"] = {
                "channel_id": msg["channel_id"],
                "guild_id": self.guild_id,
                **body["message_reference"],
            }
        if webhook:
            msg["webhook_id"] = self.app_id
            msg["application_id"] = self.app_id
        if interaction is not None:
            msg["interaction_metadata"] = self._interaction_metadata(interaction)
        self.messages[mid] = msg
        return msg

    def _interaction_metadata(self, payload: dict) -> dict:
        user = payload["member"]["user"] if "member" in payload else payload["user"]
        meta: dict[str, Any] = {
            "id": payload["id"], "type": payload["type"], "user": user,
            "authorizing_integration_owners": payload["authorizing_integration_owners"],
        }  # fmt: skip
        data = payload.get("data") or {}
        if payload["type"] == 2:
            meta["name"] = data.get("name")
            meta["command_type"] = data.get("type", 1)
        if payload["type"] == 3 and payload.get("message"):
            meta["interacted_message_id"] = payload["message"]["id"]
        return meta

    def _edit_message(self, msg: dict, body: dict, files: dict[int, tuple[str, int]] | None = None) -> dict:
        body = body or {}
        if "content" in body:
            msg["content"] = body["content"] or ""
        if "embeds" in body:
            msg["embeds"] = copy.deepcopy(body["embeds"] or [])
        if "components" in body:
            msg["components"] = self._assign_component_ids(body["components"])
        if "attachments" in body:
            msg["attachments"] = self._attachments(body["attachments"], files or {}, msg["attachments"])
        if body.get("poll"):
            msg["poll"] = copy.deepcopy(body["poll"])
        flags = int(msg.get("flags") or 0)
        if body.get("flags") is not None:
            # EPHEMERAL can't change after creation; LOADING is only cleared.
            flags = (int(body["flags"]) & ~(EPHEMERAL | LOADING)) | (flags & EPHEMERAL)
        msg["flags"] = flags & ~LOADING
        msg["edited_timestamp"] = _now_iso()
        return msg

    # ---- gateway -----------------------------------------------------------------------------

    async def _send(self, ws: web.WebSocketResponse, payload: dict) -> None:
        lock = self._send_locks.setdefault(ws, asyncio.Lock())
        async with lock:
            await ws.send_str(json.dumps(payload))

    async def dispatch(self, event: str, data: dict) -> None:
        """Send a DISPATCH (op 0) event to the connected bot (buffered for RESUME while it reconnects)."""
        session = self._session
        if session is None:
            raise AssertionError(
                f"cannot dispatch {event}: no bot has identified with the fake gateway\n{self.describe()}"
            )
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.events.append(frame)
        if session.ws is not None and not session.ws.closed:
            await self._send(session.ws, frame)

    def _ready_payload(self, session: _Session) -> dict:
        shard = session.identify.get("shard") or [0, 1]
        return {
            "v": 10, "user": {**self.bot_user, "verified": True, "mfa_enabled": False, "flags": 0, "email": None},
            "guilds": [{"id": self.guild_id, "unavailable": True}], "session_id": session.id,
            "session_type": "normal", "resume_gateway_url": self.gateway_url, "shard": shard,
            "application": {"id": self.app_id, "flags": 0}, "private_channels": [], "relationships": [],
            "presences": [], "guild_join_requests": [], "geo_ordered_rtc_regions": [], "user_settings": {},
            "auth": {}, "_trace": ["fake-discord"],
        }  # fmt: skip

    async def _gateway_handler(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() != "websocket":
            return await self._other_handler(request)
        if self._closing:
            return web.Response(status=503)
        ws = web.WebSocketResponse(timeout=2.0, max_msg_size=0)
        await ws.prepare(request)
        self._sockets.add(ws)
        # discord.py asks for ?compress=zlib-stream (discord/gateway.py:385-391) but handles TEXT frames
        # as plain JSON (received_message only decompresses bytes), so we never compress.
        self.gateway_queries.append(dict(request.query))
        try:
            await self._send(
                ws, {"op": 10, "d": {"heartbeat_interval": int(self.heartbeat_interval * 1000)}, "s": None, "t": None}
            )
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                op, data = frame.get("op"), frame.get("d")
                if op == 1:
                    await self._send(ws, {"op": 11, "d": None, "s": None, "t": None})
                elif op == 2:
                    await self._identify(ws, data or {})
                elif op == 6:
                    await self._resume(ws, data or {})
                elif op == 8:
                    await self._members_chunk(ws, data or {})
        finally:
            self._sockets.discard(ws)
            self._send_locks.pop(ws, None)
            if self._session is not None and self._session.ws is ws:
                self._session.ws = None
            self._notify()
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: dict) -> None:
        self.identifies.append(data)
        if data.get("token") != self.token:
            self.errors.append("IDENTIFY with a wrong token: closed with 4004")
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        session = _Session(id=secrets.token_hex(16), identify=data, ws=ws)
        self._sessions[session.id] = session
        self._session = session
        await self.dispatch("READY", self._ready_payload(session))
        if int(data.get("intents") or 0) & 1:  # GUILDS intent
            await self.dispatch("GUILD_CREATE", self.guild)
        self.ready_count += 1
        self._notify()

    async def _resume(self, ws: web.WebSocketResponse, data: dict) -> None:
        session = self._sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self.token:
            await self._send(ws, {"op": 9, "d": False, "s": None, "t": None})
            return
        session.ws = ws
        self._session = session
        last = int(data.get("seq") or 0)
        for frame in [f for f in session.events if f["s"] > last]:
            await self._send(ws, frame)
        await self.dispatch("RESUMED", {"_trace": ["fake-discord"]})
        self.resume_count += 1
        self._notify()

    async def _members_chunk(self, ws: web.WebSocketResponse, data: dict) -> None:
        members = [self.member_payload(u) for u in self._members()]
        wanted = data.get("user_ids")
        if wanted:
            wanted = {str(x) for x in (wanted if isinstance(wanted, list) else [wanted])}
            members = [m for m in members if m["user"]["id"] in wanted]
        await self.dispatch("GUILD_MEMBERS_CHUNK", {
            "guild_id": self.guild_id, "members": members, "chunk_index": 0, "chunk_count": 1,
            "not_found": [], "nonce": data.get("nonce"),
        })  # fmt: skip

    async def reconnect_gateway(self, timeout: float = 5.0) -> None:
        """Send op 7 RECONNECT and wait until the bot has RESUMEd its session."""
        session = self._session
        if session is None or session.ws is None:
            raise AssertionError("no bot connected to the fake gateway")
        before = self.resume_count
        await self._send(session.ws, {"op": 7, "d": None, "s": None, "t": None})
        await self.wait_until(lambda: self.resume_count > before, "the bot to RESUME after op 7", timeout)

    # ---- interactions: sending ---------------------------------------------------------------

    async def send_interaction(self, payload: dict) -> dict:
        """Dispatch INTERACTION_CREATE with ``payload`` and return it (its id/token identify it later)."""
        rec = _Interaction(payload=payload, dispatched_at=asyncio.get_running_loop().time())
        self._interactions[str(payload["id"])] = rec
        self._by_token[payload["token"]] = rec
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    def _interaction(self, itype: int, data: dict | None, *, user: dict | None, guild: bool) -> dict:
        user = self._author_user(user)
        iid = self._snowflake()
        payload: dict[str, Any] = {
            "id": iid, "application_id": self.app_id, "type": itype, "token": f"fake.{iid}.{secrets.token_urlsafe(24)}",
            "version": 1, "locale": "en-US", "entitlements": [], "entitlement_sku_ids": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }  # fmt: skip
        if data is not None:
            payload["data"] = data
        if guild:
            payload.update(
                guild_id=self.guild_id, guild={"id": self.guild_id, "locale": "en-US", "features": []},
                guild_locale="en-US", channel_id=self.channel_id, channel=copy.deepcopy(self.channel),
                member=self.member_payload(user, with_permissions=True),
                app_permissions=str(self._permissions(self.bot_user["id"])),
                authorizing_integration_owners={"0": self.guild_id}, context=0,
            )  # fmt: skip
        else:
            dm_id = str(int(user["id"]) + 1)  # stable per user, never a real object id
            payload.update(
                user=user, channel_id=dm_id,
                channel={"id": dm_id, "type": 1, "last_message_id": None, "flags": 0, "recipients": [user]},
                app_permissions=str(EVERYONE_PERMISSIONS), authorizing_integration_owners={"0": "0"},
                context=1,
            )  # fmt: skip
        return payload

    def _find_command(self, name: str, ctype: int, guild: bool) -> tuple[dict, str | None]:
        scopes: list[tuple[str | None, list[dict]]] = []
        if guild:
            scopes.append((self.guild_id, self.guild_commands.get(self.guild_id) or []))
        scopes.append((None, self.global_commands or []))
        for scope, commands in scopes:
            for cmd in commands:
                if cmd.get("name") == name and cmd.get("type", 1) == ctype:
                    return cmd, scope
        known = sorted({f"{c.get('name')} (type {c.get('type', 1)})" for _, cmds in scopes for c in cmds})
        raise AssertionError(f"no synced command {name!r} of type {ctype}; synced: {known or 'nothing'}")

    def _options(self, cmd: dict, options: dict | list | None, focused: str | None) -> tuple[list, dict]:
        if isinstance(options, list):  # raw option payloads, passed through
            return options, {}
        options = dict(options or {})
        defs = {o["name"]: o for o in cmd.get("options") or []}
        unknown = set(options) - set(defs) - ({focused} if focused else set())
        if unknown:
            raise AssertionError(f"command {cmd['name']!r} has no option(s) {sorted(unknown)}; it has {sorted(defs)}")
        if focused is None:
            missing = [n for n, o in defs.items() if o.get("required") and n not in options]
            if missing:
                raise AssertionError(f"command {cmd['name']!r}: required option(s) {missing} missing")
        elif focused not in defs:
            raise AssertionError(f"command {cmd['name']!r} has no option {focused!r}")
        elif focused not in options:
            options[focused] = ""
        out, resolved = [], {}
        for name, opt in defs.items():
            if name not in options:
                continue
            value = options[name]
            otype = opt.get("type", 3)
            if isinstance(value, dict) and "id" in value:  # a user/role/channel payload
                value = value["id"]
            if otype in (6, 7, 8, 9):
                value = str(value)
                self._resolve(value, otype, resolved)
            item = {"name": name, "type": otype, "value": value}
            if name == focused:
                item["focused"] = True
            out.append(item)
        return out, resolved

    def _resolve(self, snowflake: str, otype: int, resolved: dict) -> None:
        users = {u["id"]: u for u in (self.bot_user, self.user, self.moderator, self.owner)}
        if otype in (6, 9) and snowflake in users:
            member = self.member_payload(users[snowflake], with_permissions=True)
            member.pop("user")
            resolved.setdefault("users", {})[snowflake] = users[snowflake]
            resolved.setdefault("members", {})[snowflake] = member
        if otype in (8, 9):
            for role in self.roles:
                if role["id"] == snowflake:
                    resolved.setdefault("roles", {})[snowflake] = copy.deepcopy(role)
        if otype == 7 and snowflake == self.channel_id:
            resolved.setdefault("channels", {})[snowflake] = {
                k: self.channel[k] for k in ("id", "type", "name", "parent_id", "flags")
            } | {"permissions": str(EVERYONE_PERMISSIONS)}

    def slash(
        self, name: str, options: dict | list | None = None, *, user: dict | None = None, guild: bool = True
    ) -> dict:
        """Build a CHAT_INPUT interaction (type 2) for a synced slash command. ``options`` maps option
        names to values (users/roles/channels may be given as payload dicts or ids) or is a raw list."""
        cmd, scope = self._find_command(name, 1, guild)
        opts, resolved = self._options(cmd, options, None)
        data: dict[str, Any] = {"id": cmd["id"], "name": name, "type": 1, "options": opts}
        if resolved:
            data["resolved"] = resolved
        if scope is not None:
            data["guild_id"] = scope  # discord.py looks guild commands up by data.guild_id (app_commands/tree.py:1159)
        return self._interaction(2, data, user=user, guild=guild)

    def autocomplete(
        self,
        name: str,
        options: dict | list | None = None,
        *,
        focused: str | None = None,
        user: dict | None = None,
        guild: bool = True,
    ) -> dict:
        """Build an APPLICATION_COMMAND_AUTOCOMPLETE interaction (type 4); ``focused`` defaults to the
        last option given. Values are what the user has typed so far."""
        cmd, scope = self._find_command(name, 1, guild)
        if focused is None:
            if not options:
                raise AssertionError("autocomplete needs options or focused=")
            focused = list(options)[-1] if isinstance(options, dict) else options[-1]["name"]
        opts, _ = self._options(cmd, options, focused)
        data: dict[str, Any] = {"id": cmd["id"], "name": name, "type": 1, "options": opts}
        if scope is not None:
            data["guild_id"] = scope
        return self._interaction(4, data, user=user, guild=guild)

    def message_command(self, name: str, target_message: dict, *, user: dict | None = None, guild: bool = True) -> dict:
        """Build a MESSAGE context-menu interaction (type 2, data.type 3) targeting a message payload."""
        cmd, scope = self._find_command(name, 3, guild)
        target = copy.deepcopy(target_message)
        data: dict[str, Any] = {
            "id": cmd["id"], "name": name, "type": 3, "target_id": target["id"],
            "resolved": {"messages": {target["id"]: target}},
        }  # fmt: skip
        if scope is not None:
            data["guild_id"] = scope
        return self._interaction(2, data, user=user, guild=guild)

    def _find_component(self, message: dict, custom_id: str) -> dict:
        found: list[dict] = []

        def walk(items: list) -> None:
            for comp in items or []:
                if isinstance(comp, dict):
                    found.append(comp)
                    walk(comp.get("components") or [])
                    walk([c for c in (comp.get("accessory"), comp.get("component")) if c])

        walk(message.get("components") or [])
        for comp in found:
            if comp.get("custom_id") == custom_id:
                return comp
        ids = [c["custom_id"] for c in found if c.get("custom_id")]
        raise AssertionError(f"message {message['id']} has no component with custom_id {custom_id!r}; it has {ids}")

    def component(
        self,
        message: dict | str,
        custom_id: str,
        *,
        values: list[str] | None = None,
        user: dict | None = None,
    ) -> dict:
        """Build a MESSAGE_COMPONENT interaction (type 3) for a component on a stored message (the
        fake's current version of the message is used). ``values`` is for select menus."""
        mid = str(message["id"] if isinstance(message, dict) else message)
        stored = self.messages.get(mid)
        if stored is None:
            raise AssertionError(f"message {mid} is not known to the fake")
        comp = self._find_component(stored, custom_id)
        if comp.get("disabled"):
            raise AssertionError(f"component {custom_id!r} on message {mid} is disabled; Discord won't send it")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": comp["type"], "id": comp.get("id")}
        if comp["type"] != 2:
            data["values"] = list(values or [])
        payload = self._interaction(3, data, user=user, guild=True)
        payload["message"] = copy.deepcopy(stored)
        return payload

    def button(self, message: dict | str, custom_id: str, *, user: dict | None = None) -> dict:
        """Build a button press (type 3, component_type 2) on a stored message."""
        payload = self.component(message, custom_id, user=user)
        if payload["data"]["component_type"] != 2:
            raise AssertionError(f"component {custom_id!r} is not a button")
        return payload

    # ---- REST --------------------------------------------------------------------------------

    def _build_routes(self) -> list[tuple[str, re.Pattern[str], bool, Callable[..., Any]]]:
        app = r"(?P<app>\d+)"
        wh = r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)"
        table = [
            ("GET", "/users/@me", True, self._get_me),
            ("GET", "/applications/@me", True, self._get_application),
            ("GET", "/oauth2/applications/@me", True, self._get_application),
            ("GET", "/gateway", False, self._get_gateway),
            ("GET", "/gateway/bot", True, self._get_gateway_bot),
            ("GET", f"/applications/{app}/commands", True, self._get_commands),
            ("PUT", f"/applications/{app}/commands", True, self._put_commands),
            ("GET", rf"/applications/{app}/guilds/(?P<guild>\d+)/commands", True, self._get_commands),
            ("PUT", rf"/applications/{app}/guilds/(?P<guild>\d+)/commands", True, self._put_commands),
            ("POST", r"/interactions/(?P<iid>\d+)/(?P<token>[^/]+)/callback", False, self._callback),
            ("POST", wh, False, self._followup),
            ("GET", wh + r"/messages/(?P<mid>@original|\d+)", False, self._webhook_message),
            ("PATCH", wh + r"/messages/(?P<mid>@original|\d+)", False, self._webhook_message),
            ("DELETE", wh + r"/messages/(?P<mid>@original|\d+)", False, self._webhook_message),
            ("GET", r"/channels/(?P<cid>\d+)", True, self._get_channel),
            ("POST", r"/channels/(?P<cid>\d+)/messages", True, self._create_channel_message),
            ("GET", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", True, self._channel_message),
            ("PATCH", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", True, self._channel_message),
            ("DELETE", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", True, self._channel_message),
        ]
        return [(m, re.compile(p), auth, h) for m, p, auth, h in table]

    @staticmethod
    async def _read_body(request: web.Request) -> tuple[Any, dict[int, tuple[str, int]]]:
        files: dict[int, tuple[str, int]] = {}
        if request.content_type == "multipart/form-data":
            payload = None
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if part.name == "payload_json":
                    payload = json.loads(await part.text())  # type: ignore[union-attr]
                else:
                    data = await part.read()  # type: ignore[union-attr]
                    m = re.fullmatch(r"files\[(\d+)\]", part.name or "")
                    if m:
                        files[int(m[1])] = (part.filename or "file", len(data))  # type: ignore[union-attr]
            return payload, files
        raw = await request.read()
        if not raw:
            return None, files
        try:
            return json.loads(raw), files
        except ValueError:
            return raw.decode("utf-8", "replace"), files

    async def _other_handler(self, request: web.Request) -> web.Response:
        rec = RecordedRequest(request.method, request.path, dict(request.query), None)
        self.requests.append(rec)
        self.unhandled.append(rec)
        self._notify()
        return _json_response({"message": "404: Not Found", "code": 0}, 404)

    async def _rest_handler(self, request: web.Request) -> web.Response:
        path = re.sub(r"^/api(/v\d+)?", "", request.path) or "/"
        body, files = await self._read_body(request)
        rec = RecordedRequest(request.method, path, dict(request.query), body)
        self.requests.append(rec)
        try:
            for method, pattern, auth, handler in self._routes:
                m = pattern.fullmatch(path)
                if m is None or method != request.method:
                    continue
                if auth and request.headers.get("Authorization") != f"Bot {self.token}":
                    return _json_response({"message": "401: Unauthorized", "code": 0}, 401)
                return await handler(request, body, files, **m.groupdict())
            self.unhandled.append(rec)
            return _json_response({"message": "404: Not Found", "code": 0}, 404)
        except _HTTPError as exc:
            if exc.errors:
                self.errors.append(f"{request.method} {path}: " + "; ".join(exc.errors))
            elif exc.status != 404 or exc.code:
                self.errors.append(f"{request.method} {path}: {exc.status} {exc.code} {exc.message}")
            return _json_response(_error_body(exc.code, exc.message, exc.errors, exc.key), exc.status)
        finally:
            self._notify()

    def _check(self, violations: list[str], key: str | None = "fake_discord") -> None:
        if violations and self.strict:
            raise _HTTPError(400, 50035, "Invalid Form Body", violations, key)

    async def _get_me(self, request: web.Request, body: Any, files: dict) -> web.Response:
        return _json_response(
            {**self.bot_user, "verified": True, "mfa_enabled": False, "flags": 0, "locale": "en-US", "email": None}
        )

    async def _get_application(self, request: web.Request, body: Any, files: dict) -> web.Response:
        return _json_response(self.application)

    async def _get_gateway(self, request: web.Request, body: Any, files: dict) -> web.Response:
        return _json_response({"url": self.gateway_url})

    async def _get_gateway_bot(self, request: web.Request, body: Any, files: dict) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return _json_response({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    def _check_scope(self, app: str, guild: str | None) -> None:
        if app != self.app_id or (guild is not None and guild != self.guild_id):
            raise _HTTPError(403, 50001, "Missing Access")

    async def _get_commands(
        self, request: web.Request, body: Any, files: dict, app: str, guild: str | None = None
    ) -> web.Response:
        self._check_scope(app, guild)
        stored = self.global_commands if guild is None else self.guild_commands.get(guild)
        return _json_response(stored or [])

    async def _put_commands(
        self, request: web.Request, body: Any, files: dict, app: str, guild: str | None = None
    ) -> web.Response:
        self._check_scope(app, guild)
        self._check(_validate_command_list(body), key=None)
        result = []
        for cmd in body or []:
            ctype = cmd.get("type", 1)
            key = (guild, ctype, cmd.get("name"))
            cid = self._command_ids.setdefault(key, self._snowflake())
            full = {
                "id": cid, "application_id": self.app_id, "version": self._snowflake(), "type": ctype,
                "description": "", "default_member_permissions": None, "nsfw": False, **copy.deepcopy(cmd),
            }  # fmt: skip
            if guild is not None:
                full["guild_id"] = guild
            result.append(full)
        self.command_puts += 1
        if guild is None:
            self.global_command_puts += 1
            self.global_commands = result
        else:
            self.guild_commands[guild] = result
        return _json_response(result)

    async def _callback(self, request: web.Request, body: Any, files: dict, iid: str, token: str) -> web.StreamResponse:
        rec = self._interactions.get(iid)
        if rec is None or rec.payload["token"] != token:
            raise _HTTPError(404, 10062, "Unknown interaction")
        elapsed = asyncio.get_running_loop().time() - rec.dispatched_at
        if self.response_deadline is not None and rec.response is None and elapsed > self.response_deadline:
            raise _HTTPError(
                404, 10062, f"Unknown interaction (callback after {elapsed:.2f}s, limit {self.response_deadline}s)"
            )
        if rec.response is not None:
            raise _HTTPError(400, 40060, "Interaction has already been acknowledged.")
        if not isinstance(body, dict) or "type" not in body:
            raise _HTTPError(400, 50035, "Invalid Form Body", ["callback body needs a type"])
        ctype, data = body["type"], body.get("data") or {}
        itype = rec.payload["type"]
        allowed = {1: {1}, 2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}.get(itype, set())
        if ctype not in allowed:
            raise _HTTPError(
                400, 50035, "Invalid Form Body", [f"callback type {ctype} is not valid for interaction type {itype}"]
            )
        if ctype in (4, 7):
            self._check(validate_message_payload(data, editing=ctype == 7))
        elif ctype == 8:
            self._check(_validate_autocomplete(data))
        elif ctype == 9:
            self._check(_validate_modal(data))
        rec.response = body

        message: dict | None = None
        interacted = (rec.payload.get("message") or {}).get("id")
        # message type: 20 CHAT_INPUT_COMMAND, 23 CONTEXT_MENU_COMMAND, 0 DEFAULT (component/modal replies)
        mtype = 0 if itype != 2 else 20 if (rec.payload.get("data") or {}).get("type", 1) == 1 else 23
        if ctype == 4:
            message = self._new_message(
                data,
                author=self.bot_user,
                mtype=mtype,
                flags=int(data.get("flags") or 0),
                webhook=True,
                interaction=rec.payload,
                files=files,
            )
        elif ctype == 5:
            flags = (int(data.get("flags") or 0) & EPHEMERAL) | LOADING
            message = self._new_message(
                {},
                author=self.bot_user,
                mtype=mtype,
                flags=flags,
                webhook=True,
                interaction=rec.payload,
            )
        elif ctype in (6, 7) and interacted:
            if interacted not in self.messages:
                self.messages[interacted] = copy.deepcopy(rec.payload["message"])
            message = self.messages[interacted]
            if ctype == 7:
                self._edit_message(message, data, files)
        if message is not None:
            rec.original_id = message["id"]
            if ctype != 6:
                rec.message_ids.append(message["id"])

        if request.query.get("with_response", "").lower() not in ("1", "true"):
            return web.Response(status=204)
        # discord.py sends ?with_response=1 and reads `interaction` + `resource` (interactions.py:758-783);
        # the view of a sent message is keyed on interaction.response_message_id (interactions.py:1105).
        reply: dict[str, Any] = {"interaction": {"id": iid, "type": itype}, "resource": {"type": ctype}}
        if message is not None and ctype != 6:
            reply["interaction"].update(
                response_message_id=message["id"],
                response_message_loading=bool(message["flags"] & LOADING),
                response_message_ephemeral=bool(message["flags"] & EPHEMERAL),
            )
            reply["resource"]["message"] = copy.deepcopy(message)
        return _json_response(reply)

    def _webhook_record(self, app: str, token: str) -> _Interaction:
        rec = self._by_token.get(token)
        if rec is None or app != self.app_id or rec.response is None:
            raise _HTTPError(404, 10015, "Unknown Webhook")
        return rec

    async def _followup(self, request: web.Request, body: Any, files: dict, app: str, token: str) -> web.StreamResponse:
        rec = self._webhook_record(app, token)
        body = body or {}
        self._check(validate_message_payload(body))
        original = self.messages.get(rec.original_id or "")
        if original is not None and original["flags"] & LOADING:
            # First follow-up after a type 5 deferral resolves the "thinking" message; its ephemeral
            # state was fixed by the deferral.
            message = self._edit_message(original, {**body, "flags": body.get("flags") or 0}, files)
            is_original = True
        else:
            message = self._new_message(
                body,
                author=self.bot_user,
                mtype=0,
                flags=int(body.get("flags") or 0),
                webhook=True,
                interaction=rec.payload,
                files=files,
            )
            rec.message_ids.append(message["id"])
            is_original = False
        rec.writes.append(MessageWrite("POST", message["id"], is_original, body, copy.deepcopy(message)))
        if request.query.get("wait", "").lower() in ("1", "true"):
            return _json_response(message)
        return web.Response(status=204)

    async def _webhook_message(
        self, request: web.Request, body: Any, files: dict, app: str, token: str, mid: str
    ) -> web.StreamResponse:
        rec = self._webhook_record(app, token)
        is_original = mid == "@original"
        mid = (rec.original_id or "") if is_original else mid
        is_original = is_original or mid == rec.original_id
        message = self.messages.get(mid)
        if message is None or (mid not in rec.message_ids and mid != rec.original_id):
            raise _HTTPError(404, 10008, "Unknown Message")
        if request.method == "GET":
            return _json_response(message)
        if request.method == "DELETE":
            del self.messages[mid]
            rec.writes.append(MessageWrite("DELETE", mid, is_original, None, None))
            return web.Response(status=204)
        self._check(validate_message_payload(body, editing=True))
        self._edit_message(message, body or {}, files)
        rec.writes.append(MessageWrite("PATCH", mid, is_original, body, copy.deepcopy(message)))
        return _json_response(message)

    def _check_channel(self, cid: str) -> None:
        if cid != self.channel_id:
            raise _HTTPError(404, 10003, "Unknown Channel")

    async def _get_channel(self, request: web.Request, body: Any, files: dict, cid: str) -> web.Response:
        self._check_channel(cid)
        return _json_response(self.channel)

    async def _create_channel_message(self, request: web.Request, body: Any, files: dict, cid: str) -> web.Response:
        self._check_channel(cid)
        body = body or {}
        self._check(validate_message_payload(body))
        message = self._new_message(
            body,
            author=self.bot_user,
            mtype=19 if body.get("message_reference") else 0,
            flags=int(body.get("flags") or 0),
            files=files,
        )
        self.channel["last_message_id"] = message["id"]
        return _json_response(message)

    async def _channel_message(
        self, request: web.Request, body: Any, files: dict, cid: str, mid: str
    ) -> web.StreamResponse:
        self._check_channel(cid)
        message = self.messages.get(mid)
        if message is None or message["channel_id"] != cid or message["flags"] & EPHEMERAL:
            raise _HTTPError(404, 10008, "Unknown Message")
        if request.method == "GET":
            return _json_response(message)
        if request.method == "DELETE":
            del self.messages[mid]
            return web.Response(status=204)
        if message["author"]["id"] != self.bot_user["id"]:
            raise _HTTPError(403, 50005, "Cannot edit a message authored by another user")
        self._check(validate_message_payload(body, editing=True))
        return _json_response(self._edit_message(message, body or {}, files))
