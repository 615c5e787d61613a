#!/usr/bin/env python3
"""Set up the project in .venv (once, and again when pyproject.toml changes), then run a command.

    python3 dev.py ask "where can I report online grooming?"   # answer from seeds/
    python3 dev.py test                                          # the whole test suite
    python3 dev.py <any python -m bot arguments>                 # e.g. check, eval, run

`test` runs in the project folder (pytest's configuration is there); every other command runs
where you typed it, so relative paths (`--articles my/articles`) and `.env` are read from there.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".installed"


def ensure_environment() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PYTHON.exists():
        return
    if not PYTHON.exists():
        print("Creating .venv ...", file=sys.stderr)
        try:
            venv.create(VENV, with_pip=True)
        except Exception as exc:  # e.g. Debian without python3-venv
            sys.exit(f"could not create .venv ({exc}); install your system's python3-venv package")
    print("Installing the project and its test tools into .venv ...", file=sys.stderr)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    ensure_environment()
    if argv[0] == "test":
        command = [str(PYTHON), "-m", "pytest", *argv[1:]]
    else:
        command = [str(PYTHON), "-m", "bot", *argv]
    return subprocess.call(command, cwd=ROOT if argv[0] == "test" else None)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
