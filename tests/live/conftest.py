from __future__ import annotations

from collections.abc import Iterator

import pytest
from live.localsite import FakeClock, Site, serve


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


@pytest.fixture
def clock(site: Site) -> FakeClock:
    """Time that moves only when the client sleeps; the site stamps requests with it."""
    fake = FakeClock()
    site.clock = fake
    return fake
