"""A folder of files saved whole or not at all, and read back only if every byte checks.

Writing happens in a temporary sibling folder (`NAME.tmp-PID`) that is swapped into place when
complete, so a reader never sees half a folder; a failed write removes it, and one left by a
process that died is removed by the next write. The manifest gives each file's size and CRC-32:
zlib's crc32 runs at GB/s, so checking every byte costs a fraction of reading them, and a sampled
check could let a flipped byte in a posting through, which would give silently wrong answers.
Files are not fsynced: a crash may leave a bad file, which the check then rejects.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MANIFEST = "manifest.json"


class StoreError(ValueError):
    """A saved folder is missing, truncated, corrupt or unreadable."""


class OtherVersion(StoreError):
    """A saved folder written in another format or by another version: rebuild it, no alarm."""


def checksum(path: Path) -> int:
    """CRC-32 of a whole file."""
    crc, buf = 0, bytearray(1 << 23)
    with open(path, "rb") as fh:
        while n := fh.readinto(buf):
            crc = zlib.crc32(memoryview(buf)[:n], crc)
    return crc


def write_manifest(folder: Path, header: dict) -> None:
    """Write `header` plus the size and CRC-32 of every file in `folder` as its manifest."""
    files = {
        p.name: {"size": p.stat().st_size, "crc32": checksum(p)}
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != MANIFEST
    }
    (folder / MANIFEST).write_text(json.dumps({**header, "files": files}, indent=1), encoding="utf-8")


def read_manifest(folder: Path, fmt: object, version: int) -> dict | None:
    """The folder's manifest, or None if it has none; raises OtherVersion if it was written in
    another format or version, StoreError if it is damaged."""
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path}: unreadable manifest ({exc})") from None
    if not isinstance(manifest, dict):
        raise StoreError(f"{path}: damaged manifest")
    if manifest.get("format") != fmt or manifest.get("version") != version:
        found = (manifest.get("format"), manifest.get("version"))
        raise OtherVersion(
            f"{path}: written by another version of the bot (format, version {found}, not {(fmt, version)})"
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(f, dict) and isinstance(f.get("size"), int) and isinstance(f.get("crc32"), int)
        for f in files.values()
    ):
        raise StoreError(f"{path}: damaged manifest")
    return manifest


def checked_path(folder: Path, manifest: dict, name: str) -> Path:
    """`folder/name` after checking its size and CRC-32 against the manifest."""
    path, spec = folder / name, manifest["files"].get(name)
    if spec is None:
        raise StoreError(f"{path}: not in the manifest")
    try:
        if not path.is_file() or path.stat().st_size != spec["size"]:
            raise StoreError(f"{path}: missing or wrong size (truncated?)")
        if checksum(path) != spec["crc32"]:
            raise StoreError(f"{path}: checksum mismatch (corrupt)")
    except OSError as exc:
        raise StoreError(f"{path}: unreadable ({exc})") from None
    return path


def checked_bytes(folder: Path, manifest: dict, name: str) -> bytes:
    """The bytes of `folder/name`, read once and checked against the manifest."""
    path, spec = folder / name, manifest["files"].get(name)
    if spec is None:
        raise StoreError(f"{path}: not in the manifest")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"{path}: unreadable ({exc})") from None
    if len(data) != spec["size"] or zlib.crc32(data) != spec["crc32"]:
        raise StoreError(f"{path}: truncated or corrupt")
    return data


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process
        return True
    return True


def remove_stale(target: Path) -> None:
    """Remove `target`'s temporary siblings left by writers that are no longer running."""
    pattern = re.compile(rf"{re.escape(target.name)}\.(?:tmp|old)-(\d+)")
    try:
        siblings = list(target.parent.iterdir())
    except OSError:
        return
    for sibling in siblings:
        match = pattern.fullmatch(sibling.name)
        if match and int(match.group(1)) != os.getpid() and not _alive(int(match.group(1))):
            shutil.rmtree(sibling, ignore_errors=True)


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A new empty folder to write into; on success it replaces `target` in one rename (the old
    one is then removed), on any error it is removed and the error raised. OSError if the
    folder cannot be made (read-only location, a file in the way, a full disk)."""
    target = Path(target)
    remove_stale(target)
    work = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    try:
        work.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a folder should be
        raise NotADirectoryError(errno.ENOTDIR, "Not a directory (a file is in the way)", str(work.parent)) from None
    work.mkdir()
    try:
        yield work
        old = target.with_name(f"{target.name}.old-{os.getpid()}")
        if target.exists():
            target.rename(old)
        try:
            work.rename(target)
        except BaseException:
            if old.exists() and not target.exists():
                old.rename(target)
            raise
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
