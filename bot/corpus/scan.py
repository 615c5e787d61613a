"""List an articles folder and fingerprint it, with the standard library only.

Starting from a saved index means reading it and checking that no article file changed since,
both about a second for a million passages. Python threads would take turns at them, so this
module also runs as its own process (`python -m bot.corpus.scan ROOT [SALT_FILE ...]`), cheap to start
because it imports nothing heavy: it prints the fingerprint and the file names, NUL-separated.
"""

from __future__ import annotations

import hashlib
import os
import sys

ARTICLE_SUFFIXES = (".txt", ".md")


def article_names(root: str) -> list[str]:
    """Article files under `root` as sorted '/'-separated relative names; hidden ones skipped."""
    found: list[str] = []
    for current, folders, names in os.walk(root):
        folders[:] = [f for f in folders if not f.startswith(".")]
        prefix = os.path.relpath(current, root).replace(os.sep, "/") + "/"
        prefix = "" if prefix == "./" else prefix
        found += [prefix + n for n in names if not n.startswith(".") and n.lower().endswith(ARTICLE_SUFFIXES)]
    found.sort()
    return found


def file_size(path: str | os.PathLike) -> int:
    """A file's size; 0 for one that cannot be statted (a dangling or looping symlink)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def fingerprint(root: str, names: list[str], salt_files: list[str]) -> str:
    """Changes when a file is added, removed, renamed, resized or touched, or a salt file changes."""
    digest = hashlib.sha256()
    for path in salt_files:
        with open(path, "rb") as handle:
            digest.update(handle.read())
    lines = []
    for name in names:
        try:
            stat = os.stat(os.path.join(root, name))
        except OSError:  # a dangling or looping symlink: the loader reports it
            lines.append(f"{name}\0unreadable\n")
            continue
        lines.append(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n")
    digest.update("".join(lines).encode())
    return digest.hexdigest()


def main(argv: list[str]) -> int:
    root, salt_files = argv[0], argv[1:]
    names = article_names(root)
    sys.stdout.write("\0".join([fingerprint(root, names, salt_files), *names]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
