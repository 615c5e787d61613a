"""Which services /report lists: safeguarding policy, kept out of the Discord adapter."""

from __future__ import annotations

from collections.abc import Sequence

from bot.safeguarding.directory import Channel
from bot.safeguarding.router import Router

TOPIC_SERVICES = 4


def report_services(topic: str | None, directory: Sequence[Channel], router: Router) -> tuple[Channel, ...]:
    """The services to show someone who wants to report a concern, in order.

    With a topic: the (up to four) services that fit it, best first. Without one: the whole
    directory. Either way the emergency service is there, first when nothing put it higher, so
    the way to get help at once is never left out.
    """
    topic = " ".join((topic or "").split()) or None
    chosen = router.route(topic, k=TOPIC_SERVICES) if topic else list(directory)
    if not any(c.emergency for c in chosen):
        chosen = [c for c in directory if c.emergency][:1] + chosen
    return tuple(chosen)
