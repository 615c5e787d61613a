from collections import Counter

import pytest

from bot.corpus.spelling import Speller
from bot.corpus.tokens import tokenize

ARTICLE = (
    "Children worried about online gaming or social media can report anonymously. Officers have "
    "safeguarded 445 children and arrested 400 people. The force thanked the community group. Grooming "
    "is a crime, groomers are caught and groomed children helped. Lock your door."
)


@pytest.fixture
def speller() -> Speller:
    counts = Counter(tokenize(ARTICLE))
    return Speller(lambda: list(counts), lambda term: counts.get(term, 0))


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("how many childern were safegarded", "how many children were safeguarded"),
        ("can i report anonymusly", "can i report anonymously"),
        ("what age groop", "what age group"),  # the commoner English word, not `groom`
    ],
)
def test_misspellings_are_corrected_to_the_articles_words(speller: Speller, typed: str, meant: str) -> None:
    assert speller.correct(typed) == tokenize(meant)


def test_real_words_and_names_the_articles_lack_are_left_alone(speller: Speller) -> None:
    assert speller.correct("how do i block them") == tokenize("how do i block them")  # not `lock`
    assert speller.correct("what did Surrey say about Breck Bednar") == tokenize(
        "what did Surrey say about Breck Bednar"
    )


def test_unknown_platform_names_become_what_articles_call_them(speller: Speller) -> None:
    assert speller.correct("creepy messages on roblox") == tokenize("creepy messages on online gaming")
    assert speller.correct("is tiktok safe") == tokenize("is social media online safe")


def test_a_platform_the_articles_name_is_kept() -> None:
    counts = Counter(tokenize("A girl was groomed on Snapchat. Social media firms must act."))
    speller = Speller(lambda: list(counts), lambda term: counts.get(term, 0))
    assert speller.correct("groomed on snapchat") == tokenize("groomed snapchat")


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ("who do i report it 2", ["report"]),
        ("is it safe 4 my kid", ["safe", "child"]),
        ("talk 2 someone", ["talk"]),
        ("arrested in 2 days", ["arrest", "2", "day"]),
        ("4 people were arrested", ["4", "peopl", "arrest"]),
    ],
)
def test_a_lone_2_or_4_is_to_or_for_only_between_words(speller: Speller, typed: str, terms: list[str]) -> None:
    assert speller.correct(typed) == terms


def test_nothing_is_built_for_questions_the_index_knows() -> None:
    built = []
    counts = Counter(tokenize(ARTICLE))
    speller = Speller(lambda: built.append(1) or list(counts), lambda term: counts.get(term, 0))
    assert speller.correct("children report anonymously") == tokenize("children report anonymously")
    assert built == []


def test_at_most_three_words_of_a_question_are_looked_up(speller: Speller) -> None:
    typed = "childern safegarded anonymusly comunity"
    assert speller.correct(typed) == tokenize("children safeguarded anonymously") + tokenize("comunity")
    assert speller.correct("comunity") == tokenize("community")
