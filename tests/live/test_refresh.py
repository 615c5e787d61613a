import logging
import re
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from live.forcesite import build
from live.localsite import FakeClock, Site

from bot.corpus.articles import load_folder
from bot.live.http import PoliteClient
from bot.live.refresh import Source, SourcesError, SourceStatus, describe, load_sources, refresh
from bot.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]


def test_the_example_sources_file_loads() -> None:
    sources = load_sources(ROOT / "sources.example.yaml")
    assert len(sources) >= 4 and all(s.url.startswith("https://") for s in sources)
    assert any(s.force == "Staffordshire" for s in sources)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- url: https://x.police.uk/feed\n  forse: Kent\n", "entry 1: unknown field `forse`"),
        ("- url: https://x.police.uk/feed\n- url: feed.xml\n", "entry 2: `url` must be an http(s) address"),
        ("url: https://x.police.uk/feed\n", "expected a list of sources"),
        ("- url: [unclosed\n", "YAML syntax error at line 2"),
        ("- url: https://x.police.uk/feed\n  force: ''\n", "`force` must be a force name"),
    ],
)
def test_mistakes_in_the_sources_file_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError, match=re.escape(message)) as error:
        load_sources(path)
    assert str(error.value).startswith(str(path))


def test_plain_urls_and_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("- https://www.kent.police.uk/feed\n", encoding="utf-8")
    assert load_sources(path) == (Source("https://www.kent.police.uk/feed"),)
    path.write_text("", encoding="utf-8")
    assert load_sources(path) == ()


def test_refresh_fetches_logs_failures_and_never_raises(
    site: Site, clock: FakeClock, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixture = build(site)
    client = PoliteClient("owner@example.org", clock=clock, sleep=clock.sleep)
    sources = (
        Source(fixture.feed),
        Source(site.base + "/news/gone.xml"),
        Source(site.base + "/news/not-police/", force="staffs"),
    )
    with caplog.at_level(logging.WARNING, logger="bot.live.refresh"):
        statuses, changed = refresh(sources, tmp_path, client)
    assert changed
    feed, gone, other = statuses
    assert feed.ok and feed.counts == {"new": 4, "skipped": 4, "failed": 1} and feed.fetched is not None
    assert not gone.ok and gone.result == "failed: HTTP 404 Not Found"
    assert other.ok and other.counts == {"new": 1}
    assert [r.getMessage() for r in caplog.records] == [f"source {site.base}/news/gone.xml failed: HTTP 404 Not Found"]
    articles, _ = load_folder(tmp_path)
    assert len(articles) == 5 and "Staffordshire" in {a.force for a in articles}

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("bot.live.run.Fetcher.fetch", explode)
    statuses, changed = refresh(sources[:1], tmp_path, client)
    assert not changed and statuses[0].result == "failed: RuntimeError: disk on fire"
    assert len(load_folder(tmp_path)[0]) == 5


def test_a_refresh_that_finds_nothing_new_changes_nothing(site: Site, clock: FakeClock, tmp_path: Path) -> None:
    fixture = build(site)
    client = PoliteClient("", clock=clock, sleep=clock.sleep)
    refresh((Source(fixture.feed),), tmp_path, client)
    statuses, changed = refresh((Source(fixture.feed),), tmp_path, client)
    assert not changed and statuses[0].result == "not modified"


def test_status_lines_for_sources() -> None:
    now = datetime(2024, 2, 12, 10, 30, tzinfo=timezone.utc)
    source = Source("https://www.kent.police.uk/feed")
    assert describe(SourceStatus(source), now) == "not fetched yet"
    read = SourceStatus(source, now - timedelta(minutes=12), "read", True, {"skipped": 1, "new": 2})
    assert describe(read, now) == "read, 12 min ago (10:18 UTC): 2 new, 1 skipped"
    failed = SourceStatus(source, now, "failed: HTTP 404 Not Found", False)
    assert describe(failed, now) == "failed: HTTP 404 Not Found, just now (10:30 UTC)"


def test_stopping_ends_a_refresh_without_requests_or_failures_logged(
    site: Site, clock: FakeClock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fixture = build(site)
    stop = threading.Event()
    stop.set()
    client = PoliteClient("", clock=clock, sleep=clock.sleep, stop=stop)
    with caplog.at_level(logging.WARNING):
        statuses, changed = refresh((Source(fixture.feed), Source(fixture.atom)), tmp_path, client)
    assert statuses == () and not changed and site.log == [] and caplog.records == []


def test_fetch_settings() -> None:
    settings = Settings.from_env(
        {"FETCH_CONTACT": " owner@example.org ", "SOURCES_FILE": "sources.yaml", "REFRESH_MINUTES": "30"}, dotenv=None
    )
    assert (settings.fetch_contact, settings.sources_file, settings.refresh_minutes) == (
        "owner@example.org",
        Path("sources.yaml"),
        30,
    )
    defaults = Settings.from_env({}, dotenv=None)
    assert (defaults.fetch_contact, defaults.sources_file, defaults.refresh_minutes) == ("", None, 0)
    with pytest.raises(SettingsError, match="REFRESH_MINUTES must be a whole number, not 'hourly'"):
        Settings.from_env({"REFRESH_MINUTES": "hourly"}, dotenv=None)
