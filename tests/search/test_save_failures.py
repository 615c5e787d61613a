"""Issue 8, defect 8: a saved index that could not be saved says so. `index` reports the folder
and the OS error and exits 1; `ask` still answers from memory, with a warning; no temporary
folder is left behind, and ones left by earlier crashed saves are cleared."""

from __future__ import annotations

import errno
import io
import logging
import os
from pathlib import Path

import numpy as np
import pytest

from bot.cli import main
from bot.search.library import load_library

BODY = "Officers are warning residents about courier fraud after a rise in phone scams across the county."


@pytest.fixture
def folder(write_article) -> Path:
    write_article("a.txt", body=BODY)
    write_article("b.txt", url="https://www.testshire.police.uk/news/b/", body="Speeding drivers were caught.")
    return write_article.folder


def run(argv: list[str], index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setenv("INDEX_DIR", str(index_dir))
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


def disk_full(*_: object, **__: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_index_into_a_file_fails_with_one_line(folder: Path, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "idx"
    target.write_text("not a folder", encoding="utf-8")
    code, out, err = run(["index", "--articles", str(folder)], target, monkeypatch)
    assert code == 1
    assert "built and saved" not in out
    (line,) = [line for line in err.splitlines() if "could not save" in line]
    assert str(target) in line
    assert target.read_text(encoding="utf-8") == "not a folder"
    assert leftovers(tmp_path) == []


def test_index_under_a_file_fails(folder: Path, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    code, out, err = run(["index", "--articles", str(folder)], blocker / "idx", monkeypatch)
    assert code == 1 and "built and saved" not in out
    assert "Not a directory" in err or "not a folder" in err


def test_full_disk_leaves_no_temporary_folder(folder: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(np, "save", disk_full)
    code, out, err = run(["index", "--articles", str(folder)], tmp_path / "idx", monkeypatch)
    assert code == 1 and "built and saved" not in out
    (line,) = [line for line in err.splitlines() if "could not save" in line]
    assert str(tmp_path / "idx") in line and "No space left on device" in line
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "idx").exists()


def test_read_only_location_fails(folder: Path, tmp_path: Path, monkeypatch) -> None:
    def read_only(self: Path, *_: object, **__: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))

    monkeypatch.setattr(Path, "mkdir", read_only)
    code, out, err = run(["index", "--articles", str(folder)], tmp_path / "idx", monkeypatch)
    assert code == 1 and "built and saved" not in out
    assert "Read-only file system" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_read_only_folder_fails(folder: Path, tmp_path: Path, monkeypatch) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        code, _, err = run(["index", "--articles", str(folder)], parent / "idx", monkeypatch)
    finally:
        parent.chmod(0o755)
    assert code == 1 and "Permission denied" in err


def test_ask_still_answers_with_a_warning(folder: Path, tmp_path: Path, monkeypatch, caplog) -> None:
    monkeypatch.setattr(np, "save", disk_full)
    with caplog.at_level(logging.WARNING):
        library = load_library(folder, index_dir=tmp_path / "idx")
    assert library.index.search("courier fraud")
    assert library.save_error is not None and "No space left on device" in library.save_error
    assert any("could not save" in r.getMessage() for r in caplog.records)
    assert leftovers(tmp_path) == []


def test_stale_temporary_folders_of_crashed_saves_are_removed(folder: Path, tmp_path: Path, monkeypatch) -> None:
    dead = tmp_path / "idx.tmp-999999999"  # no such process
    dead.mkdir()
    (dead / "bodies.txt").write_text("half written", encoding="utf-8")
    old = tmp_path / "idx.old-999999999"
    old.mkdir()
    live = tmp_path / f"idx.tmp-{os.getppid()}"  # a save in progress in a live process: left alone
    live.mkdir()
    code, out, _ = run(["index", "--articles", str(folder)], tmp_path / "idx", monkeypatch)
    assert code == 0 and out.startswith("built and saved")
    assert leftovers(tmp_path) == [live.name]


def test_successful_save_leaves_only_the_index(folder: Path, tmp_path: Path, monkeypatch) -> None:
    for _ in range(2):  # the second replaces nothing (up to date); a third after a change swaps
        assert run(["index", "--articles", str(folder)], tmp_path / "idx", monkeypatch)[0] == 0
    (folder / "b.txt").unlink()
    assert run(["index", "--articles", str(folder)], tmp_path / "idx", monkeypatch)[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles", "idx"]
