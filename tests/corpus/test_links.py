import pytest

from bot.corpus.links import check_url, markdown_link, markdown_url


@pytest.mark.parametrize(
    "url",
    [
        "https://www.staffordshire.police.uk/news/staffordshire/news/2020/april/scam/",
        "http://example.police.uk:8080/a?b=c&d=e#f",
        "https://en.wikipedia.org/wiki/Scam_(fraud)",
        "https://xn--bcher-kva.example/",
        "https://bücher.example/",
    ],
)
def test_real_web_addresses_are_accepted(url) -> None:
    assert check_url(url) == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://police.uk@evil.example/", "user name"),
        ("https://user:pw@police.uk/", "user name"),
        ("https://police.uk/a b", "white space"),
        ("https://police.uk/a\tb", "white space"),
        ("https://police.uk/a\x1b[2Jb", "control"),
        ("ftp://police.uk/a", "not a web address"),
        ("javascript:alert(1)", "not a web address"),
        ("https:///path-only", "not a web address"),
        ("https://localhost/a", "real host"),
        ("https://127.0.0.1/a", "real host"),
        ("https://[::1]/a", "real host"),
        ("https://-bad-.uk/a", "real host"),
        ("https://a..uk/a", "real host"),
        ("https://under_score.uk/a", "real host"),
        ("https://police.uk:http/a", "not a web address"),
        ("https://[police.uk/a", "not a web address"),
    ],
)
def test_addresses_that_lie_or_break_are_refused(url, reason) -> None:
    with pytest.raises(ValueError, match=reason):
        check_url(url)


def test_markdown_url_cannot_close_the_link_early() -> None:
    url = "https://police.uk/a)](https://evil.example/x) *bold* <b>`"
    safe = markdown_url(url)
    assert not set(safe) & set("()[]<>*` ")
    assert safe.startswith("https://police.uk/a%29%5D%28https://evil.example/x%29")
    assert markdown_link("Title", "https://police.uk/Scam_(fraud)") == "[Title](https://police.uk/Scam_%28fraud%29)"


def test_markdown_url_keeps_ordinary_addresses_and_escapes() -> None:
    for url in ("https://www.test.police.uk/news/a-b_c/?q=1&r=2%20x#:~:text=call%20101,-then",):
        assert markdown_url(url) == url
    assert markdown_url("https://bücher.example/é") == "https://xn--bcher-kva.example/%C3%A9"
