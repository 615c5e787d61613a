"""The saved index, end to end through `load_library`: built and saved once, then loaded with the
very same articles, passages, problems, search results, statements and channel mentions; rebuilt
when an article is added, removed, changed or renamed; rebuilt (with a warning) when the saved
files are damaged; and never a reason for a load to fail."""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from bot.cli import main
from bot.corpus.forces import UnknownForce
from bot.search import saved as cache
from bot.search.library import Library, load_library

ARTICLES = {
    "scams.txt": dict(
        title="Police warn about courier fraud | Staffordshire Police",
        url="https://www.staffordshire.police.uk/news/courier-fraud/",
        area="Staffordshire",
        date="09:30 01/02/2021",
        body=(
            "Officers are warning elderly residents about courier fraud after a rise in phone scams across the county. "
            "Fraudsters pretend to be police officers or bank staff and ask victims to hand over cash or bank cards "
            "to a courier who calls at their home. Genuine officers will never ask you to withdraw money or hand "
            "over your card, and your bank will never send someone to collect it.\n\n"
            'Detective Inspector Simon Caton, from the economic crime unit, said: "These criminals are ruthless and '
            'target the most vulnerable people in our communities."\n\n'
            '"Please talk to older relatives and neighbours about this scam."\n\n'
            "If you think you have been targeted, report it to Action Fraud on 0300 123 2040 or online at "
            "www.actionfraud.police.uk and call 101 to speak to officers."
        ),
    ),
    "grooming.md": dict(
        title="Keeping children safe online | West Mercia Police",
        url="https://www.westmercia.police.uk/news/online-safety/",
        area="West Mercia",
        date="16:40 08/04/2020",
        body=(
            "With schools closed, children are spending more time online and offenders may try to groom them.\n\n"
            "Parents can report concerns about online grooming to CEOP at www.ceop.police.uk/safety-centre, "
            "where Child Protection Advisors can help.\n\n"
            'Superintendent Jane Smith said: "Online grooming is a crime and we will pursue offenders."\n\n'
            "Anyone worried about their own thoughts can get confidential support from Stop It Now on 0808 1000 900."
        ),
    ),
    "speeding.txt": dict(
        title="Speeding drivers caught on rural roads",
        url="https://www.testshire.police.uk/news/speeding/",
        area="Testshire",
        date="2021-06-15T10:00:00",
        body=(
            "A speed enforcement operation on rural roads caught forty drivers over the limit in one weekend.\n\n"
            '"Speeding costs lives on our country lanes," said Sergeant Alan Brown.\n\n'
            "Residents can report dangerous driving through the community speedwatch scheme."
        ),
    ),
    "sub/burglary.txt": dict(
        title="Burglary prevention advice for the holidays | Staffordshire Police",
        url="https://www.staffordshire.police.uk/news/burglary-advice/",
        area="Staffordshire",
        date="12:00 20/12/2020",
        body=(
            "Burglars target homes that look empty over the holidays. Leave a light on a timer, lock windows and "
            "doors, and keep presents out of sight.\n\n"
            "Ask a trusted neighbour to collect your post while you are away.\n\n"
            "You can get free crime prevention advice from Neighbourhood Watch at www.ourwatch.org.uk."
        ),
    ),
    # Same address as scams.txt (which sorts first), so it is rejected as a duplicate.
    "zz_copy.txt": dict(
        title="A copy of the courier fraud article",
        url="https://www.staffordshire.police.uk/news/courier-fraud",
        area="Staffordshire",
        date="09:30 01/02/2021",
        body="The same address as the courier fraud article.",
    ),
}
BROKEN = {"broken.txt": "no header at all, just text\n"}

QUESTIONS = (
    "courier fraud",
    "report online grooming",
    "speeding on rural roads",
    "burglary advice for the holidays",
    "staffs police scams",
    "how do I renew my passport",
)
FORCE_QUESTIONS = (("advice", "staffs"), ("report", "West Mercia"), ("drivers", "Testshire"))
TOPICS = (None, "grooming", "speeding", "fraud")

Writer = Callable[..., Path]


def write_corpus(write_article: Writer) -> Path:
    (write_article.folder / "sub").mkdir(exist_ok=True)
    for name, fields in ARTICLES.items():
        write_article(name, **fields)
    for name, text in BROKEN.items():
        write_article(name, text)
    return write_article.folder


