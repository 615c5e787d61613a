import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from bot.corpus.articles import Article, load_folder
from bot.corpus.fragments import MAX_EXACT_CHARS, MIN_TERM_WORDS, text_fragment_url
from bot.corpus.passages import article_passages

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
URL = "https://www.test.police.uk/news/story/"


def terms_of(url: str) -> list[str]:
    """The decoded terms of a `#:~:text=` directive, checking its syntax on the way."""
    base, _, directive = url.partition("#:~:text=")
    assert base and "#" not in base
    parts = directive.split(",")
    assert 1 <= len(parts) <= 2
    for part in parts:
        # no raw directive syntax or white space inside a term
        assert not re.search(r"[-&,\s#]", part), part
    return [unquote(part) for part in parts]


def page_view(body: str) -> str:
    """The body as the browser shows it: no list markers, white space collapsed, a line per block."""
    lines = (" ".join(line.removeprefix("• ").split()) for line in body.split("\n"))
    return "\n".join(line for line in lines if line)


def passage_of(body: str, passage: str) -> tuple[int, int]:
    start = body.index(passage)
    return start, start + len(passage)


def test_short_passage_is_quoted_whole() -> None:
    body = "Officers attended.\n\nCall 101 to report a crime."
    url = text_fragment_url(URL, body, *passage_of(body, "Call 101 to report a crime."))
    assert url == URL + "#:~:text=Call%20101%20to%20report%20a%20crime."
    assert terms_of(url) == ["Call 101 to report a crime."]


@pytest.mark.parametrize(
    ("passage", "encoded"),
    [
        ("Self-help is free - ask today.", "Self%2Dhelp%20is%20free%20%2D%20ask%20today."),
        ("Parents & carers can help.", "Parents%20%26%20carers%20can%20help."),
        ("Stop, think, report.", "Stop%2C%20think%2C%20report."),
        ('He said it was "vital" for all.', "He%20said%20it%20was%20%22vital%22%20for%20all."),
        ("It’s the force’s job – 24/7.", "It%E2%80%99s%20the%20force%E2%80%99s%20job%20%E2%80%93%2024%2F7."),
        ("Visit #OnlineSafety (50% off?)", "Visit%20%23OnlineSafety%20%2850%25%20off%3F%29"),
    ],
)
def test_terms_are_percent_encoded(passage: str, encoded: str) -> None:
    body = f"Intro line.\n\n{passage}"
    url = text_fragment_url(URL, body, *passage_of(body, passage))
    assert url == f"{URL}#:~:text={encoded}"
    assert terms_of(url) == [passage]


def test_encoding_in_a_range() -> None:
    passage = (
        "Self-harm, grooming & exploitation – the force’s team works with schools, parents and carers every "
        "single day to keep children safe, and it won’t stop – ever."
    )
    body = f"Intro.\n\n{passage}"
    url = text_fragment_url(URL, body, *passage_of(body, passage))
    directive = url.split("#:~:text=")[1]
    start, end = directive.split(",")
    assert start == "Self%2Dharm%2C%20grooming%20%26"
    assert end == "stop%20%E2%80%93%20ever."
    assert terms_of(url) == ["Self-harm, grooming &", "stop – ever."]


def test_long_passage_uses_first_and_last_words() -> None:
    passage = (
        "The Online Child Sexual Exploitation Team has arrested a number of people this year and "
        "safeguarded hundreds of children across the county."
    )
    assert len(passage) > MAX_EXACT_CHARS
    body = f"Intro.\n\n{passage}\n\nOutro."
    text_start, text_end = terms_of(text_fragment_url(URL, body, *passage_of(body, passage)))
    assert text_start == "The Online Child"
    assert text_end == "across the county."
    assert len(text_start.split()) == len(text_end.split()) == MIN_TERM_WORDS


def test_text_start_grows_until_unique() -> None:
    earlier = "Officers said that the team has been busy with other work in the town this spring."
    passage = (
        "Officers said that the team has arrested forty people and safeguarded many children, working "
        "with partners across the whole region."
    )
    body = f"{earlier}\n\n{passage}"
    text_start, text_end = terms_of(text_fragment_url(URL, body, *passage_of(body, passage)))
    assert text_start == "Officers said that the team has arrested"
    view = page_view(body)
    assert view.index(text_start) == view.index(passage)
    assert text_end == "the whole region."


