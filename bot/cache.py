"""The saved index: a large corpus is parsed, split and indexed once, then loaded in seconds.

The cache is a folder (by default in the user's cache directory, one per articles folder; or
INDEX_DIR). It is used only while its fingerprint still matches: the articles folder's files
(names, sizes, modification times), the word lists and the indexing code. Anything else (an
added, changed or removed article, a new version of the bot) means a rebuild. Every file in it
carries a size and CRC-32 in the manifest, so a truncated or corrupt cache is detected and
rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from bot.articles import Article, Problem
from bot.index import Index, PassageList
from bot.postings import IndexCacheError
from bot.ranking import Ranker
from bot.reporting import ArticleChannel, ChannelIndex
from bot.statements import Statement, StatementIndex
from bot.tokens import DATA_DIR

log = logging.getLogger(__name__)

FORMAT = 1
_CODE = ("articles.py", "passages.py", "tokens.py", "index.py", "statements.py", "reporting.py", "postings.py")
_ARRAYS = ("article_of", "starts", "ends")
_OUR_NAMES = frozenset(
    {"manifest.json", "articles.json", "bodies.txt", "problems.json", "statements.json", "mentions.json"}
    | {f"{name}.npy" for name in _ARRAYS}
    | {"passages", "statements", "mentions"}
)


def default_cache_dir(articles_dir: Path) -> Path:
    """~/.cache/police-news-bot/<hash of the folder's absolute path> (XDG_CACHE_HOME respected)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "police-news-bot"
    return base / hashlib.sha256(str(articles_dir.resolve()).encode()).hexdigest()[:16]


def fingerprint(directory: Path, files: Sequence[Path]) -> str:
    """Changes whenever a rebuild would give a different index."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    package = Path(__file__).parent
    for path in [*(package / name for name in _CODE), *sorted(DATA_DIR.glob("*.txt"))]:
        digest.update(path.read_bytes())
    skip = len(os.fspath(directory).rstrip(os.sep)) + 1
    lines = []
    for path in files:
        name = os.fspath(path)
        stat = os.stat(name)
        lines.append(f"{name[skip:]}\0{stat.st_size}\0{stat.st_mtime_ns}\n")
    digest.update("".join(lines).encode())
    return digest.hexdigest()


def _crc(path: Path) -> int:
    crc = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            crc = zlib.crc32(chunk, crc)
    return crc


def _article_record(article: Article, directory: Path) -> list:
    """An article's metadata; bodies are stored apart, in one text file (faster to read)."""
    fields = (article.title, article.url, article.force, article.published.isoformat(), article.description)
    return [article.path.relative_to(directory).as_posix(), *fields, article.image, len(article.body)]


