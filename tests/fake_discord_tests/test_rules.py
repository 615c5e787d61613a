"""Discord's documented rules for command and message payloads, as the fake checks them."""

from __future__ import annotations

import pytest
from fake_discord import validate_command_payload, validate_message_payload


def _slash(**kw: object) -> dict:
    cmd: dict = {"type": 1, "name": "echo", "description": "Repeat", "options": []}
    cmd.update(kw)
    return cmd


def _opt(name: str = "text", type: int = 3, **kw: object) -> dict:
    return {"name": name, "description": "An option", "type": type, **kw}


def test_valid_commands_pass() -> None:
    assert validate_command_payload(_slash(options=[_opt(required=True), _opt("n", 4, min_value=1, max_value=5)])) == []
    assert validate_command_payload(_slash(name="größe-2_ü")) == []
    assert validate_command_payload({"type": 3, "name": "Quote this Message", "description": ""}) == []
    assert validate_command_payload({"type": 2, "name": "User Info"}) == []


@pytest.mark.parametrize(
    ("cmd", "needle"),
    [
        (_slash(name="Echo"), "lowercase"),
        (_slash(name="echo it"), "must match"),
        (_slash(name="x" * 33), "1-32"),
        (_slash(name=""), "1-32"),
        (_slash(description=""), "description"),
        (_slash(description="d" * 101), "description"),
        (_slash(options=[_opt(f"o{i}") for i in range(26)]), "at most 25 options"),
        (_slash(options=[_opt("a"), _opt("b", required=True)]), "before optional"),
        (_slash(options=[_opt("Bad")]), "lowercase"),
        (_slash(options=[_opt("a", description="")]), "description"),
        (_slash(options=[_opt("a"), _opt("a")]), "duplicate"),
        (_slash(options=[_opt(choices=[{"name": str(i), "value": str(i)} for i in range(26)])]), "25 choices"),
        (_slash(options=[_opt(choices=[{"name": "a", "value": "a"}], autocomplete=True)]), "autocomplete"),
        (_slash(options=[_opt(choices=[{"name": "", "value": "a"}])]), "name"),
        (_slash(options=[_opt(choices=[{"name": "a" * 101, "value": "a"}])]), "name"),
        (_slash(options=[_opt(choices=[{"name": "a", "value": "v" * 101}])]), "100"),
        (_slash(options=[_opt(choices=[{"name": "a", "value": 1}])]), "must be a string"),
        (_slash(options=[_opt(min_length=-1)]), "min_length"),
        (_slash(options=[_opt(max_length=6001)]), "max_length"),
        (_slash(options=[_opt(min_length=10, max_length=5)]), "min_length must not exceed"),
        (_slash(options=[_opt(type=4, max_length=5)]), "only allowed on string"),
        (_slash(options=[_opt(type=5, autocomplete=True)]), "autocomplete is only allowed"),
        (_slash(default_member_permissions="manage_guild"), "default_member_permissions"),
        (_slash(default_member_permissions=-1), "default_member_permissions"),
        ({"type": 3, "name": "Quote", "description": "nope"}, "empty description"),
        ({"type": 3, "name": "x" * 33, "description": ""}, "1-32"),
        ({"type": 2, "name": "Info", "options": [_opt()]}, "cannot have options"),
    ],
)
def test_invalid_commands_are_reported(cmd: dict, needle: str) -> None:
    problems = validate_command_payload(cmd)
    assert problems, cmd
    assert any(needle in p for p in problems), problems


def test_message_validation() -> None:
    assert validate_message_payload({"content": "ok"}) == []
    assert validate_message_payload({"content": "", "tts": False}) != []  # empty message
    assert validate_message_payload({"content": ""}, editing=True) == []
    assert any("2000" in p for p in validate_message_payload({"content": "x" * 2001}))
    assert any("4096" in p for p in validate_message_payload({"embeds": [{"description": "d" * 4097}]}))
    many = {"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}
    assert any("6000" in p for p in validate_message_payload(many))
    row = {"type": 1, "components": [{"type": 2, "style": 1, "custom_id": f"b{i}", "label": "x"} for i in range(6)]}
    assert any("1-5" in p for p in validate_message_payload({"content": "x", "components": [row]}))
    long_id = {"type": 1, "components": [{"type": 2, "style": 1, "custom_id": "c" * 101}]}
    assert any("custom_id" in p for p in validate_message_payload({"content": "x", "components": [long_id]}))
