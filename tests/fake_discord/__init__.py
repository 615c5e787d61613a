"""A fake Discord (REST + gateway) on 127.0.0.1 for end-to-end tests of discord.py bots.

Usage::

    async with FakeDiscord(token="test-token") as fake:
        fake.patch(monkeypatch)          # point discord.py at the fake
        task = asyncio.create_task(bot.start("test-token"))
        await fake.wait_ready()
        ix = await fake.send_interaction(fake.slash("echo", {"text": "hi"}))
        body = await fake.wait_response(ix)   # the callback JSON the bot posted
        await bot.close(); await task

One aiohttp server on a free port of 127.0.0.1 (``server``) serves the gateway (``gateway``), the REST
API (``rest``, with interaction callbacks and webhooks in ``callbacks``) and a CDN that is always 404.
The fake holds one bot, one guild and one text channel (``entities``), the messages (``messages``), and
builds the interactions a test sends (``interactions``). Payloads are checked against Discord's
documented rules (``command_rules``, ``message_rules``) and rejected with
400/50035 as Discord does; the reasons are kept in ``errors``.

Behaviour copied from Discord where it matters for bot bugs: a callback later than
``response_deadline`` seconds (3 s) or for an unknown interaction gets 404/10062, a second callback gets
400/40060, follow-ups before the first callback get 404/10015, the first follow-up after a type-5 deferral
resolves the "thinking" message (and inherits its ephemeral state), and the ephemeral flag of a deferred
message cannot be changed later.
"""

from .command_rules import validate_command_payload
from .common import EPHEMERAL, MessageWrite, RecordedRequest
from .message_rules import validate_message_payload
from .server import FakeDiscord

__all__ = [
    "EPHEMERAL",
    "FakeDiscord",
    "MessageWrite",
    "RecordedRequest",
    "validate_command_payload",
    "validate_message_payload",
]
