"""A "where can I get advice / help / support" question is answered by a named service as well
as by a phone number or a web address; "how do I report" still wants the number or address."""

import pytest

from bot.search.answer_types import AnswerType, answer_type, holds_answer
from bot.search.rerank import features, mix


@pytest.mark.parametrize(
    "question",
    [
        "where can I get advice about keeping my children safe online as a parent?",
        "where can parents get help if their child is being groomed",
        "Where do I find support after a scam?",
        "where to get information about county lines",
        "who can I get advice from about online safety",
    ],
)
def test_where_to_get_help_questions(question) -> None:
    assert answer_type(question) is AnswerType.HELP


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("where can I report online grooming?", AnswerType.CONTACT),
        ("how can I get help reporting a scam", AnswerType.CONTACT),
        ("what is the helpline number for advice", AnswerType.PHONE),
        ("Where were officers patrolling at Easter?", AnswerType.PLACE),
    ],
)
def test_other_questions_keep_their_type(question, kind) -> None:
    assert answer_type(question) is kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Get Safe Online has some valuable advice for parents.", True),
        ('He said: "Get Safe Online offers advice."', True),
        ("Advice is available from the Lucy Faithfull Foundation.", True),
        ("Parents can find advice at www.thinkuknow.co.uk.", True),
        ("Call the helpline on 0808 1000 900.", True),
        ("Parents should talk to their children about being online.", False),
        ("Officers said it was important to stay safe.", False),
        ("Stay Safe this summer, officers said.", False),  # a capitalised run with no verb of giving
    ],
)
def test_a_named_service_answers_a_where_to_get_help_question(text, expected) -> None:
    assert holds_answer(AnswerType.HELP, text) is expected


def test_reporting_still_wants_a_number_or_an_address() -> None:
    assert not holds_answer(AnswerType.CONTACT, "Report it to Action Fraud.")


def test_a_where_to_get_advice_question_prefers_the_named_service() -> None:
    texts = {
        0: "Parents were told to keep talking to their children about what they do online.",
        1: "Get Safe Online has some valuable advice for parents and carers.",
    }
    question = "where can I get advice about keeping my children safe online as a parent?"
    weight = {"advic": 2.0, "child": 1.0, "safe": 1.0, "onlin": 1.0, "parent": 1.0}
    ranked = [(0, 10.0), (1, 9.0)]
    order = mix(features(weight, answer_type(question), ranked, [0.4, 0.4], texts.get))
    assert [c.doc for c in order] == [1, 0] and order[0].typed > 0
