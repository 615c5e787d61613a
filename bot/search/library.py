"""Everything the bot answers from, loaded from one articles folder in one step.

The Discord adapter holds one Library and replaces it whole on /reload, so a command never sees
a half-built index. A folder is indexed once and the index saved (see saved.py); later loads
read the saved index unless an article file was added, changed or removed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.corpus.articles import Article, Problem, article_files, check_folder, load_articles, require_articles
from bot.engine.postings import IndexCacheError
from bot.engine.store import OtherVersion
from bot.search import semantic
from bot.search.cache_place import default_cache_dir
from bot.search.index import Index

if TYPE_CHECKING:  # imported where used: answering a question needs none of them
    from bot.safeguarding.directory import Channel
    from bot.safeguarding.reporting import ChannelIndex
    from bot.safeguarding.router import Router
    from bot.search.statements import StatementIndex

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Library:
    folder: Path
    problems: tuple[Problem, ...]
    index: Index
    statements: StatementIndex
    channels: ChannelIndex
    directory: tuple[Channel, ...]
    router: Router
    from_cache: bool = False
    save_error: str | None = None  # why the index just built could not be saved, if it could not

    @property
    def articles(self) -> Sequence[Article]:
        """Newest first (from a saved index, each Article is made when first used)."""
        return self.index.articles

    @property
    def forces(self) -> tuple[str, ...]:
        return self.index.forces

    @property
    def date_range(self) -> tuple[datetime, datetime]:
        dates = [a.published for a in self.articles]
        return min(dates), max(dates)


def _bar(show: bool, description: str, unit: str):
    """Wrap an iterable in a progress bar (count and rate) on a terminal, when asked to."""

    def wrap(items: Sequence) -> Iterable:
        if not show:
            return iter(items)
        from tqdm import tqdm  # only where a bar is shown: importing it costs start-up time

        return tqdm(items, desc=description, unit=unit, disable=None, leave=False, dynamic_ncols=True)

    return wrap


@dataclass(frozen=True)
class Indexed:
    """What `load_index` found: the index, and the statement and mention indexes when they were
    saved with it or had to be made to save them (None otherwise)."""

    index: Index
    problems: tuple[Problem, ...]
    statements: StatementIndex | None = None
    channels: ChannelIndex | None = None
    from_cache: bool = False
    save_error: str | None = None


def load_library(
    folder: Path,
    channels_file: Path | None = None,
    *,
    index_dir: Path | None = None,
    use_cache: bool = True,
    progress: bool = False,
) -> Library:
    """Load an articles folder and the reporting directory (the shipped one unless
    `channels_file` names another).

    With `use_cache`, the index is read from (or saved to) `index_dir`, by default a folder in
    the user's cache directory: even three articles load faster from it than they index, the
    embedding model's tokenizer and the sentence splitter not being needed. Raises FolderError or
    DirectoryError; a damaged cache is rebuilt with a warning."""
    from bot.safeguarding.directory import load_directory
    from bot.safeguarding.reporting import ChannelIndex
    from bot.safeguarding.router import Router
    from bot.search.statements import StatementIndex

    check_folder(folder)
    semantic.preload()
    directory = load_directory(channels_file)
    found = load_index(folder, index_dir=index_dir, use_cache=use_cache, progress=progress, companions=True)
    articles = found.index.articles
    statements = StatementIndex(articles) if found.statements is None else found.statements
    channels = ChannelIndex(articles) if found.channels is None else found.channels
    return Library(
        folder,
        found.problems,
        found.index,
        statements,
        channels,
        directory,
        Router(directory),
        found.from_cache,
        found.save_error,
    )


def load_index(
    folder: Path,
    *,
    index_dir: Path | None = None,
    use_cache: bool = True,
    progress: bool = False,
    companions: bool = False,
) -> Indexed:
    """The passage index of an articles folder, as `load_library` loads it, without what only
    the Discord bot uses (the reporting directory; the statement and mention indexes, unless
    they are just made to be saved, or read from a saved index with `companions`): what `ask`
    and `eval` need."""
    check_folder(folder)
    semantic.preload()
    saved = index_dir or default_cache_dir(folder)
    opened, files, stamp = None, None, ""
    if use_cache and (saved / "manifest.json").exists():
        from bot.search import saved as cache

        # Check the folder for changes in another process while the saved index is read here.
        scanning = cache.scan_in_background(folder, saved)
        try:
            opened = cache.open_cache(saved, folder, companions)
        except OtherVersion as exc:
            log.info("rebuilding the saved index: %s", exc)
        except IndexCacheError as exc:
            log.warning("the saved index is damaged and will be rebuilt: %s", exc)
        names, stamp = cache.scan_result(scanning, folder)
        if opened is not None and opened.manifest["fingerprint"] == stamp:
            try:
                index, problems, statements, channels = cache.assemble(opened, folder)
                return Indexed(index, problems, statements, channels, from_cache=True)
            except IndexCacheError as exc:
                log.warning("the saved index is damaged and will be rebuilt: %s", exc)
        elif opened is not None:
            log.info("articles changed since the index in %s was saved; rebuilding", saved)
        root = os.fspath(folder)
        files = [Path(os.path.join(root, name)) for name in names]
    if files is None:
        files = article_files(folder)
        if use_cache:
            from bot.search import saved as cache

            stamp = cache.fingerprint(folder, files)
    articles, rejected = load_articles(_bar(progress, "Reading articles", "file")(files))
    require_articles(folder, articles, rejected)
    problems = tuple(rejected)
    index = Index(articles, progress=_bar(progress, "Indexing passages", "article"))
    if not use_cache:
        return Indexed(index, problems)
    from bot.safeguarding.reporting import ChannelIndex
    from bot.search.statements import StatementIndex

    statements, channels = StatementIndex(articles), ChannelIndex(articles)
    save_error = None
    try:
        cache.save(saved, stamp, folder, index, problems, statements, channels)
    except OSError as exc:
        save_error = f"could not save the index to {saved}: {exc.strerror or exc}"
        log.warning("%s; answering from memory, and it will be rebuilt next time", save_error)
    return Indexed(index, problems, statements, channels, save_error=save_error)
