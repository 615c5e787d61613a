"""The fake's world: ids, users, roles and permissions, the guild, the channel and the application."""

from __future__ import annotations

import copy
import time

from .common import ADMINISTRATOR, ALL_PERMISSIONS, DISCORD_EPOCH_MS


class EntitiesMixin:
    """Payloads of the fake guild's entities; mixed into FakeDiscord, whose __init__ creates them."""

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
