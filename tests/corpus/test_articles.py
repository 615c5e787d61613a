import os
from datetime import datetime
from pathlib import Path

import pytest
from conftest import article_text

from bot.corpus.articles import (
    BULLET,
    MAX_FILE_BYTES,
    ArticleError,
    FolderError,
    article_files,
    clean_body,
    clean_title,
    load_articles,
    load_folder,
    parse_date,
    read_article,
)
from bot.search.library import load_library


def test_reads_a_seed_article_header(write_article) -> None:
    seed = Path(__file__).resolve().parents[2] / "seeds" / "000_21de8a6d60bbee78.txt"
    article = read_article(seed)
    assert article.title == "Online Child Sexual Exploitation Team stepping up to keep children safe on the web"
    assert article.force == "West Mercia"
    assert article.published == datetime(2020, 4, 8, 16, 40)
    assert article.url.startswith("https://www.westmercia.police.uk/news/")
    assert "&amp;" not in article.image and "&w=600&h=300" in article.image
    assert article.description.startswith("West Mercia Police is reassuring the public")


def test_front_matter_header(write_article) -> None:
    path = write_article(
        "fm.md",
        "---\ntitle: Front matter | Test Police\nurl: https://t.police.uk/a\narea: Testshire\n"
        "publish:\n  date: 2021-05-06T10:00:00\n---\nBody text here.\n",
    )
    article = read_article(path)
    assert (article.title, article.published) == ("Front matter", datetime(2021, 5, 6, 10, 0))
    assert article.body == "Body text here."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("16:40 08/04/2020", datetime(2020, 4, 8, 16, 40)),  # day first, as UK sites write it
        ("08/04/2020", datetime(2020, 4, 8)),
        ("2020-04-08", datetime(2020, 4, 8)),
        ("2020-04-08T16:40:00", datetime(2020, 4, 8, 16, 40)),
    ],
)
def test_dates(value: str, expected: datetime) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(("value"), ["yesterday", "32/13/2020", "", 1000])
def test_bad_dates(value) -> None:
    with pytest.raises(ArticleError, match=r"publish\.date"):
        parse_date(value)


def test_title_suffix() -> None:
    assert clean_title("Scam warning | Staffordshire Police", "Staffordshire") == "Scam warning"
    assert clean_title("Q&amp;A | Staffordshire", "Staffordshire") == "Q&A"
    assert clean_title("Apples | Pears", "Kent") == "Apples | Pears"


def test_body_cleanup_keeps_words_and_drops_furniture() -> None:
    body = clean_body(
        'Updated News Post\n\nHe said: ** "**Since the start we have helped.\n\n'
        "The team target those who:\n\n * Possess images\n * Groom children\n\nLast line.\n\n ISSUED: EH, Comms.\n"
    )
    assert body.split("\n\n") == [
        'He said: "Since the start we have helped.',
        f"The team target those who:\n{BULLET}Possess images\n{BULLET}Groom children",
        "Last line.",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Read more: Police warn of a new phone scam",
        "Related articles",
        "Share this article",
        "Share: Facebook | Twitter | Email",
        "Facebook Twitter WhatsApp",
        "Follow us on Twitter @ExamplePolice",
        "Sign up to our free daily newsletter",
        "Get the latest news sent straight to your inbox",
        "Image: Example Police",
        "Copyright 2024 Example Police",
        "By Jane Smith, Crime Reporter",
        "Posted on 3 May 2024",
        "Notes to editors:",
    ],
)
def test_furniture_lines_are_dropped(line: str) -> None:
    assert clean_body(f"First paragraph.\n\n{line}\n\nLast paragraph.") == "First paragraph.\n\nLast paragraph."


@pytest.mark.parametrize(
    "line",
    [
        "By the end of the week, officers had arrested 30 people.",
        "Share this information with your elderly relatives.",
        "Images of children were found on his phone.",
        "Read the advice below before you reply.",
        "Twitter and Facebook were used to contact the victims.",
        "Email the team at safety@example.police.uk",
    ],
)
def test_text_that_looks_a_little_like_furniture_is_kept(line: str) -> None:
    assert line in clean_body(f"First paragraph.\n\n{line}")


