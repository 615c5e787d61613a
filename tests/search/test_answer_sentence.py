from bot.search.answer_sentence import best_sentence, sentence_bounds
from bot.search.answer_types import AnswerType


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_bounds(text)]


def test_sentences_keep_closing_quotes_names_with_bangs_and_list_items() -> None:
    text = 'He said: "Call 101." A Stop It Now! Helpline runs daily. Visit www.ceop.police.uk.\n• one item\n• two'
    assert _sentences(text) == [
        'He said: "Call 101."',
        "A Stop It Now! Helpline runs daily.",
        "Visit www.ceop.police.uk.",
        "• one item",
        "• two",
    ]


def test_best_sentence_holds_the_answer_type_asked_for() -> None:
    text = "The gun amnesty was launched today. The amnesty runs from 12 July to 26 July. Guns can be handed in."
    weight = {"amnesti": 2.0, "gun": 1.0}
    start, end = best_sentence(text, ["amnesti"], weight, AnswerType.DATE)
    assert text[start:end] == "The amnesty runs from 12 July to 26 July."
    start, end = best_sentence(text, ["gun", "amnesti"], weight, None)
    assert text[start:end] == "The gun amnesty was launched today."


def test_no_sentence_when_none_shares_a_word() -> None:
    assert best_sentence("Nothing relevant here.", ["amnesti"], {"amnesti": 1.0}, None) is None
