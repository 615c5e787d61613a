from pathlib import Path

import pytest
import yaml

import bot
from bot.safeguarding.directory import DEFAULT_PATH, Channel, DirectoryError, load_directory

VALID = {
    "name": "Test Helpline",
    "phone": "0800 000 000",
    "web": "https://example.org.uk/help/",
    "when": "You are worried about a child and want to talk it through.",
    "not_for": "Emergencies: call 999.",
    "source": "https://example.org.uk/help/",
}


def by_name(channels: tuple[Channel, ...], start: str) -> Channel:
    (match,) = [c for c in channels if c.name.startswith(start)]
    return match


def test_shipped_file_is_the_package_data_file() -> None:
    assert Path(bot.__file__).parent / "data" / "channels.yaml" == DEFAULT_PATH
    assert DEFAULT_PATH.is_file()


def test_shipped_directory_has_the_eight_uk_routes() -> None:
    channels = load_directory()
    assert len(channels) == 8
    assert by_name(channels, "Police emergency").phone == "999"
    assert by_name(channels, "Police non-emergency").phone == "101"
    assert by_name(channels, "NSPCC").phone == "0808 800 5000"
    assert by_name(channels, "Childline").phone == "0800 1111"
    assert by_name(channels, "Crimestoppers").phone == "0800 555 111"
    assert by_name(channels, "Stop It Now").phone == "0808 1000 900"
    assert by_name(channels, "CEOP").web == "https://www.ceop.police.uk/safety-centre/"
    assert by_name(channels, "Internet Watch Foundation").web == "https://report.iwf.org.uk/"


def test_shipped_directory_facts() -> None:
    channels = load_directory()
    assert [c.phone for c in channels if c.emergency] == ["999"]
    emergency = by_name(channels, "Police emergency")
    assert "press 55" in emergency.when and "Silent Solution" in emergency.when
    assert "anonymous" in by_name(channels, "CEOP").not_for.lower()  # CEOP takes no anonymous reports
    assert "anonymous" in by_name(channels, "NSPCC").when
    assert "anonymously" in by_name(channels, "Crimestoppers").when
    assert "anonymously" in by_name(channels, "Internet Watch Foundation").when
    assert "Confidential" in by_name(channels, "Stop It Now").when
    assert "Lucy Faithfull" in by_name(channels, "Stop It Now").name
    assert "999" in by_name(channels, "Crimestoppers").not_for
    hosts = {
        "NSPCC": "www.nspcc.org.uk",
        "Childline": "www.childline.org.uk",
        "Crimestoppers": "crimestoppers-uk.org",
        "Stop It Now": "www.stopitnow.org.uk",
        "Internet Watch Foundation": "www.iwf.org.uk",
        "Police emergency": "www.police.uk",
        "Police non-emergency": "www.police.uk",
    }
    for start, host in hosts.items():
        assert by_name(channels, start).source.startswith(f"https://{host}/"), start
    for channel in channels:
        assert channel.when and channel.not_for and (channel.phone or channel.web)


def test_contact_joins_phone_and_web() -> None:
    both = Channel(name="A", when="w", not_for="n", source="https://a.uk/", phone="0800 1111", web="https://a.uk/")
    assert both.contact == "0800 1111 · https://a.uk/"
    assert Channel(name="B", when="w", not_for="n", source="https://b.uk/", phone="999").contact == "999"
    assert (
        Channel(name="C", when="w", not_for="n", source="https://c.uk/", web="https://c.uk/").contact == "https://c.uk/"
    )


def test_channel_is_frozen() -> None:
    channel = load_directory()[0]
    with pytest.raises(AttributeError):
        channel.name = "changed"  # type: ignore[misc]


