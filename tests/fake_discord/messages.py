"""Messages the fake stores: creating and editing them as Discord does, and announcing edits."""

from __future__ import annotations

import asyncio
import copy
import itertools
import mimetypes
from typing import Any

from .common import EPHEMERAL, GUILD_MESSAGES_INTENT, LOADING, now_iso


class MessagesMixin:
    """The message store of FakeDiscord (``self.messages``)."""

    @staticmethod
    def _assign_component_ids(components: list) -> list:
        components = copy.deepcopy(components or [])
        ids = itertools.count(1)

        def walk(items: list) -> None:
            for comp in items:
                if isinstance(comp, dict):
                    comp.setdefault("id", next(ids))
                    walk(comp.get("components") or [])

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
        guild_id = (interaction or {}).get("guild_id") or self.guild_id
        if channel_id is None and interaction is not None and "guild_id" in interaction:
            channel_id = interaction["channel_id"]
        msg: dict[str, Any] = {
            "id": mid, "channel_id": channel_id or self.channel_id, "guild_id": guild_id,
            "author": author, "content": body.get("content") or "", "timestamp": now_iso(),
            "edited_timestamp": None, "tts": bool(body.get("tts")), "mention_everyone": False, "mentions": [],
            "mention_roles": [], "attachments": self._attachments(body.get("attachments"), files or {}, []),
            "embeds": copy.deepcopy(body.get("embeds") or []),
            "components": self._assign_component_ids(body.get("components")), "pinned": False,
            "type": mtype, "flags": flags,
        }  # fmt: skip
        if webhook:
            msg["webhook_id"] = self.app_id
            msg["application_id"] = self.app_id
        if interaction is not None:
            msg["interaction_metadata"] = self._interaction_metadata(interaction)
            if self.legacy_interaction:
                msg["interaction"] = self._legacy_interaction(interaction)
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

    @staticmethod
    def _legacy_interaction(payload: dict) -> dict:
        """The deprecated ``interaction`` field Discord still sends beside ``interaction_metadata``."""
        user = payload["member"]["user"] if "member" in payload else payload["user"]
        data = payload.get("data") or {}
        return {"id": payload["id"], "type": payload["type"], "name": data.get("name", ""), "user": user}

    async def _announce(self, event: str, msg: dict) -> None:
        """Queue MESSAGE_CREATE/MESSAGE_UPDATE of a guild message, as Discord sends them to bots with the
        GUILD_MESSAGES intent, shortly after the REST reply; ephemeral messages are never announced."""
        session = self._route(msg)
        if session is None or msg["flags"] & EPHEMERAL or "guild_id" not in msg:
            return
        if int(session.identify.get("intents") or 0) & GUILD_MESSAGES_INTENT:
            due = asyncio.get_running_loop().time() + self.event_lag
            self._announcements.put_nowait((due, event, copy.deepcopy(msg)))

    async def _send_announcements(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due, event, data = await self._announcements.get()
            await asyncio.sleep(max(0.0, due - loop.time()))
            try:
                await self.dispatch(event, data)
            finally:
                self._announcements.task_done()
                self._notify()

    async def flush_events(self, timeout: float = 5.0) -> None:
        """Wait until every queued MESSAGE_CREATE/MESSAGE_UPDATE has been dispatched."""
        await asyncio.wait_for(self._announcements.join(), timeout)

    def dispatched(self, event: str) -> list[dict]:
        """The data of every ``event`` dispatched to the bot so far, oldest first, over all sessions."""
        return [f["d"] for session in self._sessions.values() for f in session.events if f["t"] == event]

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
        flags = int(msg.get("flags") or 0)
        if body.get("flags") is not None:
            # EPHEMERAL can't change after creation; LOADING is only cleared.
            flags = (int(body["flags"]) & ~(EPHEMERAL | LOADING)) | (flags & EPHEMERAL)
        msg["flags"] = flags & ~LOADING
        msg["edited_timestamp"] = now_iso()
        return msg
