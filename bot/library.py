"""Everything the bot answers from, loaded from one articles folder in one step.

The Discord adapter holds one Library and replaces it whole on /reload, so a command never sees
a half-built index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.articles import Article, Problem, load_folder
from bot.directory import Channel, load_directory
from bot.index import Index
from bot.reporting import ChannelIndex
from bot.router import Router
from bot.statements import StatementIndex


@dataclass(frozen=True)
class Library:
    folder: Path
    problems: tuple[Problem, ...]
    index: Index
    statements: StatementIndex
    channels: ChannelIndex
    directory: tuple[Channel, ...]
    router: Router

    @property
    def articles(self) -> tuple[Article, ...]:
        """Newest first."""
        return self.index.articles

    @property
    def forces(self) -> tuple[str, ...]:
        return self.index.forces

    @property
    def date_range(self) -> tuple[datetime, datetime]:
        dates = [a.published for a in self.articles]
        return min(dates), max(dates)


def load_library(folder: Path, channels_file: Path | None = None) -> Library:
    """Load and index an articles folder and the reporting directory (the shipped one unless
    `channels_file` names another). Raises FolderError or DirectoryError."""
    articles, problems = load_folder(folder)
    directory = load_directory(channels_file)
    return Library(
        folder=folder,
        problems=tuple(problems),
        index=Index(articles),
        statements=StatementIndex(articles),
        channels=ChannelIndex(articles),
        directory=directory,
        router=Router(directory),
    )
