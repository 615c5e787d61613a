"""The tools CI relies on, run as part of the suite: ruff's lint and format, and mypy over bot/
(configured in pyproject.toml), so that an override that breaks a discord.py signature, as
`PagedView._refresh` did, fails the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "bot", "tests"],
        ["ruff", "format", "--check", "bot", "tests"],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_tool_is_clean(command: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_checks_all_of_bot_and_types_every_def_in_the_adapter() -> None:
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'files = ["bot"]' in config
    assert 'module = ["bot.discord_app.*"]\ndisallow_untyped_defs = true' in config
