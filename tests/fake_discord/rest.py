"""The fake REST API: routing, request bodies, authorisation, users, gateway, commands and channels."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

from aiohttp import web

from .command_rules import validate_command_list
from .common import DiscordError, RecordedRequest, error_body, json_response
from .message_rules import validate_message_payload


class RestMixin:
    """REST routes of FakeDiscord; interaction callbacks and webhooks are in CallbacksMixin."""

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
        return json_response({"message": "404: Not Found", "code": 0}, 404)

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
                    return json_response({"message": "401: Unauthorized", "code": 0}, 401)
                return await handler(request, body, files, **m.groupdict())
            self.unhandled.append(rec)
            return json_response({"message": "404: Not Found", "code": 0}, 404)
        except DiscordError as exc:
            if exc.errors:
                self.errors.append(f"{request.method} {path}: " + "; ".join(exc.errors))
            elif exc.status != 404 or exc.code:
                self.errors.append(f"{request.method} {path}: {exc.status} {exc.code} {exc.message}")
            return json_response(error_body(exc.code, exc.message, exc.errors, exc.key), exc.status)
        finally:
            self._notify()

    def _check(self, violations: list[str], key: str | None = "fake_discord") -> None:
        if violations:
            raise DiscordError(400, 50035, "Invalid Form Body", violations, key)

    async def _get_me(self, request: web.Request, body: Any, files: dict) -> web.Response:
        return json_response(
            {**self.bot_user, "verified": True, "mfa_enabled": False, "flags": 0, "locale": "en-US", "email": None}
        )

    async def _get_application(self, request: web.Request, body: Any, files: dict) -> web.Response:
        return json_response(self.application)

    async def _get_gateway(self, request: web.Request, body: Any, files: dict) -> web.Response:
        return json_response({"url": self.gateway_url})

    async def _get_gateway_bot(self, request: web.Request, body: Any, files: dict) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return json_response({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    def _check_scope(self, app: str, guild: str | None) -> None:
        if app != self.app_id or (guild is not None and guild not in self.guild_ids):
            raise DiscordError(403, 50001, "Missing Access")

    async def _get_commands(
        self, request: web.Request, body: Any, files: dict, app: str, guild: str | None = None
    ) -> web.Response:
        self._check_scope(app, guild)
        stored = self.global_commands if guild is None else self.guild_commands.get(guild)
        return json_response(stored or [])

    async def _put_commands(
        self, request: web.Request, body: Any, files: dict, app: str, guild: str | None = None
    ) -> web.Response:
        self._check_scope(app, guild)
        self._check(validate_command_list(body), key=None)
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
        return json_response(result)

    def _check_channel(self, cid: str) -> None:
        if cid != self.channel_id:
            raise DiscordError(404, 10003, "Unknown Channel")

    async def _get_channel(self, request: web.Request, body: Any, files: dict, cid: str) -> web.Response:
        self._check_channel(cid)
        return json_response(self.channel)

    async def _create_channel_message(self, request: web.Request, body: Any, files: dict, cid: str) -> web.Response:
        self._check_channel(cid)
        body = body or {}
        self._check(validate_message_payload(body))
        message = self._new_message(
            body,
            author=self.bot_user,
            mtype=0,
            flags=int(body.get("flags") or 0),
            files=files,
        )
        self.channel["last_message_id"] = message["id"]
        await self._announce("MESSAGE_CREATE", message)
        return json_response(message)