@pytest.fixture
def folder(write_article: Writer) -> Path:
    return write_corpus(write_article)


@pytest.fixture
def idx(tmp_path: Path) -> Path:
    return tmp_path / "idx"


def load(folder: Path, idx: Path | None = None) -> Library:
    """A load that saves the index however small the corpus (the test corpora are tiny)."""
    return load_library(folder, index_dir=idx)


def hits(library: Library, question: str, force: str | None = None) -> list[tuple] | str:
    try:
        found = library.index.search(question, k=5, force=force)
    except UnknownForce as exc:
        return str(exc)
    return [
        (
            h.rank,
            h.score,
            h.passage.text,
            h.passage.start,
            h.passage.end,
            h.passage.index,
            h.passage.article.path,
            tuple(sorted(h.terms)),
            tuple((p.article.path, p.start, p.end) for p in h.also),
        )
        for h in found
    ]


def snapshot(library: Library) -> dict:
    """Everything a library answers with, as plain values (so a diff is readable)."""
    return {
        "articles": [
            (a.path, a.title, a.url, a.force, a.published, a.body, a.description, a.image) for a in library.articles
        ],
        "forces": library.forces,
        "date_range": library.date_range,
        "passages": [(p.text, p.start, p.end, p.index, p.article.path) for p in library.index.passages],
        "problems": [(p.path.name, p.reason) for p in library.problems],
        "search": {q: hits(library, q) for q in QUESTIONS},
        "search_force": {(q, f): hits(library, q, f) for q, f in FORCE_QUESTIONS},
        "statements": [(s.article.path, s.speaker, s.text, s.start, s.end) for s in library.statements.statements],
        "statement_find": {
            (t, f): [(s.speaker, s.text) for s in library.statements.find(t, force=f)]
            for t in TOPICS
            for f in (None, "staffs")
        },
        "mentions": [(m.contact, m.sentence, m.article.path) for m in library.channels.mentions],
        "channel_find": {t: [(c.contact, c.sentence) for c in library.channels.find(t)] for t in TOPICS},
    }


def fresh(folder: Path) -> dict:
    """What a load without any saved index gives: the reference for every cached load."""
    return snapshot(load_library(folder, use_cache=False))


def urls(library: Library) -> set[str]:
    return {a.url for a in library.articles}


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


# ---- 1. a saved index gives the very same library ------------------------------------------------


