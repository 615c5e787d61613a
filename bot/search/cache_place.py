"""Where an articles folder's saved index lives by default (apart from saved.py, so that finding
out whether there is one imports nothing else)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def default_cache_dir(articles_dir: Path) -> Path:
    """~/.cache/police-news-bot/<hash of the folder's absolute path> (XDG_CACHE_HOME respected)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "police-news-bot"
    return base / hashlib.sha256(str(articles_dir.resolve()).encode()).hexdigest()[:16]
