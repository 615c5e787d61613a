"""FakeDiscord: one aiohttp server on 127.0.0.1 serving the gateway, the REST API and a CDN that is always 404."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any, TypeVar

import yarl
from aiohttp import web

from .callbacks import CallbacksMixin
from .common import EVERYONE_PERMISSIONS, MODERATOR_PERMISSIONS, InteractionRecord, RecordedRequest, Session, now_iso
from .entities import EntitiesMixin
from .gateway import GatewayMixin
from .interactions import InteractionsMixin
from .messages import MessagesMixin
from .rest import RestMixin
from .shards import ShardsMixin

T = TypeVar("T")


class FakeDiscord(
    EntitiesMixin, ShardsMixin, MessagesMixin, GatewayMixin, InteractionsMixin, RestMixin, CallbacksMixin
):
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
        response_deadline: float | None = 3.0,
        legacy_interaction: bool = True,
        event_lag: float = 0.05,
    ) -> None:
        """``legacy_interaction=False`` leaves out messages' deprecated ``interaction`` field, keeping
        only ``interaction_metadata``. MESSAGE_CREATE/UPDATE go out ``event_lag`` seconds after the REST
        reply that caused them, as Discord's arrive after its HTTP answer."""
        self.token = token
        self.legacy_interaction = legacy_interaction
        self.event_lag = event_lag
        self.response_deadline = response_deadline
        self.heartbeat_interval = 41.25  # seconds, as Discord asks

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
        self._joined_at = now_iso()
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
        self.refuse_identify: int | None = None  # a close code for every IDENTIFY (see gateway.py)
        self.ready_count = 0

        self._command_ids: dict[tuple[str | None, int, str], str] = {}
        self._interactions: dict[str, InteractionRecord] = {}
        self._by_token: dict[str, InteractionRecord] = {}
        self._sessions: dict[str, Session] = {}
        self._shard_sessions: dict[int, Session] = {}  # the live session of each shard
        self.shard_count = 1
        self.extra_guilds: dict[str, dict] = {}  # guilds added by add_guild(), by id
        self.undelivered: list[tuple[str, dict]] = []  # events for a shard no bot runs
        self._session: Session | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self._send_locks: dict[web.WebSocketResponse, asyncio.Lock] = {}
        self._changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._announcements: asyncio.Queue[tuple[float, str, dict]] = asyncio.Queue()
        self._announcer: asyncio.Task | None = None
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
        self._announcer = asyncio.create_task(self._send_announcements())

    async def close(self) -> None:
        """Close gateway connections (code 1001) and stop the server; later reconnects are refused."""
        self._closing = True
        if self._announcer is not None:
            self._announcer.cancel()
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