def test_first_load_builds_and_saves_second_load_uses_it(folder: Path, idx: Path) -> None:
    first = load(folder, idx)
    assert first.from_cache is False
    manifest = json.loads((idx / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == cache.FORMAT
    assert manifest["counts"]["passages"] == len(first.index.passages)

    second = load(folder, idx)
    assert second.from_cache is True
    assert second.folder == folder

    before, after = snapshot(first), snapshot(second)
    for key in before:
        assert after[key] == before[key], key
    assert before == fresh(folder)


def test_cached_library_content_is_what_the_corpus_says(folder: Path, idx: Path) -> None:
    """Not just equal to the first load: the right content (so equal-but-empty cannot pass)."""
    load(folder, idx)
    library = load(folder, idx)
    assert library.from_cache is True
    # Newest first; the duplicate and the file with no header are rejected.
    assert [a.path.relative_to(folder).as_posix() for a in library.articles] == [
        "speeding.txt",
        "scams.txt",
        "sub/burglary.txt",
        "grooming.md",
    ]
    assert tuple(library.articles) == load_library(folder, use_cache=False).articles  # same Article objects' fields
    scams = library.articles[1]
    assert scams.title == "Police warn about courier fraud"
    assert scams.force == "Staffordshire"
    assert scams.published.isoformat() == "2021-02-01T09:30:00"
    assert scams.body.startswith("Officers are warning elderly residents")
    assert library.forces == ("Staffordshire", "Testshire", "West Mercia")
    assert sorted((p.path.name, p.reason.split(":")[0]) for p in library.problems) == [
        ("broken.txt", "no header"),
        ("zz_copy.txt", "same url as scams.txt"),
    ]
    for passage in library.index.passages:
        assert " ".join(passage.article.body[passage.start : passage.end].split()) == " ".join(passage.text.split())
    top = library.index.search("report online grooming", k=1)[0]
    assert top.passage.article.name == "grooming.md" and "CEOP" in top.passage.text
    assert library.index.search("how do I renew my passport") == []
    assert {h.passage.article.force for h in library.index.search("advice", force="staffs")} == {"Staffordshire"}
    assert {s.speaker for s in library.statements.statements} == {
        "Detective Inspector Simon Caton",
        "Superintendent Jane Smith",
        "Sergeant Alan Brown",
    }
    caton = next(s for s in library.statements.statements if s.speaker.endswith("Caton"))
    assert caton.text.endswith('"Please talk to older relatives and neighbours about this scam."')
    assert caton.article.body[caton.start : caton.end] == caton.text
    contacts = {m.contact for m in library.channels.mentions}
    assert {"0808 1000 900", "www.ceop.police.uk/safety-centre", "www.ourwatch.org.uk"} <= contacts
    assert library.channels.find("grooming")[0].contact == "www.ceop.police.uk/safety-centre"


# ---- 2. a changed folder means a rebuild ----------------------------------------------------------


def test_added_file_is_indexed(folder: Path, idx: Path, write_article: Writer) -> None:
    load(folder, idx)
    assert load(folder, idx).index.search("zeppelin airship") == []
    write_article(
        "new.txt",
        title="Zeppelin airship over the town",
        url="https://www.testshire.police.uk/news/zeppelin/",
        area="Testshire",
        date="08:00 01/07/2021",
        body="Residents reported a zeppelin airship over the town centre on Sunday.",
    )
    library = load(folder, idx)
    assert library.from_cache is False
    assert library.index.search("zeppelin airship", k=1)[0].passage.article.name == "new.txt"
    assert snapshot(library) == fresh(folder)
    again = load(folder, idx)
    assert again.from_cache is True
    assert again.index.search("zeppelin airship", k=1)[0].passage.article.name == "new.txt"


def test_removed_file_is_gone(folder: Path, idx: Path) -> None:
    assert load(folder, idx).index.search("speeding on rural roads")
    (folder / "speeding.txt").unlink()
    library = load(folder, idx)
    assert library.from_cache is False
    assert "https://www.testshire.police.uk/news/speeding/" not in urls(library)
    assert library.forces == ("Staffordshire", "West Mercia")
    assert all(h.passage.article.name != "speeding.txt" for h in library.index.search("speeding on rural roads"))
    assert all(s.article.name != "speeding.txt" for s in library.statements.statements)
    assert snapshot(library) == fresh(folder)
    assert load(folder, idx).from_cache is True


def test_removed_problem_file_leaves_the_problems(folder: Path, idx: Path) -> None:
    load(folder, idx)
    (folder / "broken.txt").unlink()
    library = load(folder, idx)
    assert library.from_cache is False
    assert [p.path.name for p in library.problems] == ["zz_copy.txt"]
    assert [p.path.name for p in load(folder, idx).problems] == ["zz_copy.txt"]


def test_changed_content_is_reindexed(folder: Path, idx: Path, write_article: Writer) -> None:
    load(folder, idx)
    fields = {**ARTICLES["speeding.txt"], "body": "Drivers were caught speeding near the primary school today."}
    write_article("speeding.txt", **fields)
    library = load(folder, idx)
    assert library.from_cache is False
    assert library.articles[0].body == "Drivers were caught speeding near the primary school today."
    assert library.index.search("primary school", k=1)[0].passage.article.name == "speeding.txt"
    assert library.index.search("country lanes") == []
    assert snapshot(library) == fresh(folder)


def test_same_size_change_with_another_mtime_is_reindexed(
    folder: Path, idx: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = folder / "speeding.txt"
    stat = path.stat()
    load(folder, idx)
    assert load(folder, idx).from_cache is True
    text = path.read_text(encoding="utf-8")
    assert "forty drivers" in text
    changed = text.replace("forty drivers", "fifty drivers")  # same length
    assert len(changed.encode()) == stat.st_size
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # 1 ns later: still a change
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns + 1

    with caplog.at_level(logging.INFO):
        library = load(folder, idx)
    assert library.from_cache is False
    assert warnings(caplog) == []
    body = next(a.body for a in library.articles if a.path == path)
    assert "fifty drivers" in body and "forty drivers" not in body
    assert snapshot(library) == fresh(folder)
    assert load(folder, idx).from_cache is True


def test_renamed_file_is_reindexed(folder: Path, idx: Path, caplog: pytest.LogCaptureFixture) -> None:
    load(folder, idx)
    old, new = folder / "grooming.md", folder / "online-safety.txt"
    old.rename(new)
    with caplog.at_level(logging.INFO):
        library = load(folder, idx)
    assert library.from_cache is False
    assert warnings(caplog) == []  # a renamed article is a change, not damage
    assert {a.name for a in library.articles} == {"speeding.txt", "scams.txt", "burglary.txt", "online-safety.txt"}
    assert library.index.search("report online grooming", k=1)[0].passage.article.path == new
    assert all(m.article.path != old for m in library.channels.mentions)
    assert snapshot(library) == fresh(folder)
    cached = load(folder, idx)
    assert cached.from_cache is True
    assert cached.index.search("report online grooming", k=1)[0].passage.article.path == new


def test_renamed_problem_file_is_reported_under_its_new_name(folder: Path, idx: Path) -> None:
    load(folder, idx)
    (folder / "broken.txt").rename(folder / "broken-too.txt")
    library = load(folder, idx)
    assert library.from_cache is False
    assert sorted(p.path.name for p in library.problems) == ["broken-too.txt", "zz_copy.txt"]
    assert sorted(p.path.name for p in load(folder, idx).problems) == ["broken-too.txt", "zz_copy.txt"]


def test_file_that_becomes_invalid_is_a_problem(folder: Path, idx: Path, write_article: Writer) -> None:
    load(folder, idx)
    write_article("speeding.txt", "```yaml\ntitle: [unclosed\n```\n\nSome text.\n")
    library = load(folder, idx)
    assert library.from_cache is False
    reasons = {p.path.name: p.reason for p in library.problems}
    assert reasons["speeding.txt"].startswith("header is not valid YAML")
    assert "https://www.testshire.police.uk/news/speeding/" not in urls(library)
    assert library.index.search("speeding on rural roads") == [] or all(
        h.passage.article.name != "speeding.txt" for h in library.index.search("speeding on rural roads")
    )
    cached = load(folder, idx)
    assert cached.from_cache is True
    assert {p.path.name: p.reason for p in cached.problems} == reasons


def test_file_that_becomes_valid_leaves_the_problems(folder: Path, idx: Path, write_article: Writer) -> None:
    load(folder, idx)
    write_article(
        "broken.txt",
        title="Fixed article about lost dogs",
        url="https://www.testshire.police.uk/news/lost-dogs/",
        area="Testshire",
        body="Officers reunited three lost dogs with their owners.",
    )
    library = load(folder, idx)
    assert library.from_cache is False
    assert [p.path.name for p in library.problems] == ["zz_copy.txt"]
    assert library.index.search("lost dogs", k=1)[0].passage.article.name == "broken.txt"


def test_unchanged_folder_touched_only_by_reading_keeps_the_cache(folder: Path, idx: Path) -> None:
    load(folder, idx)
    for path in folder.rglob("*.txt"):
        path.read_bytes()
    (folder / "notes.pdf").write_bytes(b"not an article")  # not .txt/.md: not part of the corpus
    (folder / ".hidden.txt").write_text("hidden files are skipped", encoding="utf-8")
    assert load(folder, idx).from_cache is True


# ---- 3. a damaged saved index is rebuilt, with a warning ------------------------------------------


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flip(path: Path, at: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    at = len(data) // 2 if at is None else at
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def _flip_posting(idx: Path) -> None:
    postings = sorted((idx / "passages").glob("*.npy"), key=lambda p: p.stat().st_size)
    _flip(postings[-1], -1)  # a data byte (past the .npy header) of the largest array


def _flip_article_json(idx: Path) -> None:
    path = idx / "articles.jsonl"
    data = path.read_bytes()
    _flip(path, data.index(b"Speeding drivers") + 1)  # still valid JSON: "Sreeding drivers"


DAMAGE = {
    "truncated bodies.txt": (lambda idx: _truncate(idx / "bodies.txt"), "bodies.txt"),
    "flipped byte in articles.jsonl": (_flip_article_json, "articles.jsonl"),
    "deleted starts.npy": (lambda idx: (idx / "starts.npy").unlink(), "starts.npy"),
    "flipped byte in meanings.npy": (lambda idx: _flip(idx / "meanings.npy", -1), "meanings.npy"),
    "truncated meanings.npy": (lambda idx: _truncate(idx / "meanings.npy"), "meanings.npy"),
    "flipped byte in article_meanings.npy": (
        lambda idx: _flip(idx / "article_meanings.npy", -1),
        "article_meanings.npy",
    ),
    "corrupt passages postings": (_flip_posting, "passages"),
    "truncated statements postings": (
        lambda idx: _truncate(idx / "statements" / "doc_tf.npy"),
        "statements/doc_tf.npy",
    ),
    "postings manifest deleted": (lambda idx: (idx / "mentions" / "manifest.json").unlink(), "mentions"),
    "manifest not JSON": (
        lambda idx: (idx / "manifest.json").write_text("{not json", encoding="utf-8"),
        "manifest.json",
    ),
    "manifest is a list": (
        lambda idx: (idx / "manifest.json").write_text("[1, 2]", encoding="utf-8"),
        "manifest.json",
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_index_is_rebuilt_with_a_warning(
    folder: Path, idx: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    expected = snapshot(load(folder, idx))
    assert load(folder, idx).from_cache is True
    spoil, named = DAMAGE[damage]
    spoil(idx)

    with caplog.at_level(logging.INFO):
        library = load(folder, idx)
    assert library.from_cache is False
    assert snapshot(library) == expected
    found = warnings(caplog)
    assert len(found) == 1, found
    assert "saved index is damaged" in found[0]
    assert str(idx / named) in found[0]  # says which file

    caplog.clear()
    with caplog.at_level(logging.INFO):
        again = load(folder, idx)
    assert again.from_cache is True, "the damaged index was not replaced by a good one"
    assert warnings(caplog) == []
    assert snapshot(again) == expected
    assert json.loads((idx / "manifest.json").read_text(encoding="utf-8"))["format"] == cache.FORMAT


@pytest.mark.parametrize("header", [{"format": 1}, {"version": cache.VERSION + 1}], ids=["format 1", "newer"])
def test_index_of_another_version_is_rebuilt_without_a_warning(
    folder: Path, idx: Path, header: dict, caplog: pytest.LogCaptureFixture
) -> None:
    expected = snapshot(load(folder, idx))
    manifest = json.loads((idx / "manifest.json").read_text(encoding="utf-8"))
    (idx / "manifest.json").write_text(json.dumps({**manifest, **header}), encoding="utf-8")
    with caplog.at_level(logging.INFO):
        library = load(folder, idx)
    assert library.from_cache is False and snapshot(library) == expected
    assert warnings(caplog) == []
    assert any("another version" in r.getMessage() for r in caplog.records)
    assert load(folder, idx).from_cache is True


def test_missing_manifest_is_no_cache_not_damage(folder: Path, idx: Path, caplog: pytest.LogCaptureFixture) -> None:
    load(folder, idx)
    (idx / "manifest.json").unlink()
    with caplog.at_level(logging.INFO):
        library = load(folder, idx)
    assert library.from_cache is False
    assert warnings(caplog) == []
    assert load(folder, idx).from_cache is True


def test_stale_index_is_rebuilt_without_a_warning(
    folder: Path, idx: Path, write_article: Writer, caplog: pytest.LogCaptureFixture
) -> None:
    load(folder, idx)
    write_article("extra.txt", url="https://www.testshire.police.uk/news/extra/")
    with caplog.at_level(logging.INFO, logger="bot.search.library"):
        assert load(folder, idx).from_cache is False
    assert warnings(caplog) == []
    assert any("articles changed" in r.getMessage() for r in caplog.records)


# The manifest itself carries no checksum: a flipped byte in a key leaves valid JSON. These loads
# rebuild like any other damage.
MANIFEST_BUGS = {
    "fingerprint key renamed": lambda m: {**{k: v for k, v in m.items() if k != "fingerprint"}, "fingerprinu": 0},
    "files is not an object": lambda m: {**m, "files": []},
}


@pytest.mark.parametrize("change", list(MANIFEST_BUGS))
def test_damaged_manifest_fields_are_rebuilt(folder: Path, idx: Path, change: str) -> None:
    load(folder, idx)
    path = idx / "manifest.json"
    path.write_text(json.dumps(MANIFEST_BUGS[change](json.loads(path.read_text()))), encoding="utf-8")
    library = load(folder, idx)
    assert library.from_cache is False
    assert load(folder, idx).from_cache is True


# ---- 4. and 5. where the index is (not) written ---------------------------------------------------


def test_unwritable_cache_location_only_warns(folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("I am not a folder", encoding="utf-8")
    idx = blocker / "idx"
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            library = load(folder, idx)
        assert library.from_cache is False
        assert snapshot(library) == fresh(folder)
        found = warnings(caplog)
        assert len(found) == 1 and "could not save the index" in found[0], found
    assert blocker.read_text(encoding="utf-8") == "I am not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "articles"]


def test_index_dir_without_a_name_only_warns(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert load(folder, Path(".")).articles


def test_existing_folder_at_index_dir_is_not_deleted(folder: Path, tmp_path: Path) -> None:
    mine = tmp_path / "my-files"
    mine.mkdir()
    (mine / "notes.txt").write_text("precious", encoding="utf-8")
    load(folder, mine)
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "precious"


def test_use_cache_false_writes_nothing(folder: Path, idx: Path, tmp_path: Path) -> None:
    default = cache.default_cache_dir(folder)
    before = sorted(tmp_path.rglob("*"))
    library = load_library(folder, index_dir=idx, use_cache=False)
    assert library.from_cache is False and len(library.articles) == 4
    library = load_library(folder, use_cache=False)
    assert library.from_cache is False
    assert not idx.exists() and not default.exists() and not default.parent.exists()
    assert sorted(tmp_path.rglob("*")) == before


def test_use_cache_false_ignores_and_keeps_a_saved_index(folder: Path, idx: Path, write_article: Writer) -> None:
    load(folder, idx)
    saved = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(idx.rglob("*")) if p.is_file()}
    write_article("extra.txt", url="https://www.testshire.police.uk/news/extra/")
    library = load_library(folder, index_dir=idx, use_cache=False)
    assert library.from_cache is False
    assert "https://www.testshire.police.uk/news/extra/" in urls(library)
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(idx.rglob("*")) if p.is_file()} == saved
    assert load(folder, idx).from_cache is False  # the saved index is still the old one, now stale


def test_small_corpus_is_saved_and_checked_for_changes_in_process(
    folder: Path, idx: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four articles load faster saved than indexed; a folder under SCAN_APART_FILES is checked
    for changes here, not in a process that takes longer to start than the scan takes."""
    assert load_library(folder, index_dir=idx).from_cache is False
    assert json.loads((idx / "manifest.json").read_text())["counts"]["articles"] == 4
    started: list[list[str]] = []

    class FailedScan:  # a scan process that failed: the folder is then scanned in-process
        returncode = 1

        def __init__(self, args: list[str], **_: object) -> None:
            started.append(args)

        def communicate(self) -> tuple[bytes, bytes]:
            return b"", b""

    monkeypatch.setattr(cache.subprocess, "Popen", FailedScan)
    assert load_library(folder, index_dir=idx).from_cache is True and started == []
    monkeypatch.setattr(cache, "SCAN_APART_FILES", 4)
    assert load_library(folder, index_dir=idx).from_cache is True
    assert len(started) == 1 and "bot.corpus.scan" in started[0]


def test_default_location_is_used_without_index_dir(folder: Path) -> None:
    default = cache.default_cache_dir(folder)
    assert default.parent == Path(os.environ["XDG_CACHE_HOME"]) / "police-news-bot"
    assert load(folder).from_cache is False
    assert (default / "manifest.json").is_file()
    assert load(folder).from_cache is True


def test_two_folders_get_two_saved_indexes(folder: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    text = (folder / "speeding.txt").read_text(encoding="utf-8")
    (other / "speeding.txt").write_text(text.replace("/news/speeding/", "/news/other/"), encoding="utf-8")
    assert cache.default_cache_dir(folder) != cache.default_cache_dir(other)
    assert load(folder).from_cache is False
    assert load(other).from_cache is False
    assert len(load(folder).articles) == 4
    assert urls(load(other)) == {"https://www.testshire.police.uk/news/other/"}


# ---- 6. the command line ---------------------------------------------------------------------------


def test_cli_index_builds_then_loads(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    idx = tmp_path / "cli-idx"
    monkeypatch.setenv("INDEX_DIR", str(idx))
    monkeypatch.chdir(tmp_path)  # no stray .env

    def run() -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = main(["index", "--articles", str(folder)], out=out, err=err)
        return code, out.getvalue(), err.getvalue()

    code, out, err = run()
    assert code == 0
    assert out.startswith("built and saved the index: 4 articles, ")
    assert "skipped 2 invalid file(s)" in err
    assert (idx / "manifest.json").is_file()
    assert not cache.default_cache_dir(folder).exists()

    code, out, _ = run()
    assert code == 0
    assert out.startswith("loaded the saved index (no article changed): 4 articles, ")

    (folder / "speeding.txt").unlink()
    code, out, _ = run()
    assert code == 0 and out.startswith("built and saved the index: 3 articles, ")


# ---- 7. the saved index belongs to the folder, not to the working directory --------------------------


def test_cache_dir_does_not_depend_on_the_working_directory(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    relative = Path("articles")
    assert cache.default_cache_dir(relative) == cache.default_cache_dir(folder)
    assert cache.default_cache_dir(Path("./articles/")) == cache.default_cache_dir(folder)
    monkeypatch.chdir(folder / "sub")
    assert cache.default_cache_dir(Path("..")) == cache.default_cache_dir(folder)
    assert cache.default_cache_dir(relative) != cache.default_cache_dir(folder)  # now another folder


def test_relative_and_absolute_loads_share_the_saved_index(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    built = load(Path("articles"))
    assert built.from_cache is False
    monkeypatch.chdir(folder / "sub")
    loaded = load(folder)
    assert loaded.from_cache is True
    # The cached articles and problems carry the paths of this load, not of the one that saved.
    assert all(a.path.is_absolute() and a.path.is_file() for a in loaded.articles)
    assert all(p.path.parent == folder for p in loaded.problems)
    assert [a.path.relative_to(folder) for a in loaded.articles] == [
        a.path.relative_to("articles") for a in built.articles
    ]
    assert snapshot(loaded) == fresh(folder)


def test_near_duplicate_groups_survive_the_saved_index(write_article: Writer, idx: Path) -> None:
    campaign = (
        "The National Crime Agency has launched a new campaign, with activities for children of all ages "
        "available through the Thinkuknow website."
    )
    write_article("kent.txt", area="Kent", url="https://www.kent.police.uk/news/a", body=f"Kent opening.\n\n{campaign}")
    write_article("essex.txt", area="Essex", url="https://www.essex.police.uk/news/b", body=campaign)
    built, loaded = load(write_article.folder, idx), load(write_article.folder, idx)
    assert loaded.from_cache
    for library in (built, loaded):
        (hit,) = [
            h for h in library.index.search("thinkuknow campaign activities", k=5) if "campaign" in h.passage.text
        ]
        assert len(hit.also) == 1
    assert hits(built, "thinkuknow campaign activities") == hits(loaded, "thinkuknow campaign activities")


def test_list_lead_ins_survive_the_saved_index(write_article: Writer, idx: Path) -> None:
    items = "\n".join(f" * Never hand your bank card to courier number {i} at your front door today" for i in range(12))
    write_article("rules.txt", url="https://www.test.police.uk/news/rules/", body=f"Remember these rules:\n{items}")
    built = load(write_article.folder, idx)
    loaded = load(write_article.folder, idx)
    assert not built.from_cache and loaded.from_cache
    texts = [p.text for p in loaded.index.passages]
    assert texts == [p.text for p in built.index.passages]
    assert len(texts) > 1 and all(t.startswith("Remember these rules:\n") for t in texts)


def test_meaning_vectors_of_a_saved_index_are_read_from_the_file_not_copied(folder: Path, idx: Path) -> None:
    """A million passages' vectors are 256 MB: mapped, only the pages questions touch take memory."""
    fresh = load(folder, idx)
    again = load(folder, idx)
    assert again.from_cache is True
    meanings = again.index.passages.meanings
    assert isinstance(meanings, np.memmap) and Path(meanings.filename) == (idx / "meanings.npy").resolve()
    assert np.array_equal(meanings, fresh.index.passages.meanings)


def test_article_vectors_survive_the_saved_index(folder: Path, idx: Path) -> None:
    fresh = load(folder, idx)
    again = load(folder, idx)
    assert again.from_cache is True
    vectors = again.index.article_meanings.vectors
    assert vectors.shape == (len(again.index.articles), 256) and vectors.any()
    assert np.array_equal(vectors, fresh.index.article_meanings.vectors)
