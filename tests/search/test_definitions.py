""" "What is CPET?": a question asking what an acronym stands for wants the passage that spells
it out, not the one that only mentions it."""

import pytest

from bot.search.answer_types import AnswerType, answer_type, defined_acronym, defines
from bot.search.rerank import features, mix


@pytest.mark.parametrize(
    ("question", "acronym"),
    [
        ("what is CPET?", "CPET"),
        ("What does CEOP stand for?", "CEOP"),
        ("what's the NSPCC", "NSPCC"),
        ("what are ACEs?", "ACEs"),
        ("what is county lines", None),  # no acronym: any passage may explain it
        ("what is cpet", None),  # lower case: not recognisably an acronym
        ("what is the CEOP phone number", None),  # asks for a number, not what CEOP stands for
        ("is CPET part of the police?", None),
    ],
)
def test_defined_acronym(question, acronym) -> None:
    assert defined_acronym(question) == acronym
    assert (answer_type(question) is AnswerType.DEFINITION) is (acronym is not None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("officers from the Child Protection and Exploitation Team (CPET) will answer", True),
        ("CPET (Child Protection and Exploitation Team) officers will answer", True),
        ("CPET stands for the Child Protection and Exploitation Team.", True),
        ("Detective Inspector Simon Caton from the force's CPET said it was shocking.", False),
        ("the National Crime Agency (NCA) and CPET", False),  # spells out another acronym
    ],
)
def test_defines(text, expected) -> None:
    assert defines("CPET", text) is expected


def test_a_what_is_acronym_question_prefers_the_passage_that_spells_it_out() -> None:
    texts = {
        0: "Detective Inspector Simon Caton from the force's CPET, said it was shocking.",
        1: "The public can ask questions of officers from the Child Protection and Exploitation Team (CPET) "
        "through a Facebook live event, the force said, which will also cover how to stay safe online.",
    }
    question = "what is CPET?"
    ranked = [(0, 2.8), (1, 2.6)]  # the shorter passage that only mentions it wins on BM25
    kind = answer_type(question)
    order = mix(features({"cpet": 3.0}, kind, ranked, [0.35, 0.3], texts.get, None, defined_acronym(question)))
    assert [c.doc for c in order] == [1, 0] and [c.typed for c in order] == [1.0, 0.0]
