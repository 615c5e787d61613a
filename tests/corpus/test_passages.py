import pytest

from bot.corpus.articles import BULLET, clean_body
from bot.corpus.passages import MAX_CHARS, TARGET_CHARS, article_passages, is_heading, split_sentences


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
        lead = p.article.body[p.lead[0] : p.lead[1]] + " " if p.lead[0] >= 0 else ""
        assert " ".join((lead + p.article.body[p.start : p.end]).split()) == " ".join(p.text.split())
        raw = p.article.path.read_text(encoding="utf-8")
        for line in p.text.split("\n"):
            assert line.removeprefix(BULLET) in " ".join(raw.replace("**", "").split())


def test_clean_body_is_idempotent() -> None:
    body = clean_body("A.\n\nLead in:\n * one\n * two\n\nB.")
    assert clean_body(body) == body


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("How you can help reduce the risk", True),
        ("What is the Special Constabulary?", True),
        ("Class of 2024: Meet our trainee police dogs", True),
        ("Officers were called at 10pm.", False),
        ("“We will find you,” he said", False),
        ("He said:", False),
        (" ".join(["word"] * 20), False),
    ],
)
def test_heading_shape(line: str, heading: bool) -> None:
    assert is_heading(line) is heading


def test_heading_travels_with_the_paragraph_it_heads(write_article) -> None:
    article = _article(
        write_article,
        "Intro paragraph.\n\nWho is talking to your child?\n\nStrangers can pretend to be children in chat rooms.",
    )
    texts = [p.text for p in article_passages(article)]
    assert texts == [
        "Intro paragraph.",
        "Who is talking to your child?\nStrangers can pretend to be children in chat rooms.",
    ]


def test_heading_before_a_list_is_its_lead_in_for_every_chunk(write_article) -> None:
    items = [
        f" * Tip number {i}: keep the computer where you can see it and talk about what they do online"
        for i in range(12)
    ]
    article = _article(write_article, "How you can help reduce the risk\n\n" + "\n".join(items) + "\n\nAfter the list.")
    passages = article_passages(article)
    chunks = [p for p in passages if "Tip number" in p.text]
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.text.startswith(f"How you can help reduce the risk\n{BULLET}Tip number")
        assert len(chunk.text) <= MAX_CHARS
    assert [p.lead == (-1, -1) for p in chunks] == [True] + [False] * (len(chunks) - 1)
    numbers = [line.split()[3] for c in chunks for line in c.text.split("\n")[1:]]
    assert numbers == [f"{i}:" for i in range(12)]  # every item once, in order
    assert passages[-1].text == "After the list."


def test_long_list_chunks_carry_the_lead_in_sentence(write_article) -> None:
    items = [
        f" * Never hand your bank card to courier number {i} who calls at your front door today" for i in range(12)
    ]
    article = _article(write_article, "Courier fraud is rising. Remember these rules:\n" + "\n".join(items))
    chunks = article_passages(article)
    assert len(chunks) > 1 and chunks[0].text.startswith("Courier fraud is rising. Remember these rules:\n")
    for chunk in chunks[1:]:
        assert chunk.text.startswith(f"Remember these rules:\n{BULLET}Never hand")
        body = chunk.article.body
        assert body[chunk.lead[0] : chunk.lead[1]] == "Remember these rules:"
        assert body[chunk.start : chunk.end].startswith(BULLET)
    assert sum(len(c.text) for c in chunks) > TARGET_CHARS


def test_a_sign_off_after_the_last_paragraph_is_not_a_passage(write_article) -> None:
    article = _article(write_article, "The article text.\n\nJane Smith, Chief Constable, Kent Police")
    assert [p.text for p in article_passages(article)] == ["The article text."]


def test_saved_index_keeps_list_lead_ins(write_article, tmp_path) -> None:
    from bot.search.index import Index

    items = [
        f" * Never hand your bank card to courier number {i} who calls at your front door today" for i in range(12)
    ]
    article = _article(write_article, "Remember these rules:\n" + "\n".join(items))
    index = Index([article])
    assert [p.text for p in index.passages] == [p.text for p in article_passages(article)]
    assert index.search("courier number 11")[0].passage.text.startswith("Remember these rules:")