BAD_FILES = [
    ("no-header.txt", "Just a body, no header.", "no header"),
    ("bad-yaml.txt", "```yaml\ntitle: [unclosed\n```\nBody", "not valid YAML"),
    ("list-header.txt", "```yaml\n- a\n- b\n```\nBody", "key: value"),
    ("no-url.txt", "```yaml\ntitle: T\narea: A\npublish:\n  date: 01/01/2020\n```\nBody", "missing `url`"),
    (
        "no-title.txt",
        "```yaml\nurl: https://x.uk/a\narea: A\npublish:\n  date: 01/01/2020\n```\nBody",
        "missing `title`",
    ),
    (
        "bad-url.txt",
        "```yaml\ntitle: T\nurl: not a link\narea: A\npublish:\n  date: 01/01/2020\n```\nB",
        "not a web address",
    ),
    (
        "no-area.txt",
        "```yaml\ntitle: T\nurl: https://x.uk/a\npublish:\n  date: 01/01/2020\n```\nBody",
        "missing `area`",
    ),
    (
        "bad-date.txt",
        "```yaml\ntitle: T\nurl: https://x.uk/a\narea: A\npublish:\n  date: soon\n```\nBody",
        "publish.date",
    ),
    ("no-date.txt", "```yaml\ntitle: T\nurl: https://x.uk/a\narea: A\n```\nBody", "missing `publish.date`"),
    (
        "empty-body.txt",
        "```yaml\ntitle: T\nurl: https://x.uk/a\narea: A\npublish:\n  date: 01/01/2020\n```\n\n",
        "body is empty",
    ),
    ("latin1.txt", "```yaml\ntitle: Caf\xe9\n```\n".encode("latin-1"), "not UTF-8"),
    ("empty.txt", "", "empty"),
]


@pytest.mark.parametrize(("name", "text", "reason"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_reported_and_others_still_load(write_article, name, text, reason) -> None:
    write_article("good.txt")
    write_article(name, text)
    articles, problems = load_articles(article_files(write_article.folder))
    assert [a.name for a in articles] == ["good.txt"]
    assert len(problems) == 1
    assert problems[0].path.name == name
    assert reason in problems[0].reason
    assert str(problems[0]).startswith(f"{name}: ")


def test_duplicate_url_keeps_the_first_file(write_article) -> None:
    write_article("a.txt", url="https://x.police.uk/same/")
    write_article("b.txt", url="https://x.police.uk/same")
    articles, problems = load_articles(article_files(write_article.folder))
    assert [a.name for a in articles] == ["a.txt"]
    assert problems[0].path.name == "b.txt" and "same url as a.txt" in problems[0].reason


def test_folder_walk_is_recursive_sorted_and_skips_other_files(write_article) -> None:
    folder = write_article.folder
    (folder / "sub").mkdir()
    write_article("sub/b.md", url="https://x.police.uk/b")
    write_article("a.txt", url="https://x.police.uk/a")
    (folder / "notes.pdf").write_bytes(b"%PDF")
    (folder / ".hidden.txt").write_text("junk")
    assert [p.relative_to(folder).as_posix() for p in article_files(folder)] == ["a.txt", "sub/b.md"]


def test_folder_errors(tmp_path, write_article) -> None:
    with pytest.raises(FolderError, match="does not exist"):
        load_folder(tmp_path / "nope")
    write_article("bad.txt", "no header")
    with pytest.raises(FolderError, match="no valid articles"):
        load_folder(write_article.folder)


def test_dangling_and_looping_symlinks_are_problems(write_article) -> None:
    folder = write_article.folder
    write_article("good.txt")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    articles, problems = load_articles(article_files(folder))
    assert [a.name for a in articles] == ["good.txt"]
    reasons = {p.path.name: p.reason for p in problems}
    assert "does not exist" in reasons["dangling.txt"]
    assert "loops" in reasons["loop.txt"]


def test_a_fifo_or_device_is_not_read(write_article) -> None:
    folder = write_article.folder
    write_article("good.txt")
    os.mkfifo(folder / "pipe.txt")  # reading it would block forever
    (folder / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    articles, problems = load_articles(article_files(folder))
    assert [a.name for a in articles] == ["good.txt"]
    assert {p.path.name: p.reason for p in problems} == {
        "pipe.txt": "not a regular file",
        "zero.txt": "not a regular file",
    }


def test_files_over_the_size_limit_are_rejected(write_article) -> None:
    write_article("good.txt")
    write_article("huge.txt", article_text(body="word " * (MAX_FILE_BYTES // 5)))
    articles, problems = load_articles(article_files(write_article.folder))
    assert [a.name for a in articles] == ["good.txt"]
    assert "over the 5,000,000 byte limit" in problems[0].reason


def test_the_library_reports_bad_symlinks_instead_of_failing(write_article, tmp_path) -> None:
    folder = write_article.folder
    write_article("good.txt")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    for use_cache in (False, True, True):  # plain, saving, from the saved index
        library = load_library(folder, index_dir=tmp_path / "idx", use_cache=use_cache)
        assert [a.name for a in library.articles] == ["good.txt"]
        assert sorted(p.path.name for p in library.problems) == ["dangling.txt", "loop.txt"]
    assert library.from_cache
