"""Question sets for measuring answer quality, in two formats.

A YAML list (`tests/questions.yaml`): each entry names the question, the article file its
answer is in and words the answering passage must all contain (`contains`) or one of which it
must contain (`contains_any`); or `answer: none` for a question the articles cannot answer,
where the right behaviour is to say so. An optional `kind` groups the figures.

JSON lines (`../shared/corpus/questions.jsonl`, any file ending in `.jsonl`): one object a line
with `q`, `accept_urls` (the articles that answer it, by address), `must_contain_any`, `kind`,
and `unanswerable: true` for a question no article answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Question:
    text: str
    articles: tuple[str, ...] = ()  # file names of the articles that answer it
    contains: tuple[str, ...] = ()  # all of these must be in the passage
    force: str | None = None
    urls: tuple[str, ...] = ()  # or: the addresses of the articles that answer it
    contains_any: tuple[str, ...] = ()  # and one of these must be in the passage
    kind: str = ""

    @property
    def answerable(self) -> bool:
        return bool(self.articles or self.urls)


def load_questions(path: Path) -> list[Question]:
    """Read a question set, raising ValueError that names the file, and the entry at fault."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a question set (not UTF-8 text)") from None
    if path.suffix == ".jsonl":
        return _jsonl_questions(path, text)
    try:
        entries = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ValueError(f"{path}: not a question set (YAML does not parse{where})") from None
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path}: not a question set (expected a non-empty YAML list of questions)")
    return [_question(path, number, entry) for number, entry in enumerate(entries, start=1)]


def _question(path: Path, number: int, entry: object) -> Question:
    if not isinstance(entry, dict) or not _is_text(entry.get("question")) or not str(entry["question"]).strip():
        raise ValueError(f"{path}: entry {number} has no `question`")
    text, kind = str(entry["question"]), str(entry.get("kind", ""))
    if entry.get("answer") == "none":
        return Question(text, kind=kind)
    articles, force = entry.get("article"), entry.get("force")
    contains, contains_any = entry.get("contains"), entry.get("contains_any")
    words_ok = (contains or contains_any) and all(_texts(w) for w in (contains, contains_any) if w is not None)
    if not articles or not _texts(articles) or not words_ok:
        raise ValueError(
            f"{path}: entry {number} needs `article` (a file name or a list) and `contains` "
            "(or `contains_any`, or `answer: none`)"
        )
    if force is not None and not _is_text(force):
        raise ValueError(f"{path}: entry {number}: `force` must be a force's name")
    return Question(
        text,
        _as_tuple(articles),
        _as_tuple(contains),
        None if force is None else str(force),
        contains_any=_as_tuple(contains_any),
        kind=kind,
    )


def _jsonl_questions(path: Path, text: str) -> list[Question]:
    questions = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: line {number} is not JSON ({exc.msg})") from None
        if not isinstance(entry, dict) or not _is_text(entry.get("q")) or not str(entry["q"]).strip():
            raise ValueError(f"{path}: line {number} has no `q`")
        kind = str(entry.get("kind", ""))
        if entry.get("unanswerable") is True:
            questions.append(Question(str(entry["q"]), kind=kind))
            continue
        urls, contains_any = entry.get("accept_urls"), entry.get("must_contain_any")
        if not urls or not contains_any or not _texts(urls) or not _texts(contains_any):
            raise ValueError(
                f"{path}: line {number} needs `accept_urls` and `must_contain_any` (or `unanswerable: true`)"
            )
        urls, contains_any = _as_tuple(urls), _as_tuple(contains_any)
        questions.append(Question(str(entry["q"]), urls=urls, contains_any=contains_any, kind=kind))
    if not questions:
        raise ValueError(f"{path}: not a question set (no questions in it)")
    return questions


def _is_text(value: object) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _texts(value: object) -> bool:
    return _is_text(value) or (isinstance(value, list) and all(_is_text(v) for v in value))


def _as_tuple(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)
