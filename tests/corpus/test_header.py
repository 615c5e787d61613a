from datetime import datetime

import pytest

from bot.corpus.articles import article_files, load_articles, newest_first, read_article
from bot.corpus.header import ArticleError, check_date, parse_date, split_header

NOW = datetime(2026, 6, 1, 12, 0)


def header(fields: str, body: str = "Body text about scams.") -> str:
    return f"```yaml\n{fields}\n```\n\n{body}\n"


BASE = "title: T\nurl: https://www.test.police.uk/a\narea: Testshire\n"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-04-08T16:40:00Z", datetime(2020, 4, 8, 17, 40)),  # BST: UTC+1
        ("2020-04-08T16:40:00+01:00", datetime(2020, 4, 8, 16, 40)),
        ("2020-01-08T16:40:00Z", datetime(2020, 1, 8, 16, 40)),  # GMT
        ("2020-01-08T16:40:00-05:00", datetime(2020, 1, 8, 21, 40)),
        ("2020-04-08T16:40:00", datetime(2020, 4, 8, 16, 40)),  # no zone: already UK time
    ],
)
def test_zoned_dates_become_naive_uk_time(value, expected) -> None:
    parsed = parse_date(value)
    assert parsed == expected and parsed.tzinfo is None


def test_zoned_and_plain_dates_load_and_sort_together(write_article) -> None:
    write_article("zulu.txt", date="2020-04-08T16:40:00Z", url="https://x.police.uk/z")
    write_article("offset.txt", date="2020-04-08T18:00:00+01:00", url="https://x.police.uk/o")
    write_article("plain.txt", date="17:00 08/04/2020", url="https://x.police.uk/p")
    articles, problems = load_articles(article_files(write_article.folder))
    assert problems == []
    assert [a.name for a in newest_first(articles)] == ["offset.txt", "zulu.txt", "plain.txt"]


def test_dates_out_of_range_are_problems() -> None:
    with pytest.raises(ArticleError, match="0001-01-01 is before 1990"):
        check_date(parse_date("0001-01-01"), NOW)
    with pytest.raises(ArticleError, match="more than a day in the future"):
        check_date(parse_date("2099-01-01"), NOW)
    assert check_date(datetime(2026, 6, 2, 11, 0), NOW) == datetime(2026, 6, 2, 11, 0)
    with pytest.raises(ArticleError, match="out of range"):
        parse_date("0001-01-01T00:00:00+05:00")


@pytest.mark.parametrize("date", ["0001-01-01", "01/01/2099"])
def test_impossible_publish_dates_are_rejected_with_a_reason(write_article, date) -> None:
    write_article("good.txt", url="https://x.police.uk/good")
    write_article("odd.txt", date=date)
    articles, problems = load_articles(article_files(write_article.folder))
    assert [a.name for a in articles] == ["good.txt"]
    assert problems[0].path.name == "odd.txt" and "publish.date" in problems[0].reason


@pytest.mark.parametrize(
    ("fields", "title", "force"),
    [
        ("title: yes\nurl: https://www.test.police.uk/a\narea: Testshire\n", "yes", "Testshire"),
        ("title: .inf\nurl: https://www.test.police.uk/a\narea: Testshire\n", ".inf", "Testshire"),
        ("title: 1984\nurl: https://www.test.police.uk/a\narea: No\n", "1984", "No"),
    ],
)
def test_header_values_are_the_text_the_author_wrote(tmp_path, fields, title, force) -> None:
    path = tmp_path / "a.txt"
    path.write_text(header(fields + "publish:\n  date: 08/04/2020"))
    article = read_article(path)
    assert (article.title, article.force) == (title, force)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ("title: T\nurl: https://www.test.police.uk/a\narea: 42\n", "does not name a force"),
        ("title: [a, b]\nurl: https://www.test.police.uk/a\narea: Testshire\n", "`title` must be text"),
        ("title: T\nurl: https://www.test.police.uk/a\narea: {a: b}\n", "`area` must be text"),
        ("title: ~\nurl: https://www.test.police.uk/a\narea: Testshire\n", "missing `title`"),
        (BASE + "og:\n  description: [x]\n", "`og.description` must be text"),
    ],
)
def test_header_values_of_the_wrong_kind_are_rejected(tmp_path, fields, reason) -> None:
    path = tmp_path / "a.txt"
    path.write_text(header(fields + "publish:\n  date: 08/04/2020"))
    with pytest.raises(ArticleError, match=reason):
        read_article(path)


BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi")
)


@pytest.mark.parametrize("where", ["og:\n  description: *i\n", "description: *i\n", "og:\n  image: *i\n"])
def test_alias_bomb_is_refused_before_it_expands(write_article, where) -> None:
    write_article("good.txt", url="https://x.police.uk/good")
    write_article("bomb.txt", header(BASE + "publish:\n  date: 08/04/2020\n" + BOMB + where))
    articles, problems = load_articles(article_files(write_article.folder))
    assert [a.name for a in articles] == ["good.txt"]
    assert "alias" in problems[0].reason


def test_any_alias_is_refused_and_plain_anchors_are_harmless() -> None:
    with pytest.raises(ArticleError, match="alias"):
        split_header(header(BASE + "x: &n Testshire\ny: *n"))
    assert split_header(header(BASE + "x: &n Testshire"))[0]["x"] == "Testshire"


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(ArticleError, match="nested more than 8 levels"):
        split_header(header(BASE + "x: " + "[" * 50 + "]" * 50))
    with pytest.raises(ArticleError, match="not valid YAML"):
        split_header(header(BASE + "x: " + "[" * 100_000 + "]" * 100_000))
