"""The fake gateway: HELLO, IDENTIFY -> READY (+ GUILD_CREATE), heartbeats, RESUME, RECONNECT, close codes.

One session per IDENTIFY, kept in ``_sessions`` by id; ``_session`` is the latest, and
``_shard_sessions`` the live one of each shard. Every event goes through ``dispatch``, which asks
``_session_for`` where it goes: the session of the event's shard (see ``shards``).
"""

from __future__ import annotations

import asyncio
import json
import secrets

import aiohttp
from aiohttp import web

from .common import GUILDS_INTENT, Session

# Close codes Discord answers an IDENTIFY with (https://discord.com/developers/docs/topics/opcodes-and-status-codes)
IDENTIFY_CLOSE_CODES = {
    4004: "Authentication failed.",
    4010: "Invalid shard.",
    4011: "Sharding required.",
    4012: "Invalid API version.",
    4013: "Invalid intent(s).",
    4014: "Disallowed intent(s).",
}


class GatewayMixin:
    """The websocket side of FakeDiscord. Set ``refuse_identify`` to a code of IDENTIFY_CLOSE_CODES to
    close every later IDENTIFY with it."""

    async def _send(self, ws: web.WebSocketResponse, payload: dict) -> None:
        lock = self._send_locks.setdefault(ws, asyncio.Lock())
        async with lock:
            await ws.send_str(json.dumps(payload))

    def _session_for(self, data: dict) -> Session | None:
        """The session an event about ``data`` goes to: its guild's shard's (see ``shards``)."""
        return self._route(data)

    async def dispatch(self, event: str, data: dict, session: Session | None = None) -> None:
        """Send a DISPATCH (op 0) event to the bot's session of the event's shard, or to ``session``
        (buffered for RESUME while it reconnects). An event for a shard no bot runs is kept in
        ``undelivered``."""
        if self._session is None:
            raise AssertionError(
                f"cannot dispatch {event}: no bot has identified with the fake gateway\n{self.describe()}"
            )
        session = session or self._session_for(data)
        if session is None:
            self.undelivered.append((event, data))
            self._notify()
            return
        await self._dispatch_to(session, event, data)

    async def _dispatch_to(self, session: Session, event: str, data: dict) -> None:
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.events.append(frame)
        if session.ws is not None and not session.ws.closed:
            await self._send(session.ws, frame)

    def _ready_payload(self, session: Session) -> dict:
        shard = session.identify.get("shard") or [0, 1]
        return {
            "v": 10, "user": {**self.bot_user, "verified": True, "mfa_enabled": False, "flags": 0, "email": None},
            "guilds": [{"id": g, "unavailable": True} for g in self.guilds_of(session)], "session_id": session.id,
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
            for session in self._sessions.values():
                if session.ws is ws:
                    session.ws = None
            self._notify()
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: dict) -> None:
        self.identifies.append(data)
        code = 4004 if data.get("token") != self.token else self.refuse_identify
        if code is not None:
            self.errors.append(f"IDENTIFY refused: closed with {code}")
            await ws.close(code=code, message=IDENTIFY_CLOSE_CODES[code].encode())
            return
        shard = data.get("shard") or [0, 1]
        if not (isinstance(shard, list) and len(shard) == 2 and 0 <= shard[0] < shard[1]):
            self.errors.append(f"IDENTIFY with shard {shard!r}: closed with 4010")
            await ws.close(code=4010, message=IDENTIFY_CLOSE_CODES[4010].encode())
            return
        session = Session(id=secrets.token_hex(16), identify=data, ws=ws)
        self._sessions[session.id] = session
        self._session = session
        self._register_shard(session)
        await self._dispatch_to(session, "READY", self._ready_payload(session))
        if int(data.get("intents") or 0) & GUILDS_INTENT:
            for guild_id in self.guilds_of(session):
                await self._dispatch_to(session, "GUILD_CREATE", self.guild_payload(guild_id))
        self.ready_count += 1
        self._notify()

    async def _resume(self, ws: web.WebSocketResponse, data: dict) -> None:
        session = self._sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self.token:
            await self._send(ws, {"op": 9, "d": False, "s": None, "t": None})
            return
        session.ws = ws
        self._session = session
        self._register_shard(session)
        last = int(data.get("seq") or 0)
        for frame in [f for f in session.events if f["s"] > last]:
            await self._send(ws, frame)
        await self._dispatch_to(session, "RESUMED", {"_trace": ["fake-discord"]})
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

    async def close_gateway(self, code: int) -> None:
        """Close the bot's connection with a close code, e.g. 4004 as when its token is reset (the
        old token then fails a RESUME or IDENTIFY too, as on Discord)."""
        session = self._session
        if session is None or session.ws is None:
            raise AssertionError("no bot connected to the fake gateway")
        if code == 4004:
            self.token = f"reset-{self.token}"
        await session.ws.close(code=code, message=IDENTIFY_CLOSE_CODES.get(code, "Closed.").encode())

    async def reconnect_gateway(self, timeout: float = 5.0) -> None:
        """Send op 7 RECONNECT and wait until the bot has RESUMEd its session."""
        session = self._session
        if session is None or session.ws is None:
            raise AssertionError("no bot connected to the fake gateway")
        before = self.resume_count
        await self._send(session.ws, {"op": 7, "d": None, "s": None, "t": None})
        await self.wait_until(lambda: self.resume_count > before, "the bot to RESUME after op 7", timeout)
