"""mypy is clean on the Discord adapter (configured in pyproject.toml), so an override that breaks
a discord.py signature, as `PagedView._refresh` did, fails the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_mypy_is_clean_on_the_discord_adapter() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bot/discord_app" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