def save(
    cache: Path,
    stamp: str,
    directory: Path,
    index: Index,
    problems: Sequence[Problem],
    statements: StatementIndex,
    channels: ChannelIndex,
) -> None:
    """Write the cache to a new folder, then swap it in, so a crash never leaves half a cache.

    Raises OSError, without touching it, if `cache` is anything but an earlier saved index or an
    empty folder: INDEX_DIR pointed at someone's folder must not be wiped."""
    cache = cache.resolve()
    if cache.parent == cache:
        raise OSError(f"{cache} is a filesystem root, not a folder for the saved index")
    if cache.is_file() or (cache.is_dir() and not {p.name for p in cache.iterdir()} <= _OUR_NAMES):
        raise OSError(f"{cache} exists and is not a saved index; not overwriting it")
    position = {id(article): number for number, article in enumerate(index.articles)}
    work = cache.with_name(f"{cache.name}.tmp-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    documents = {
        "articles.json": [_article_record(a, directory) for a in index.articles],
        "problems.json": [[p.path.relative_to(directory).as_posix(), p.reason] for p in problems],
        "statements.json": [[position[id(s.article)], s.speaker, s.start, s.end] for s in statements.statements],
        "mentions.json": [[position[id(m.article)], m.contact, m.sentence] for m in channels.mentions],
    }
    (work / "bodies.txt").write_text("".join(a.body for a in index.articles), encoding="utf-8", newline="")
    for name, value in documents.items():
        (work / name).write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    for name in _ARRAYS:
        np.save(work / f"{name}.npy", getattr(index.passages, name))
    index.ranker.save(work / "passages")
    statements.ranker.save(work / "statements")
    channels.ranker.save(work / "mentions")
    files = {p.name: {"size": p.stat().st_size, "crc32": _crc(p)} for p in sorted(work.iterdir()) if p.is_file()}
    counts = {
        "passages": len(index.passages),
        "statements": len(statements.statements),
        "mentions": len(channels.mentions),
    }
    manifest = {"format": FORMAT, "fingerprint": stamp, "files": files, "counts": counts}
    (work / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    old = cache.with_name(f"{cache.name}.old-{os.getpid()}")
    if cache.exists():
        cache.rename(old)
    work.rename(cache)
    shutil.rmtree(old, ignore_errors=True)


def read_manifest(cache: Path) -> dict | None:
    """The cache's manifest, or None if there is no cache there."""
    path = cache / "manifest.json"
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCacheError(f"{path}: unreadable manifest ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexCacheError(f"{path}: written by another version of the bot")
    files, counts = manifest.get("files"), manifest.get("counts")
    well_formed = (
        isinstance(manifest.get("fingerprint"), str)
        and isinstance(files, dict)
        and all(isinstance(f, dict) and isinstance(f.get("size"), int) and isinstance(f.get("crc32"), int)
                for f in files.values())
        and isinstance(counts, dict)
        and all(isinstance(counts.get(key), int) for key in ("passages", "statements", "mentions"))
    )  # fmt: skip
    if not well_formed:
        raise IndexCacheError(f"{path}: damaged manifest")
    return manifest


@dataclass(frozen=True)
class Opened:
    """A cache's contents, checked and read, before they become Articles (see `assemble`)."""

    manifest: dict
    records: list
    bodies: list[str]  # one per record
    problems: list
    arrays: list[np.ndarray]
    statements: list
    mentions: list
    rankers: tuple[Ranker, Ranker, Ranker]


def open_cache(cache: Path) -> Opened | None:
    """Check and read a cache (None if there is none); raise IndexCacheError if it is damaged.

    This is the I/O half of loading, safe to run in a thread while the articles folder is
    scanned for changes."""
    manifest = read_manifest(cache)
    if manifest is None:
        return None
    try:
        for name, expected in manifest["files"].items():
            path = cache / name
            if not path.is_file() or path.stat().st_size != expected["size"] or _crc(path) != expected["crc32"]:
                raise IndexCacheError(f"{path}: missing, truncated or corrupt")
        counts = manifest["counts"]

        def read(name: str) -> list:
            return json.loads((cache / name).read_text(encoding="utf-8"))

        records = read("articles.json")
        with (cache / "bodies.txt").open(encoding="utf-8", newline="") as handle:
            text = handle.read()
        ends = np.cumsum([r[-1] for r in records], dtype=np.int64).tolist()
        if (ends[-1] if ends else 0) != len(text):
            raise IndexCacheError(f"{cache}: article bodies do not match their lengths")
        bodies = [text[end - r[-1] : end] for r, end in zip(records, ends)]
        del text
        return Opened(
            manifest,
            records,
            bodies,
            read("problems.json"),
            [np.load(cache / f"{name}.npy") for name in _ARRAYS],
            read("statements.json"),
            read("mentions.json"),
            (
                Ranker.load(cache / "passages", counts["passages"]),
                Ranker.load(cache / "statements", counts["statements"]),
                Ranker.load(cache / "mentions", counts["mentions"]),
            ),
        )
    except (OSError, KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, IndexCacheError):
            raise
        raise IndexCacheError(f"{cache}: unreadable ({type(exc).__name__}: {exc})") from None


def assemble(
    opened: Opened, directory: Path, files: Sequence[Path]
) -> tuple[Index, tuple[Problem, ...], StatementIndex, ChannelIndex]:
    """The index and its companions from a cache read by `open_cache` whose fingerprint
    matches `files`; raises IndexCacheError if the parts do not fit together."""
    try:
        skip = len(os.fspath(directory).rstrip(os.sep)) + 1
        paths = {os.fspath(path)[skip:]: path for path in files}  # reuse: building Paths is slow
        articles = [
            Article(paths[path], title, url, force, datetime.fromisoformat(date), body, text, image)
            for (path, title, url, force, date, text, image, _), body in zip(opened.records, opened.bodies)
        ]
        problems = tuple(Problem(directory / path, reason) for path, reason in opened.problems)
        passages, statement_ranker, mention_ranker = opened.rankers
        index = Index.restore(articles, PassageList(articles, *opened.arrays), passages)
        statements = StatementIndex.restore(
            [
                Statement(articles[a], speaker, articles[a].body[start:end], start, end)
                for a, speaker, start, end in opened.statements
            ],
            statement_ranker,
        )
        channels = ChannelIndex.restore(
            [ArticleChannel(contact, sentence, articles[a]) for a, contact, sentence in opened.mentions],
            mention_ranker,
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        if isinstance(exc, IndexCacheError):
            raise
        raise IndexCacheError(f"unreadable saved index ({type(exc).__name__}: {exc})") from None
    if len(index.passages) != opened.manifest["counts"]["passages"]:
        raise IndexCacheError("passage arrays do not match the index")
    return index, problems, statements, channels
