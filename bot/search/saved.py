"""The saved index: a large corpus is parsed, split and indexed once, then loaded in seconds.

The cache is a folder (by default in the user's cache directory, one per articles folder; or
INDEX_DIR). It is used only while its fingerprint still matches: the articles folder's files
(names, sizes, modification times), the word lists and the indexing code. Anything else (an
added, changed or removed article, a new version of the bot) means a rebuild. Every file in it
carries a size and CRC-32 in the manifest, so a truncated or corrupt cache is detected and
rebuilt, never trusted.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot.corpus import scan
from bot.corpus.articles import Problem, article_files
from bot.corpus.tokens import DATA_DIR
from bot.engine import store
from bot.engine.postings import IndexCacheError
from bot.engine.ranking import Ranker
from bot.search.article_records import ArticleRecords, article_records
from bot.search.cache_place import default_cache_dir
from bot.search.index import Index, PassageList

if TYPE_CHECKING:  # imported where used: answering a question needs neither
    from bot.safeguarding.reporting import ChannelIndex
    from bot.search.statements import StatementIndex

log = logging.getLogger(__name__)
__all__ = ["default_cache_dir"]  # re-exported: callers ask saved.py where the index is

# 2: store.py's manifest, duplicate groups; 3: list lead-ins; 4: article records; 5: meaning vectors;
# 6: article meaning vectors
FORMAT, VERSION = "police-news-index", 6
# The code whose change means a rebuild: everything that reads, splits, tokenizes or indexes.
_CODE = ("corpus", "engine", "search", "safeguarding")
_ARRAYS = ("article_of", "starts", "ends", "groups", "lead_starts", "lead_ends", "meanings")
SCAN_APART_FILES = 2000  # from this many articles, the folder is checked for changes in another process
_OUR_NAMES = frozenset(  # what a saved index of this version or an earlier one holds
    {"manifest.json", "articles.json", "articles.jsonl", "bodies.txt", "forces.json", "article_offsets.npy"}
    | {"article_force.npy", "article_meanings.npy", "problems.json", "statements.json", "mentions.json"}
    | {f"{name}.npy" for name in _ARRAYS}
    | {"passages", "statements", "mentions"}
)


def salt_files() -> list[str]:
    """The files besides the articles whose change means the saved index is out of date."""
    package = Path(__file__).resolve().parent.parent
    code = [path for name in _CODE for path in sorted((package / name).glob("*.py"))]
    return [os.fspath(p) for p in [*code, *sorted(DATA_DIR.glob("*.txt"))]]


def fingerprint(directory: Path, files: Sequence[Path]) -> str:
    """Changes whenever a rebuild would give a different index (see bot/scan.py)."""
    root = os.fspath(directory)
    return scan.fingerprint(root, [os.path.relpath(p, root).replace(os.sep, "/") for p in files], salt_files())


def scan_in_background(directory: Path, cache: Path) -> subprocess.Popen | None:
    """Start `python -m bot.corpus.scan` on the folder, so it runs on another core while the saved
    index is read; None (the caller then scans in-process) if the index was saved from fewer
    than SCAN_APART_FILES articles, which take less time to scan than a process to start, or
    if a process cannot be started."""
    try:
        articles = json.loads((cache / store.MANIFEST).read_bytes())["counts"]["articles"]
        if isinstance(articles, int) and articles < SCAN_APART_FILES:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no count (or no readable manifest, which open_cache reports): as a large folder
    package_parent = os.fspath(Path(__file__).resolve().parent.parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")]))}
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "bot.corpus.scan", os.fspath(directory), *salt_files()],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
    except OSError:
        return None


def scan_result(process: subprocess.Popen | None, directory: Path) -> tuple[list[str], str]:
    """The folder's article files ('/'-separated names relative to it: making Path objects of
    80,000 names takes a second) and its fingerprint, from the background scan or in-process."""
    if process is not None:
        out, _ = process.communicate()
        if process.returncode == 0 and out:
            stamp, *names = out.decode("utf-8", "surrogateescape").split("\0")
            return names, stamp
    files = article_files(directory)
    root = os.fspath(directory)
    return [os.path.relpath(p, root).replace(os.sep, "/") for p in files], fingerprint(directory, files)


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
    meta, bodies, offsets, forces, force_of = article_records(index.articles, directory)
    documents = {
        "forces.json": forces,
        "problems.json": [[p.path.relative_to(directory).as_posix(), p.reason] for p in problems],
        "statements.json": [[position[id(s.article)], s.speaker, s.start, s.end] for s in statements.statements],
        "mentions.json": [[position[id(m.article)], m.contact, m.sentence] for m in channels.mentions],
    }
    with store.replacing(cache) as work:
        (work / "articles.jsonl").write_bytes(meta)
        (work / "bodies.txt").write_bytes(bodies)
        np.save(work / "article_offsets.npy", offsets)
        np.save(work / "article_force.npy", force_of)
        np.save(work / "article_meanings.npy", index.article_meanings.vectors)
        for name, value in documents.items():
            (work / name).write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        for name in _ARRAYS:
            np.save(work / f"{name}.npy", getattr(index.passages, name))
        index.ranker.save(work / "passages")
        statements.ranker.save(work / "statements")
        channels.ranker.save(work / "mentions")
        counts = {
            "articles": len(index.articles),
            "passages": len(index.passages),
            "statements": len(statements.statements),
            "mentions": len(channels.mentions),
        }
        store.write_manifest(work, {"format": FORMAT, "version": VERSION, "fingerprint": stamp, "counts": counts})


def read_manifest(cache: Path) -> dict | None:
    """The cache's manifest, or None if there is no cache there; raises store.OtherVersion for
    one written by another version of the bot, IndexCacheError for a damaged one."""
    manifest = store.read_manifest(cache, FORMAT, VERSION)
    if manifest is None:
        return None
    counts = manifest.get("counts")
    well_formed = (
        isinstance(manifest.get("fingerprint"), str)
        and isinstance(counts, dict)
        and all(isinstance(counts.get(key), int) for key in ("passages", "statements", "mentions"))
    )
    if not well_formed:
        raise IndexCacheError(f"{cache / store.MANIFEST}: damaged manifest")
    return manifest


@dataclass(frozen=True)
class Opened:
    """A cache's contents, checked and read, before they become Articles (see `assemble`)."""

    manifest: dict
    articles: ArticleRecords
    problems: list
    arrays: list[np.ndarray]
    article_meanings: np.ndarray
    passages: Ranker
    companions: tuple[list, Ranker, list, Ranker] | None  # statements and mentions, when read


