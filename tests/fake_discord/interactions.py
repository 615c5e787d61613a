"""Interactions the test sends (slash commands, autocomplete, context menus, buttons) and waiting
for the bot's answers to them."""

from __future__ import annotations

import asyncio
import copy
import secrets
from typing import Any

from .common import EVERYONE_PERMISSIONS, InteractionRecord, MessageWrite


class InteractionsMixin:
    """Building and dispatching INTERACTION_CREATE payloads for FakeDiscord."""

    async def send_interaction(self, payload: dict, *, late: bool = False, acknowledged: bool = False) -> dict:
        """Dispatch INTERACTION_CREATE with ``payload`` and return it (its id/token identify it later).
        ``late`` makes it arrive past the response deadline (callbacks get 10062); ``acknowledged`` makes
        it look answered already, as by a second copy of the bot (callbacks get 40060)."""
        dispatched_at = asyncio.get_running_loop().time() - ((self.response_deadline or 0) + 1 if late else 0)
        rec = InteractionRecord(payload=payload, dispatched_at=dispatched_at)
        if acknowledged:
            rec.response = {"type": 6, "acknowledged_elsewhere": True}
        self._interactions[str(payload["id"])] = rec
        self._by_token[payload["token"]] = rec
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    def _interaction(
        self, itype: int, data: dict | None, *, user: dict | None, guild: bool, guild_id: str | None = None
    ) -> dict:
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
            gid = guild_id or self.guild_id
            channel = self.channel_of(gid)
            payload.update(
                guild_id=gid, guild={"id": gid, "locale": "en-US", "features": []},
                guild_locale="en-US", channel_id=channel["id"], channel=copy.deepcopy(channel),
                member=self.member_payload(user, with_permissions=True),
                app_permissions=str(self._permissions(self.bot_user["id"])),
                authorizing_integration_owners={"0": gid}, context=0,
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

    def _find_command(self, name: str, ctype: int, guild: bool, guild_id: str | None = None) -> tuple[dict, str | None]:
        scopes: list[tuple[str | None, list[dict]]] = []
        if guild:
            gid = guild_id or self.guild_id
            scopes.append((gid, self.guild_commands.get(gid) or []))
        scopes.append((None, self.global_commands or []))
        for scope, commands in scopes:
            for cmd in commands:
                if cmd.get("name") == name and cmd.get("type", 1) == ctype:
                    return cmd, scope
        known = sorted({f"{c.get('name')} (type {c.get('type', 1)})" for _, cmds in scopes for c in cmds})
        raise AssertionError(f"no synced command {name!r} of type {ctype}; synced: {known or 'nothing'}")

    def _options(self, cmd: dict, options: dict | list | None, focused: str | None) -> list:
        if isinstance(options, list):  # raw option payloads, passed through
            return options
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
        out = []
        for name, opt in defs.items():
            if name in options:
                item = {"name": name, "type": opt.get("type", 3), "value": options[name]}
                if name == focused:
                    item["focused"] = True
                out.append(item)
        return out

    def slash(
        self,
        name: str,
        options: dict | list | None = None,
        *,
        user: dict | None = None,
        guild: bool = True,
        guild_id: str | None = None,
    ) -> dict:
        """Build a CHAT_INPUT interaction (type 2) for a synced slash command. ``options`` maps option
        names to values or is a raw list of option payloads; ``guild_id`` picks one of the guilds
        (default: the first)."""
        cmd, scope = self._find_command(name, 1, guild, guild_id)
        data: dict[str, Any] = {"id": cmd["id"], "name": name, "type": 1, "options": self._options(cmd, options, None)}
        if scope is not None:
            data["guild_id"] = scope  # discord.py looks guild commands up by data.guild_id (app_commands/tree.py:1159)
        return self._interaction(2, data, user=user, guild=guild, guild_id=guild_id)

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
        data: dict[str, Any] = {
            "id": cmd["id"],
            "name": name,
            "type": 1,
            "options": self._options(cmd, options, focused),
        }
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

        walk(message.get("components") or [])
        for comp in found:
            if comp.get("custom_id") == custom_id:
                return comp
        ids = [c["custom_id"] for c in found if c.get("custom_id")]
        raise AssertionError(f"message {message['id']} has no component with custom_id {custom_id!r}; it has {ids}")

    def button(self, message: dict | str, custom_id: str, *, user: dict | None = None) -> dict:
        """Build a button press (type 3, component_type 2) on a stored message (the fake's current
        version of it)."""
        mid = str(message["id"] if isinstance(message, dict) else message)
        stored = self.messages.get(mid)
        if stored is None:
            raise AssertionError(f"message {mid} is not known to the fake")
        comp = self._find_component(stored, custom_id)
        if comp["type"] != 2:
            raise AssertionError(f"component {custom_id!r} is not a button")
        if comp.get("disabled"):
            raise AssertionError(f"component {custom_id!r} on message {mid} is disabled; Discord won't send it")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": 2, "id": comp.get("id")}
        payload = self._interaction(3, data, user=user, guild=True, guild_id=stored.get("guild_id"))
        payload["message"] = copy.deepcopy(stored)
        return payload

    # ---- waiting for answers ------------------------------------------------------------

    def _record(self, interaction: dict | str | int) -> InteractionRecord:
        key = str(interaction["id"] if isinstance(interaction, dict) else interaction)
        rec = self._interactions.get(key) or self._by_token.get(key)
        if rec is None:
            raise AssertionError(f"unknown interaction {key!r}: not sent through send_interaction()")
        return rec

    @staticmethod
    def _label(rec: InteractionRecord) -> str:
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
