"""Discord's documented limits for messages, components (action rows and buttons) and autocomplete results."""

from __future__ import annotations

from typing import Any

from .command_rules import check_text


def _count_components(components: list) -> int:
    total = 0
    for comp in components or []:
        if isinstance(comp, dict):
            total += 1 + _count_components(comp.get("components") or [])
    return total


def _validate_components(components: Any) -> list[str]:
    if not isinstance(components, list):
        return ["components must be a list"]
    errs: list[str] = []
    if len(components) > 5:
        errs.append(f"components: at most 5 action rows allowed (has {len(components)})")
    if _count_components(components) > 40:
        errs.append("components: at most 40 components allowed per message")
    custom_ids: list[str] = []

    def walk(items: list, parent_type: int | None) -> None:
        for comp in items:
            if not isinstance(comp, dict):
                errs.append(f"components: {comp!r} must be an object")
                continue
            ctype = comp.get("type")
            if ctype == 1:
                children = comp.get("components") or []
                if not 1 <= len(children) <= 5:
                    errs.append(f"components: an action row needs 1-5 components (has {len(children)})")
                if any(c.get("type") != 2 for c in children) and len(children) > 1:
                    errs.append("components: a select menu must be alone in its action row")
            if ctype in (2, 3, 4, 5, 6, 7, 8) and parent_type != 1:
                errs.append(f"components: component of type {ctype} must be inside an action row")
            if ctype == 2:
                label = comp.get("label")
                if label is not None and len(label) > 80:
                    errs.append(f"components: button label must be at most 80 characters (is {len(label)})")
                if comp.get("style") == 5:
                    if not comp.get("url"):
                        errs.append("components: link buttons need a url")
                elif comp.get("style") != 6 and not comp.get("custom_id"):
                    errs.append("components: non-link buttons need a custom_id")
            if "custom_id" in comp:
                cid = comp["custom_id"]
                if not isinstance(cid, str) or not 1 <= len(cid) <= 100:
                    errs.append(f"components: custom_id {cid!r} must be 1-100 characters")
                else:
                    custom_ids.append(cid)
            walk(comp.get("components") or [], ctype)

    walk(components, None)
    for cid in sorted({c for c in custom_ids if custom_ids.count(c) > 1}):
        errs.append(f"components: custom_id {cid!r} is used more than once")
    return errs


def validate_message_payload(data: Any, *, editing: bool = False) -> list[str]:
    """Check a message body (create, edit or interaction response data) against Discord's limits:
    content 2000, 10 embeds with their per-field limits and 6000 characters in total (white space
    trimmed), action rows/buttons/custom_id limits, and (unless ``editing``) non-emptiness."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return [f"message body must be an object, got {type(data).__name__}"]
    errs: list[str] = []
    content = data.get("content")
    if content is not None:
        if not isinstance(content, str):
            errs.append(f"content must be a string, got {content!r}")
        elif len(content) > 2000:
            errs.append(f"content must be at most 2000 characters (is {len(content)})")
    embeds = data.get("embeds") or []
    if len(embeds) > 10:
        errs.append(f"at most 10 embeds allowed (has {len(embeds)})")
    total = 0
    for i, embed in enumerate(embeds):
        w = f"embeds[{i}]"

        def check(value: Any, what: str, limit: int, required: bool = False, w: str = w) -> int:
            if value is None:
                if required:
                    errs.append(f"{w}: {what} is required")
                return 0
            text = str(value).strip()
            if len(text) > limit:
                errs.append(f"{w}: {what} must be at most {limit} characters (is {len(text)})")
            if required and not text:
                errs.append(f"{w}: {what} must not be empty")
            return len(text)

        total += check(embed.get("title"), "title", 256)
        total += check(embed.get("description"), "description", 4096)
        total += check((embed.get("footer") or {}).get("text"), "footer.text", 2048)
        total += check((embed.get("author") or {}).get("name"), "author.name", 256)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            errs.append(f"{w}: at most 25 fields allowed (has {len(fields)})")
        for j, fld in enumerate(fields):
            total += check(fld.get("name"), f"fields[{j}].name", 256, required=True)
            total += check(fld.get("value"), f"fields[{j}].value", 1024, required=True)
    if total > 6000:
        errs.append(f"embeds: at most 6000 characters across all embeds (has {total})")
    if data.get("components") is not None:
        errs += _validate_components(data["components"])
    if not editing and not (
        content
        or embeds
        or data.get("components")
        or data.get("attachments")
        or data.get("poll")
        or data.get("sticker_ids")
    ):
        errs.append("Cannot send an empty message (no content, embeds, components, attachments or poll)")
    return errs


def validate_autocomplete(data: Any) -> list[str]:
    choices = (data or {}).get("choices")
    if not isinstance(choices, list):
        return ["autocomplete result needs a choices list"]
    errs = [f"autocomplete: at most 25 choices allowed (has {len(choices)})"] if len(choices) > 25 else []
    for ch in choices:
        w = f"autocomplete choice {ch.get('name')!r}"
        errs += check_text(ch.get("name"), w, "name", 1, 100)
        value = ch.get("value")
        if isinstance(value, str) and len(value) > 100:
            errs.append(f"{w}: string value must be at most 100 characters (is {len(value)})")
    return errs
