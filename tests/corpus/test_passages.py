import pytest

from bot.corpus.articles import BULLET, clean_body
from bot.corpus.passages import MAX_CHARS, article_passages, split_sentences


@pytest.mark.parametrize(
    "text",
    [
        "Det Insp. Simon Caton said the team will act.",
        "Det Supt. Jane Smith led the operation.",
        "DCI Gavin Kinrade leads the team.",
        "Mr. Smith and Mrs. Jones attended.",
        "The house at No. 10 was searched.",
        "Ch Insp. Brown and Sgt. Green spoke to Dr. Patel.",
        "Runs a Stop It Now! Helpline on 0808 1000 900 for advice.",
        "Visit www.ceop.police.uk/safety-centre for advice.",
    ],
)
def test_abbreviations_do_not_end_a_sentence(text: str) -> None:
    assert split_sentences(text) == [text]


def test_sentences_split_and_quotes_stay_with_their_sentence() -> None:
    text = 'He said: "It is shocking. We are working hard." Then the officers left. Visit www.fearless.org. Done.'
    assert split_sentences(text) == [
        'He said: "It is shocking.',
        'We are working hard."',
        "Then the officers left.",
        "Visit www.fearless.org.",
        "Done.",
    ]


def _article(write_article, body):
    from bot.corpus.articles import read_article

    return read_article(write_article("a.txt", body=body))


def test_list_lead_in_stays_with_its_items(write_article) -> None:
    article = _article(
        write_article,
        "Intro paragraph.\n\nUnder Operation Safenet the team specifically target those who:\n\n"
        " * Possess and distribute images\n * Engage children online\n\nAfter the list.",
    )
    texts = [p.text for p in article_passages(article)]
    assert texts == [
        "Intro paragraph.",
        f"Under Operation Safenet the team specifically target those who:\n{BULLET}Possess and distribute images\n"
        f"{BULLET}Engage children online",
        "After the list.",
    ]


def test_passages_stay_within_a_paragraph_and_carry_offsets(write_article) -> None:
    sentences = [f"Sentence number {i} talks about online safety for children and parents." for i in range(30)]
    body = " ".join(sentences) + "\n\nSecond paragraph."
    article = _article(write_article, body)
    passages = article_passages(article)
    assert len(passages) > 3
    assert passages[-1].text == "Second paragraph."
    for i, p in enumerate(passages):
        assert p.index == i
        assert " ".join(article.body[p.start : p.end].split()) == p.text
        assert len(p.text) <= MAX_CHARS
        assert p.text.endswith(".")  # cut at a sentence boundary
    # together, the passages of the first paragraph are the whole paragraph, in order
    first = [p.text for p in passages[:-1]]
    assert " ".join(first) == " ".join(sentences)


def test_open_quote_is_not_cut_when_it_fits(write_article) -> None:
    quote = '"' + " ".join(f"Part {i} of what the inspector said about the operation." for i in range(8)) + '"'
    article = _article(write_article, "The inspector said: " + quote)
    passages = article_passages(article)
    assert len(passages) == 1


def test_short_tail_joins_previous_passage(write_article) -> None:
    long = " ".join(f"This is sentence {i} about reporting concerns to the police." for i in range(8))
    article = _article(write_article, long + " Short end.")
    passages = article_passages(article)
    assert passages[-1].text.endswith("Short end.") and passages[-1].text != "Short end."


def test_seed_passages_are_verbatim(seed_index) -> None:
    for p in seed_index.passages:
        assert " ".join(p.article.body[p.start : p.end].split()) == " ".join(p.text.split())
        raw = p.article.path.read_text(encoding="utf-8")
        for line in p.text.split("\n"):
            assert line.removeprefix(BULLET) in " ".join(raw.replace("**", "").split())


def test_clean_body_is_idempotent() -> None:
    body = clean_body("A.\n\nLead in:\n * one\n * two\n\nB.")
    assert clean_body(body) == body
