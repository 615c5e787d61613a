import pytest

from bot.search.evidence import MANY_WORDS, Evidence, evidence, weigh


def test_one_word_asked_and_found_answers() -> None:
    assert Evidence(coverage=1.0, meaning=0.1, matched=1, terms=1).answers


def test_nothing_shared_never_answers() -> None:
    assert not Evidence(coverage=0.0, meaning=0.9, matched=0, terms=3).answers


def test_a_single_shared_word_needs_strong_evidence() -> None:
    assert not Evidence(coverage=0.35, meaning=0.15, matched=1, terms=2).answers
    assert Evidence(coverage=0.4, meaning=0.35, matched=1, terms=3).answers


def test_many_shared_words_answer_whatever_the_rest() -> None:
    assert Evidence(coverage=0.2, meaning=0.1, matched=MANY_WORDS, terms=14).answers


def test_unknown_words_weigh_as_much_as_the_rarest_known_word() -> None:
    weight = weigh(lambda t: {"known": 1, "common": 50}.get(t, 0), 100)
    assert weight("unknown") == weight("known") > weight("common")
    e = evidence(["known", "unknown"], lambda t: weight(t) if t != "common" else 0.0, {"known"}, 0.3)
    assert e.coverage == pytest.approx(0.5) and e.matched == 1 and e.terms == 2


@pytest.mark.parametrize(
    "question",
    [
        "my kid is getting creepy messages from an adult on roblox what do i do",
        "someone online is asking my daughter for photos",
        "what is CPET?",
    ],
)
def test_colloquial_answerable_questions_are_answered(seed_index, question) -> None:
    assert seed_index.search(question, k=3)


@pytest.mark.parametrize(
    "question",
    [
        "What is the minimum eyesight standard to join West Mercia Police?",  # shares only the force
        "What did West Mercia Police say about the Breck Bednar case?",  # names nobody in the articles
        "what time does the police station open",
        "how do I report a burglary",
    ],
)
def test_questions_sharing_a_word_or_two_are_declined(seed_index, question) -> None:
    assert seed_index.search(question, k=3) == []
