"""Sharding in the fake: more guilds, one gateway session per shard, events routed as Discord does.

A guild belongs to shard ``(guild_id >> 22) % shard_count``
(https://discord.com/developers/docs/events/gateway#sharding). Each IDENTIFY carries
``shard: [shard_id, shard_count]``; its READY lists only that shard's guilds, it gets only their
GUILD_CREATEs, and every later event with a ``guild_id`` goes to the session of the guild's shard
(events without one, such as DM interactions, go to shard 0). An event for a shard no bot has
identified for is kept in ``undelivered``, as Discord would leave it unanswered.
"""

from __future__ import annotations

import copy
import time

from .common import DISCORD_EPOCH_MS, Session


def shard_of(guild_id: str | int, shard_count: int) -> int:
    return (int(guild_id) >> 22) % shard_count


class ShardsMixin:
    """Extra guilds and per-shard sessions for FakeDiscord (whose __init__ sets the state)."""

    def add_guild(self, *, shard: tuple[int, int] | None = None, name: str = "Another Guild") -> str:
        """Add a guild with the same members, roles and permissions as the first, and its own
        channel; with ``shard=(shard_id, shard_count)`` its id puts it on that shard. Returns its id."""
        if shard is None:
            guild_id = self._snowflake()
        else:
            wanted, count = shard
            ms = max(int(time.time() * 1000) - DISCORD_EPOCH_MS, (self._last_snowflake >> 22) + 1)
            ms += (wanted - ms) % count
            guild_id = str((ms << 22) | (next(self._counter) & 0xFFF))
            self._last_snowflake = int(guild_id)
        channel = {**copy.deepcopy(self.channel), "id": self._snowflake(), "guild_id": guild_id}
        self.extra_guilds[guild_id] = {"name": name, "channel": channel}
        return guild_id

    @property
    def guild_ids(self) -> list[str]:
        return [self.guild_id, *self.extra_guilds]

    def guild_payload(self, guild_id: str) -> dict:
        """GUILD_CREATE payload of any of the fake's guilds."""
        payload = self.guild
        if guild_id == self.guild_id:
            return payload
        extra = self.extra_guilds[guild_id]
        for role in payload["roles"]:
            if role["id"] == self.guild_id:  # @everyone's id is the guild's
                role["id"] = guild_id
        payload.update(id=guild_id, name=extra["name"], system_channel_id=extra["channel"]["id"])
        payload["channels"] = [copy.deepcopy(extra["channel"])]
        return payload

    def channel_of(self, guild_id: str) -> dict:
        return self.channel if guild_id == self.guild_id else self.extra_guilds[guild_id]["channel"]

    @staticmethod
    def session_shard(session: Session) -> tuple[int, int]:
        shard_id, count = session.identify.get("shard") or (0, 1)
        return int(shard_id), int(count)

    def guilds_of(self, session: Session) -> list[str]:
        """The guilds whose events go to ``session``'s shard."""
        shard_id, count = self.session_shard(session)
        return [g for g in self.guild_ids if shard_of(g, count) == shard_id]

    def _route(self, data: object) -> Session | None:
        """The session an event goes to: the one of its guild's shard (shard 0 without a guild)."""
        if not self._shard_sessions:
            return self._session
        guild_id = data.get("guild_id") if isinstance(data, dict) else None
        return self._shard_sessions.get(shard_of(guild_id, self.shard_count) if guild_id else 0)

    def _register_shard(self, session: Session) -> None:
        shard_id, count = self.session_shard(session)
        if count != self.shard_count:  # every bot process must agree on the count
            self._shard_sessions.clear()
            self.shard_count = count
        self._shard_sessions[shard_id] = session