def open_cache(cache: Path, directory: Path, companions: bool = True) -> Opened | None:
    """Check and read the cache of the articles folder `directory` (None if there is none), the
    statement and mention indexes only with `companions`; raise IndexCacheError if it is damaged.

    This is the I/O half of loading, safe to run in a thread while the articles folder is
    scanned for changes."""
    manifest = read_manifest(cache)
    if manifest is None:
        return None
    try:
        counts = manifest["counts"]
        with ThreadPoolExecutor(max_workers=2) as pool:
            # The postings and the meaning vectors (the largest parts, file reads and CRCs, which
            # release the interpreter) are checked meanwhile; the vectors are then memory-mapped,
            # so only the pages questions touch take memory.
            passages = pool.submit(Ranker.load, cache / "passages", counts["passages"])
            meanings = pool.submit(store.checked_path, cache, manifest, "meanings.npy")
            for name in manifest["files"]:
                if not (cache / name).is_file():
                    raise IndexCacheError(f"{cache / name}: missing")

            def checked(name: str) -> bytes:
                return store.checked_bytes(cache, manifest, name)

            articles = ArticleRecords(
                directory,
                checked("articles.jsonl"),
                checked("bodies.txt"),
                np.load(io.BytesIO(checked("article_offsets.npy"))),
                json.loads(checked("forces.json")),
                np.load(io.BytesIO(checked("article_force.npy"))),
            )
            problems = json.loads(checked("problems.json"))
            arrays = [
                np.load(meanings.result(), mmap_mode="r")
                if name == "meanings"
                else np.load(io.BytesIO(checked(f"{name}.npy")))
                for name in _ARRAYS
            ]
            article_meanings = np.load(io.BytesIO(checked("article_meanings.npy")))
            more = None
            if companions:
                more = (
                    json.loads(checked("statements.json")),
                    Ranker.load(cache / "statements", counts["statements"]),
                    json.loads(checked("mentions.json")),
                    Ranker.load(cache / "mentions", counts["mentions"]),
                )
            return Opened(manifest, articles, problems, arrays, article_meanings, passages.result(), more)
    except (OSError, KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, IndexCacheError):
            raise
        raise IndexCacheError(f"{cache}: unreadable ({type(exc).__name__}: {exc})") from None


def assemble(
    opened: Opened, directory: Path
) -> tuple[Index, tuple[Problem, ...], StatementIndex | None, ChannelIndex | None]:
    """The index and its companions (None if not read) from a cache read by `open_cache` whose
    fingerprint matches the folder; raises IndexCacheError if the parts do not fit together."""
    articles = opened.articles
    statements, channels = None, None
    try:
        problems = tuple(Problem(directory / path, reason) for path, reason in opened.problems)
        arrays = dict(zip(_ARRAYS, opened.arrays))
        index = Index.restore(
            articles, PassageList(articles, **arrays), opened.passages, opened.article_meanings, articles.forces
        )
        if opened.companions is not None:
            from bot.safeguarding.reporting import ArticleChannel, ChannelIndex
            from bot.search.statements import Statement, StatementIndex

            said, statement_ranker, mentioned, mention_ranker = opened.companions
            statements = StatementIndex.restore(
                [
                    Statement(articles[a], speaker, articles[a].body[start:end], start, end)
                    for a, speaker, start, end in said
                ],
                statement_ranker,
            )
            channels = ChannelIndex.restore(
                [ArticleChannel(contact, sentence, articles[a]) for a, contact, sentence in mentioned], mention_ranker
            )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        if isinstance(exc, IndexCacheError):
            raise
        raise IndexCacheError(f"unreadable saved index ({type(exc).__name__}: {exc})") from None
    if len(index.passages) != opened.manifest["counts"]["passages"]:
        raise IndexCacheError("passage arrays do not match the index")
    return index, problems, statements, channels
