"""Discord's documented rules for application command payloads (names, options, choices, limits)."""

from __future__ import annotations

from typing import Any

import regex  # understands \p{L}; nltk depends on it, so it is always installed

_SLASH_NAME = regex.compile(r"^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$")


def _check_slash_name(name: Any, where: str) -> list[str]:
    if not isinstance(name, str):
        return [f"{where}: name must be a string, got {name!r}"]
    errs = []
    if not 1 <= len(name) <= 32:
        errs.append(f"{where}: name {name!r} must be 1-32 characters long (is {len(name)})")
    if name and not _SLASH_NAME.match(name[:32]):
        errs.append(f"{where}: name {name!r} must match ^[-_\\p{{L}}\\p{{N}}]{{1,32}}$ (letters, digits, '-', '_')")
    if name != name.lower():
        errs.append(f"{where}: name {name!r} must be lowercase")
    return errs


def check_text(value: Any, where: str, what: str, lo: int, hi: int) -> list[str]:
    if not isinstance(value, str):
        return [f"{where}: {what} must be a string, got {value!r}"]
    if not lo <= len(value) <= hi:
        return [f"{where}: {what} {value!r} must be {lo}-{hi} characters long (is {len(value)})"]
    return []


def _check_localizations(obj: dict, where: str, *, slash: bool) -> list[str]:
    errs: list[str] = []
    for locale, value in (obj.get("name_localizations") or {}).items():
        w = f"{where} [{locale}]"
        errs += _check_slash_name(value, w) if slash else check_text(value, w, "name", 1, 32)
    for locale, value in (obj.get("description_localizations") or {}).items():
        errs += check_text(value, f"{where} [{locale}]", "description", 1, 100)
    return errs


def _check_choice_value(value: Any, opt_type: int, where: str) -> list[str]:
    if opt_type == 3:
        if not isinstance(value, str):
            return [f"{where}: value {value!r} must be a string for a string option"]
        if len(value) > 100:
            return [f"{where}: string value must be at most 100 characters (is {len(value)})"]
    elif opt_type == 4:
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 2**53:
            return [f"{where}: value {value!r} must be an integer in -2^53..2^53"]
    elif opt_type == 10 and (isinstance(value, bool) or not isinstance(value, (int, float)) or abs(value) > 2**53):
        return [f"{where}: value {value!r} must be a number in -2^53..2^53"]
    return []


def _validate_options(options: Any, where: str, depth: int) -> list[str]:
    if options is None:
        return []
    if not isinstance(options, list):
        return [f"{where}: options must be a list"]
    errs: list[str] = []
    if len(options) > 25:
        errs.append(f"{where}: at most 25 options allowed (has {len(options)})")
    types = [o.get("type") for o in options if isinstance(o, dict)]
    if any(t in (1, 2) for t in types) and any(t not in (1, 2) for t in types):
        errs.append(f"{where}: subcommands/groups cannot be mixed with other option types")
    seen: set[str] = set()
    optional_seen: str | None = None
    for opt in options:
        if not isinstance(opt, dict):
            errs.append(f"{where}: option {opt!r} must be an object")
            continue
        name, otype = opt.get("name"), opt.get("type")
        w = f"{where} option {name!r}"
        if otype not in range(1, 12):
            errs.append(f"{w}: type {otype!r} must be 1-11")
        errs += _check_slash_name(name, w)
        errs += check_text(opt.get("description"), w, "description", 1, 100)
        errs += _check_localizations(opt, w, slash=True)
        if name in seen:
            errs.append(f"{w}: duplicate option name")
        seen.add(name)
        if otype == 2 and depth > 0:
            errs.append(f"{w}: subcommand groups cannot be nested")
        if otype == 1 and depth > 1:
            errs.append(f"{w}: subcommands can only be nested one group deep")
        if otype in (1, 2):
            if otype == 2 and any(isinstance(o, dict) and o.get("type") != 1 for o in opt.get("options") or []):
                errs.append(f"{w}: a subcommand group may only contain subcommands")
            errs += _validate_options(opt.get("options"), w, depth + 1)
            continue
        if opt.get("required"):
            if optional_seen is not None:
                errs.append(f"{w}: required option must come before optional option {optional_seen!r}")
        elif optional_seen is None:
            optional_seen = name
        choices = opt.get("choices")
        if choices:
            if otype not in (3, 4, 10):
                errs.append(f"{w}: choices are only allowed on string, integer and number options")
            if len(choices) > 25:
                errs.append(f"{w}: at most 25 choices allowed (has {len(choices)})")
            if opt.get("autocomplete"):
                errs.append(f"{w}: choices and autocomplete cannot both be set")
            for ch in choices:
                cw = f"{w} choice {ch.get('name')!r}"
                errs += check_text(ch.get("name"), cw, "name", 1, 100)
                errs += _check_choice_value(ch.get("value"), otype, cw)
                for locale, value in (ch.get("name_localizations") or {}).items():
                    errs += check_text(value, f"{cw} [{locale}]", "name", 1, 100)
        if opt.get("autocomplete") and otype not in (3, 4, 10):
            errs.append(f"{w}: autocomplete is only allowed on string, integer and number options")
        for key, lo in (("min_length", 0), ("max_length", 1)):
            if key in opt and opt[key] is not None:
                value = opt[key]
                if otype != 3:
                    errs.append(f"{w}: {key} is only allowed on string options")
                elif isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= 6000:
                    errs.append(f"{w}: {key} must be an integer in {lo}-6000 (is {value!r})")
        lo_len, hi_len = opt.get("min_length"), opt.get("max_length")
        if isinstance(lo_len, int) and isinstance(hi_len, int) and lo_len > hi_len:
            errs.append(f"{w}: min_length must not exceed max_length")
        for key in ("min_value", "max_value"):
            if key in opt and opt[key] is not None and otype not in (4, 10):
                errs.append(f"{w}: {key} is only allowed on integer and number options")
        lo_val, hi_val = opt.get("min_value"), opt.get("max_value")
        if isinstance(lo_val, (int, float)) and isinstance(hi_val, (int, float)) and lo_val > hi_val:
            errs.append(f"{w}: min_value must not exceed max_value")
        if opt.get("channel_types") and otype != 7:
            errs.append(f"{w}: channel_types is only allowed on channel options")
    return errs