def test_text_end_grows_until_first_match_after_start_is_the_end() -> None:
    passage = (
        "Please call 101 to report it. Officers want to hear from anyone who saw the car that night, "
        "so please call 101 to report it."
    )
    body = f"Intro.\n\n{passage}"
    text_start, text_end = terms_of(text_fragment_url(URL, body, *passage_of(body, passage)))
    assert text_start == "Please call 101"
    # "to report it." first follows textStart in the first sentence; the browser would stop there
    assert text_end == "101 to report it."


def test_matching_ignores_case_as_browsers_do() -> None:
    earlier = "OFFICERS SAID THAT the road will reopen soon."
    passage = "Officers said that they had arrested forty people and safeguarded many children across the region."
    body = f"{earlier}\n\n{passage}"
    text_start, _ = terms_of(text_fragment_url(URL, body, *passage_of(body, passage)))
    assert text_start == "Officers said that they"


def test_unique_as_whole_words_only() -> None:
    # "the team works" inside "Bathe team workshop" is not a whole-word match
    earlier = "Bathe team workshop notes."
    passage = "The team works with schools, parents and carers every day to keep children safe from harm online."
    body = f"{earlier}\n\n{passage}"
    text_start, _ = terms_of(text_fragment_url(URL, body, *passage_of(body, passage)))
    assert text_start == "The team works"


def test_existing_fragment_is_replaced() -> None:
    body = "Call 101 to report a crime."
    url = text_fragment_url(URL + "#main-content", body, 0, len(body))
    assert url.startswith(URL + "#:~:text=")
    assert url.count("#") == 1
    assert "main" not in url


def test_bullet_and_quote_marks_are_stripped() -> None:
    body = "Officers advise:\n• “Talk to your children about who they speak to online.”\n• Report concerns."
    start = body.index("•")
    end = body.index("\n", start)
    url = text_fragment_url(URL, body, start, end)
    assert terms_of(url) == ["Talk to your children about who they speak to online."]
    assert "%E2%80%A2" not in url and "%E2%80%9C" not in url and "%E2%80%9D" not in url


def test_passage_with_a_list_uses_the_first_and_last_block() -> None:
    body = (
        "Intro.\n\nThe team specifically targets those who:\n• Possess and distribute indecent images\n"
        "• Exploit children online for sexual purposes"
    )
    start = body.index("The team")
    text_start, text_end = terms_of(text_fragment_url(URL, body, start, len(body)))
    # terms never span two blocks, and the list marker is not on the page
    assert text_start == "The team specifically"
    assert text_end == "for sexual purposes"
    assert "•" not in text_start + text_end


def test_white_space_is_collapsed() -> None:
    body = "Intro.\n\nCall   101\tto report   a crime."
    url = text_fragment_url(URL, body, body.index("Call"), len(body))
    assert terms_of(url) == ["Call 101 to report a crime."]


def test_words_are_never_cut() -> None:
    body = "Intro.\n\nSafeguarding officers visited the school on Monday."
    start = body.index("guarding")  # inside a word
    end = body.index("Mon") + 2  # inside a word
    assert terms_of(text_fragment_url(URL, body, start, end)) == ["Safeguarding officers visited the school on Monday."]


@pytest.mark.parametrize(("start", "end"), [(-1, 5), (5, 5), (0, 999), (10, 3)])
def test_bad_offsets(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="not inside"):
        text_fragment_url(URL, "Call 101 to report a crime.", start, end)


def test_passage_without_words() -> None:
    with pytest.raises(ValueError, match="no words"):
        text_fragment_url(URL, "Intro.\n\n“ ”\n\nOutro.", 8, 11)


def seed_articles() -> list[Article]:
    articles, problems = load_folder(SEEDS)
    assert not problems
    return articles


def test_round_trip_on_every_seed_passage() -> None:
    checked = 0
    for article in seed_articles():
        view = page_view(article.body).lower()  # browsers match text fragments ignoring case
        for passage in article_passages(article):
            url = text_fragment_url(article.url, article.body, passage.start, passage.end)
            assert url.startswith(article.url + "#:~:text=")
            terms = [term.lower() for term in terms_of(url)]
            passage_view = page_view(article.body[passage.start : passage.end]).strip('"“”').lower()
            at = view.index(passage_view)
            # the first match of the first term is the passage's start ...
            assert view.index(terms[0]) == at, terms
            if len(terms) == 2:
                # ... and the first match of textEnd after it is the passage's end
                after = view.index(terms[1], at + len(terms[0]))
                assert after + len(terms[1]) == at + len(passage_view), terms
                assert "\n" not in terms[0] and "\n" not in terms[1]
            else:
                assert terms[0] == passage_view
            checked += 1
    assert checked > 20
