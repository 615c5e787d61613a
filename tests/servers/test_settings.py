from pathlib import Path

import pytest

from bot.servers import settings as server_settings
from bot.servers.settings import (
    MAX_CONTACT_CHARS,
    InvalidSetting,
    ServerSettings,
    check_contact,
    check_force,
    check_stale_months,
    with_contact,
)
from bot.servers.store import Store

FORCES = ("Staffordshire", "West Mercia", "West Midlands")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "servers.sqlite3")


def test_without_a_row_or_a_database_a_server_gets_the_owners_defaults(store: Store) -> None:
    assert server_settings.load(store, 42) == ServerSettings()
    assert server_settings.load(None, 42) == ServerSettings()
    assert ServerSettings().private(True) is True
    assert ServerSettings().stale_months(12) == 12


def test_settings_round_trip_and_stay_with_their_server(store: Store) -> None:
    chosen = ServerSettings("West Mercia", False, 24, ("Our safeguarding lead is in room 12.",))
    server_settings.save(store, 1, chosen)
    assert server_settings.load(store, 1) == chosen
    assert server_settings.load(store, 2) == ServerSettings()
    server_settings.save(store, 1, ServerSettings(private_answers=True))
    assert server_settings.load(store, 1) == ServerSettings(private_answers=True)


def test_force_names_are_forgiven_and_all_clears_the_default() -> None:
    assert check_force("west mercia police", FORCES) == "West Mercia"
    assert check_force("staffs", FORCES) == "Staffordshire"
    assert check_force("all", FORCES) is None
    with pytest.raises(InvalidSetting, match="Pick one from the list"):
        check_force("Atlantis", FORCES)


@pytest.mark.parametrize("months", [0, -3, 121, 10_000])
def test_staleness_outside_the_range_is_refused_naming_the_range(months: int, store: Store) -> None:
    with pytest.raises(InvalidSetting, match="from 1 to 120"):
        check_stale_months(months)
    with pytest.raises(InvalidSetting):
        server_settings.save(store, 1, ServerSettings(stale_after_months=months))
    assert store.rows("SELECT COUNT(*) FROM server_settings") == [(0,)]


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("Ask @everyone in the office", "mention"),
        ("Talk to <@123456789012345678>", "mention"),
        ("The <@&123456789012345678> team", "mention"),
        ("See <#123456789012345678>", "mention"),
        ("@here our lead", "mention"),
        ("x" * (MAX_CONTACT_CHARS + 1), f"1 to {MAX_CONTACT_CHARS} characters"),
        ("Room\u202e12", "control"),
    ],
)
def test_contact_lines_are_text_only_and_length_limited(line: str, why: str, store: Store) -> None:
    with pytest.raises(InvalidSetting, match=why):
        check_contact(line, 1)
    with pytest.raises(InvalidSetting):
        server_settings.save(store, 1, ServerSettings(contacts=(line,)))
    assert store.rows("SELECT COUNT(*) FROM server_settings") == [(0,)]


def test_contact_lines_are_tidied_set_and_removed(store: Store) -> None:
    assert (
        check_contact("  Our lead is   in room 12\n(ask at the office) ", 1)
        == "Our lead is in room 12 (ask at the office)"
    )
    assert check_contact("-", 2) is None
    settings = with_contact(ServerSettings(), 1, "First")
    settings = with_contact(settings, 3, "Third")
    assert settings.contacts == ("First", "Third")
    assert with_contact(settings, 1, None).contacts == ("Third",)
    with pytest.raises(InvalidSetting, match="from 1 to 3"):
        with_contact(settings, 4, "Fourth")
    with pytest.raises(InvalidSetting, match="At most 3"):
        server_settings.save(store, 1, ServerSettings(contacts=("a", "b", "c", "d")))


def test_the_search_force_is_the_chosen_one_then_the_named_one_then_the_default() -> None:
    west = ServerSettings(default_force="West Mercia")
    assert west.search_force("scam calls", None, FORCES) == "West Mercia"
    assert west.search_force("scam calls", "Staffordshire", FORCES) == "Staffordshire"
    assert west.search_force("what have Staffordshire Police said about scams", None, FORCES) is None
    assert ServerSettings().search_force("scam calls", None, FORCES) is None
    assert west.search_force("scam calls", None, ("Staffordshire",)) is None  # the default's articles are gone
