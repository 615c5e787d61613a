import pytest

from bot.search.answer_types import AnswerType, answer_type, counted_term, counts, holds_answer
from bot.search.rerank import features, mix


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When was the gun amnesty?", AnswerType.DATE),
        ("what date does the campaign start", AnswerType.DATE),
        ("How many children were safeguarded?", AnswerType.NUMBER),
        ("how much money did the scammers take", AnswerType.NUMBER),
        ("what is the stop it now helpline number", AnswerType.PHONE),
        ("what number do I call about a scam?", AnswerType.PHONE),
        ("Who leads the online exploitation team?", AnswerType.PERSON),
        ("which charity runs the helpline", AnswerType.PERSON),
        ("Where were officers patrolling at Easter?", AnswerType.PLACE),
        ("where can I report online grooming?", AnswerType.CONTACT),
        ("how should we report a cyber attack", AnswerType.CONTACT),
        ("my kid is getting messages from a stranger, who do I tell", AnswerType.CONTACT),
        ("what is the website for reporting fraud", AnswerType.WEB),
        ("what is county lines", None),
        ("how much is known about boundary layer flows", None),
        ("how far can one trust the linear solution", None),
        ("scam warning", None),
    ],
)
def test_answer_type_of_question(question, kind) -> None:
    assert answer_type(question) is kind


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (AnswerType.DATE, "The amnesty runs from Saturday 12 July to 26 July.", True),
        (AnswerType.DATE, "On 29 December 2015, police were given the power.", True),
        (AnswerType.DATE, "Police are appealing for information.", False),
        (AnswerType.NUMBER, "519 vulnerable adults and 364 children were safeguarded", True),
        (AnswerType.NUMBER, "Hundreds of people were arrested.", True),
        (AnswerType.NUMBER, "People were arrested.", False),
        (AnswerType.PHONE, "Call the helpline on 0808 1000 900.", True),
        (AnswerType.PHONE, "Call 101 or 999 in an emergency.", True),
        (AnswerType.PHONE, "Call the helpline.", False),
        (AnswerType.WEB, "Visit www.ceop.police.uk/safety-centre to report.", True),
        (AnswerType.CONTACT, "Report it to Action Fraud on 0300 123 2040.", True),
        (AnswerType.CONTACT, "Report it to Action Fraud.", False),
        (AnswerType.PERSON, "Detective Inspector Simon Caton said it was shocking.", True),
        (AnswerType.PLACE, "Officers patrolled in Portrush and along the north coast.", True),
    ],
)
def test_holds_answer(kind, text, expected) -> None:
    assert holds_answer(kind, text) is expected


def test_a_when_question_prefers_the_passage_with_the_date_over_the_intro() -> None:
    texts = {
        0: "Greater Manchester Police launched a gun amnesty, the first gun amnesty in Greater Manchester for years.",
        1: "The amnesty will be held from Saturday 12 July to Saturday 26 July at police stations.",
        2: "Anyone who hands in a gun during the amnesty will not be prosecuted.",
    }
    ranked = [(0, 10.0), (2, 9.0), (1, 8.0)]  # BM25 prefers the intro, which repeats the title
    weight = {"gun": 1.0, "amnesti": 2.0}
    when = mix(features(weight, answer_type("When is the gun amnesty?"), ranked, [0.5, 0.5, 0.45], texts.get))
    assert [c.doc for c in when] == [1, 0, 2] and when[0].typed == 1.0
    plain = mix(features(weight, answer_type("gun amnesty"), ranked, [0.5, 0.5, 0.45], texts.get))
    assert [c.doc for c in plain] == [0, 2, 1]


def test_a_date_far_from_the_question_words_is_not_the_answer() -> None:
    text = "The amnesty is for guns and knives. Officers will be at the fair on Saturday 12 July."
    [candidate] = features({"amnesti": 1.0}, AnswerType.DATE, [(0, 1.0)], [0.5], lambda _: text)
    assert candidate.typed == 0.0


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("How many children were safeguarded?", "child"),
        ("How many online child sexual abuse arrests has Police Scotland made?", "arrest"),
        ("how many of the cars were stolen", "car"),
        ("What happened?", None),
    ],
)
def test_counted_term_is_the_noun_a_how_many_question_counts(question, term) -> None:
    assert counted_term(question) == term


def test_a_how_many_question_prefers_the_number_of_what_it_counts() -> None:
    texts = {
        0: "Almost 600 suspected members of county lines gangs were arrested in a week.",
        1: "• 519 vulnerable adults and 364 children were safeguarded in the week",
    }
    assert counts("child", texts[1]) and not counts("child", texts[0])
    question = "How many children were safeguarded in the county lines week?"
    weight = {"child": 1.0, "safeguard": 2.0, "counti": 1.0, "line": 1.0, "week": 0.5}
    kind = answer_type(question)
    ranked = [(0, 10.0), (1, 8.0)]
    order = mix(features(weight, kind, ranked, [0.3, 0.3], texts.get, counted_term(question)))
    assert [c.doc for c in order] == [1, 0]


def test_a_when_question_prefers_a_day_to_a_year() -> None:
    texts = {
        0: "Gun crime has fallen every year since the last amnesty we held in 2008.",
        1: "The amnesty will be held from Saturday 12 July.",
    }
    question = "When is the gun amnesty?"
    ranked = [(0, 10.0), (1, 9.0)]
    order = mix(features({"gun": 1.0, "amnesti": 2.0}, answer_type(question), ranked, [0.4, 0.4], texts.get))
    assert [c.doc for c in order] == [1, 0] and [c.typed for c in order] == [1.0, 0.5]


def test_a_where_question_prefers_the_place_to_an_intro_that_repeats_its_words() -> None:
    # The intro shares more of the question's words and means more like it; the place counts
    # for half an exact answer (a third was too little to lift it).
    texts = {
        0: "The PSNI is warning that such crimes may be hidden in plain sight this Easter.",
        1: "Officers will be patrolling in Portrush and on the North Coast this Easter.",
    }
    question = "Where were officers patrolling at Easter?"
    ranked = [(0, 10.0), (1, 8.3)]
    weight = {"offic": 1.0, "patrol": 2.0, "easter": 2.0}
    order = mix(features(weight, answer_type(question), ranked, [0.62, 0.29], texts.get))
    assert [c.doc for c in order] == [1, 0] and order[0].typed == 0.5
