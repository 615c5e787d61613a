"""Among passages of one article, the one with a sentence holding most of the question's words
beyond the article's title comes first; the order of articles never changes."""

import pytest

from bot.search.answer_sentence import sentence_share
from bot.search.answer_types import AnswerType
from bot.search.rerank import Candidate, focused, within_articles


def test_sentence_share_is_the_best_single_sentence() -> None:
    text = "Tom was last seen on Friday. He was carrying a red rucksack."
    assert sentence_share(text, {"tom": 1.0, "carri": 1.0}) == 0.5
    assert sentence_share("Tom was carrying a bag.", {"tom": 1.0, "carri": 3.0}) == 1.0
    assert sentence_share(text, {"knife": 1.0}) == 0.0
    assert sentence_share(text, {}) == 0.0


def _candidates(scores: list[float]) -> list[Candidate]:
    return [Candidate(doc, 1.0, 0.0, 0.0, score=s) for doc, s in enumerate(scores)]


def test_passages_move_only_within_their_article() -> None:
    article = {0: "a", 1: "b", 2: "a", 3: "b", 4: "a"}.__getitem__
    ranked = _candidates([1.0, 0.9, 0.8, 0.7, 0.6])
    focus = {0: 0.0, 1: 0.0, 2: 0.0, 3: 1.0, 4: 1.0}
    out = within_articles(ranked, lambda d: ord(article(d)), lambda c: focus[c.doc], 0.5)
    assert [article(c.doc) for c in out] == ["a", "b", "a", "b", "a"]  # the articles keep their places
    assert [c.doc for c in out] == [4, 3, 0, 1, 2]


def test_a_small_focus_does_not_overturn_a_clear_lead() -> None:
    ranked = _candidates([1.0, 0.5])
    out = within_articles(ranked, lambda _: 0, lambda c: float(c.doc), 0.4)
    assert [c.doc for c in out] == [0, 1]


TEXTS = {
    0: "Tom, who is 40, was last seen in Leeds at around 2pm on Friday.",
    1: "Tom was carrying a red rucksack and wearing a blue coat.",
    2: "Officers in Leeds are appealing for help.",
}
WEIGHT = {"tom": 3.0, "carri": 2.0, "miss": 1.0, "man": 1.0, "leed": 1.0}
TITLE = {"miss", "man", "leed", "last", "seen"}  # "Missing Leeds man last seen on Friday"


@pytest.mark.parametrize(("kind", "order"), [(None, [1, 0, 2]), (AnswerType.PLACE, [0, 1, 2])])
def test_only_a_question_of_no_answer_type_is_reordered(kind, order) -> None:
    ranked = _candidates([1.2, 1.1, 0.5])
    out = focused(kind, ranked, WEIGHT, TEXTS.__getitem__, lambda _: 0, lambda _: TITLE)
    assert [c.doc for c in out] == order


def test_the_terms_a_text_is_known_to_hold_give_the_same_share() -> None:
    weight = {"tom": 1.0, "carri": 1.0, "bag": 2.0}
    for text in ("Tom was carrying a bag.", "Tom was seen. He was carrying a bag.", "Nothing here."):
        from bot.corpus.tokens import tokenize

        found = [t for t in weight if t in tokenize(text)]
        assert sentence_share(text, weight, found) == sentence_share(text, weight)


def test_only_the_first_places_are_ordered_and_only_passages_that_could_reach_them_read() -> None:
    ranked = _candidates([1.0, 0.9, 0.8, 0.3, 0.2])
    focus = {0: 0.0, 1: 1.0, 2: 0.5, 3: 1.0, 4: 1.0}
    read: list[int] = []

    def reading(c: Candidate) -> float:
        read.append(c.doc)
        return focus[c.doc]

    whole = within_articles(ranked, lambda _: 0, lambda c: focus[c.doc], 0.5)
    assert [c.doc for c in whole] == [1, 2, 0, 3, 4]  # by score + 0.5 x focus
    shown = within_articles(ranked, lambda _: 0, reading, 0.5, depth=2)
    assert [c.doc for c in shown] == [1, 2, 0, 3, 4]
    assert read == [0, 1, 2]  # 0.3 + 0.5 cannot beat the second place's 1.05
