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


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to the local site go straight to 127.0.0.1, whatever proxy the machine has."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