def _text_size(cmd: dict) -> int:
    total = len(cmd.get("name") or "") + len(cmd.get("description") or "")
    for opt in cmd.get("options") or []:
        total += _text_size(opt)
        for ch in opt.get("choices") or []:
            total += len(str(ch.get("name", ""))) + len(str(ch.get("value", "")))
    return total


def validate_command_payload(cmd: dict) -> list[str]:
    """Check one application command payload (as PUT to Discord) against Discord's documented rules.

    Returns human-readable violations; an empty list means the command is valid."""
    if not isinstance(cmd, dict):
        return [f"command must be an object, got {type(cmd).__name__}"]
    ctype = cmd.get("type", 1)
    name = cmd.get("name")
    where = f"command {name!r}"
    errs: list[str] = []
    if ctype not in (1, 2, 3, 4):
        errs.append(f"{where}: type {ctype!r} must be 1 (slash), 2 (user), 3 (message) or 4 (entry point)")
    if ctype == 1:
        errs += _check_slash_name(name, where)
        errs += check_text(cmd.get("description"), where, "description", 1, 100)
        errs += _check_localizations(cmd, where, slash=True)
        errs += _validate_options(cmd.get("options"), where, 0)
    elif ctype in (2, 3):
        errs += check_text(name, where, "name", 1, 32)
        if isinstance(name, str) and name.strip() != name:
            errs.append(f"{where}: name must not start or end with white space")
        if cmd.get("description") not in (None, ""):
            errs.append(f"{where}: context menu commands must have an empty description")
        if cmd.get("options"):
            errs.append(f"{where}: context menu commands cannot have options")
        errs += _check_localizations(cmd, where, slash=False)
    # Discord documents a string; discord.py 2.7 sends an int (app_commands/commands.py:791), which Discord takes.
    perms = cmd.get("default_member_permissions")
    if perms is not None and not (
        (isinstance(perms, str) and perms.isdigit())
        or (isinstance(perms, int) and not isinstance(perms, bool) and perms >= 0)
    ):
        errs.append(f"{where}: default_member_permissions must be null or a permission bit set, got {perms!r}")
    if ctype == 1 and _text_size(cmd) > 4000:
        errs.append(f"{where}: names, descriptions and choice values add up to more than 4000 characters")
    return errs


def validate_command_list(cmds: Any) -> list[str]:
    if not isinstance(cmds, list):
        return ["bulk overwrite body must be a list of commands"]
    errs: list[str] = []
    for cmd in cmds:
        errs += validate_command_payload(cmd)
    keys = [(c.get("type", 1), c.get("name")) for c in cmds if isinstance(c, dict)]
    for key in sorted({k for k in keys if keys.count(k) > 1}, key=str):
        errs.append(f"duplicate command name {key[1]!r} for command type {key[0]}")
    for ctype, limit in ((1, 100), (2, 15), (3, 15)):
        count = sum(1 for t, _ in keys if t == ctype)
        if count > limit:
            errs.append(f"at most {limit} commands of type {ctype} allowed (has {count})")
    return errs
