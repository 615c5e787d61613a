"""Interaction callbacks, follow-ups and edits through the interaction webhook, with Discord's rules:
the 3 s deadline (10062), one callback per interaction (40060), no follow-up before the callback
(10015), a deferral resolved by the first follow-up, and an ephemeral flag fixed at creation."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from aiohttp import web

from .common import EPHEMERAL, LOADING, DiscordError, InteractionRecord, MessageWrite, json_response
from .message_rules import validate_autocomplete, validate_message_payload


class CallbacksMixin:
    """What the bot posts in answer to interactions."""

    async def _callback(self, request: web.Request, body: Any, files: dict, iid: str, token: str) -> web.StreamResponse:
        rec = self._interactions.get(iid)
        if rec is None or rec.payload["token"] != token:
            raise DiscordError(404, 10062, "Unknown interaction")
        elapsed = asyncio.get_running_loop().time() - rec.dispatched_at
        if self.response_deadline is not None and rec.response is None and elapsed > self.response_deadline:
            raise DiscordError(
                404, 10062, f"Unknown interaction (callback after {elapsed:.2f}s, limit {self.response_deadline}s)"
            )
        if rec.response is not None:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        if not isinstance(body, dict) or "type" not in body:
            raise DiscordError(400, 50035, "Invalid Form Body", ["callback body needs a type"])
        ctype, data = body["type"], body.get("data") or {}
        itype = rec.payload["type"]
        allowed = {1: {1}, 2: {4, 5}, 3: {4, 5, 6, 7}, 4: {8}, 5: {4, 5, 6, 7}}.get(itype, set())  # no modals (9)
        if ctype not in allowed:
            raise DiscordError(
                400, 50035, "Invalid Form Body", [f"callback type {ctype} is not valid for interaction type {itype}"]
            )
        if ctype in (4, 7):
            self._check(validate_message_payload(data, editing=ctype == 7))
        elif ctype == 8:
            self._check(validate_autocomplete(data))
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
            if ctype in (4, 5, 7):
                await self._announce("MESSAGE_UPDATE" if ctype == 7 else "MESSAGE_CREATE", message)

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
        return json_response(reply)

    def _webhook_record(self, app: str, token: str) -> InteractionRecord:
        rec = self._by_token.get(token)
        if rec is None or app != self.app_id or rec.response is None:
            raise DiscordError(404, 10015, "Unknown Webhook")
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
        await self._announce("MESSAGE_UPDATE" if is_original else "MESSAGE_CREATE", message)
        rec.writes.append(MessageWrite("POST", message["id"], is_original, body, copy.deepcopy(message)))
        if request.query.get("wait", "").lower() in ("1", "true"):
            return json_response(message)
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
            raise DiscordError(404, 10008, "Unknown Message")
        if request.method == "GET":
            return json_response(message)
        if request.method == "DELETE":
            del self.messages[mid]
            rec.writes.append(MessageWrite("DELETE", mid, is_original, None, None))
            return web.Response(status=204)
        self._check(validate_message_payload(body, editing=True))
        self._edit_message(message, body or {}, files)
        await self._announce("MESSAGE_UPDATE", message)
        rec.writes.append(MessageWrite("PATCH", mid, is_original, body, copy.deepcopy(message)))
        return json_response(message)