def test_text_is_normalised_and_emergency_defaults_false(tmp_path: Path) -> None:
    path = tmp_path / "channels.yaml"
    path.write_text(
        "- name: Test Helpline\n"
        '  phone: "+44 800 000 000"\n'
        "  when: >-\n    You are worried\n    about   a child.\n"
        "  not_for: Emergencies.\n"
        "  source: https://example.org.uk/\n",
        encoding="utf-8",
    )
    (channel,) = load_directory(path)
    assert channel.when == "You are worried about a child."
    assert channel.phone == "+44 800 000 000"
    assert channel.web == ""
    assert channel.emergency is False


def write_entries(tmp_path: Path, second: dict) -> Path:
    path = tmp_path / "channels.yaml"
    path.write_text(yaml.safe_dump([VALID, second], sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def changed(**fields: object) -> dict:
    entry = {**VALID, "name": "Other Line"}
    for key, value in fields.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    return entry


def renamed(old: str, new: str) -> dict:
    entry = changed()
    entry[new] = entry.pop(old)
    return entry


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (changed(when=None), "missing field `when`"),
        (changed(not_for=None), "missing field `not_for`"),
        (changed(source=None), "missing field `source`"),
        (renamed("when", "whn"), "unknown field `whn` (did you mean `when`?)"),
        (renamed("not_for", "notfor"), "unknown field `notfor` (did you mean `not_for`?)"),
        (changed(when="   "), "`when` is empty"),
        (changed(not_for=""), "`not_for` is empty"),
        (changed(web="http://example.org.uk/"), "`web` must be a full https:// address"),
        (changed(web="www.example.org.uk"), "`web` must be a full https:// address"),
        (changed(source="ftp://example.org.uk/"), "`source` must be a full https:// address"),
        (changed(web="https://"), "`web` is not a valid web address"),
        (changed(phone="0800 CALL NOW"), "`phone` '0800 CALL NOW' has characters"),
        (changed(phone="0800-1111"), "has characters '-'"),
        (changed(phone="0800 11+11"), "a + that is not at the start"),
        (changed(phone="12"), "too short"),
        (changed(phone=8001111), "`phone` must be text, not int 8001111 (write it in quotes"),
        (changed(phone=None, web=None), "needs a `phone` or a `web` address"),
        (changed(emergency="yes"), "`emergency` must be true or false"),
        (changed(name="test helpline"), "duplicate name: entry 1 is also called 'test helpline'"),
    ],
)
def test_bad_entry_names_file_entry_and_field(tmp_path: Path, entry: dict, expected: str) -> None:
    path = write_entries(tmp_path, entry)
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: entry 2 ("), message
    assert entry["name"] in message
    assert expected in message


def test_entry_without_name_is_named_by_number_and_line(tmp_path: Path) -> None:
    path = write_entries(tmp_path, changed(name=None))
    with pytest.raises(DirectoryError, match=r"entry 2 \(line 7\): missing field `name`"):
        load_directory(path)


def test_entry_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "channels.yaml"
    path.write_text(yaml.safe_dump([VALID]) + "- just a line of text\n", encoding="utf-8")
    with pytest.raises(DirectoryError, match=r"entry 2 \(line \d+\): expected fields such as `name:`"):
        load_directory(path)


def test_field_given_twice(tmp_path: Path) -> None:
    path = tmp_path / "channels.yaml"
    text = yaml.safe_dump([VALID], sort_keys=False) + "  when: said again\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        DirectoryError, match=r"entry 1 \(Test Helpline, line 1\): field `when` is given more than once"
    ):
        load_directory(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (yaml.safe_dump(VALID), "expected a list of channels (each starting with `- name:`), found a dict"),
        ("", "expected a list of channels (each starting with `- name:`), found an empty file"),
        ("[]", "the channel list is empty"),
        ("- name: A\n  when: [unclosed\n", "YAML syntax error at line 3"),
        ("- name: A\n   when: bad indent\n", "YAML syntax error at line 2"),
    ],
)
def test_bad_file(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "channels.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert expected in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DirectoryError, match="cannot read the channel directory"):
        load_directory(tmp_path / "nope.yaml")


def test_directory_error_is_a_value_error() -> None:
    assert issubclass(DirectoryError, ValueError)
