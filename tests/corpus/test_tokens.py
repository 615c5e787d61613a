import pytest

from bot.corpus.tokens import normalise_url, respell, term_spans, tokenize


@pytest.mark.parametrize(
    ("typed", "in_article"),
    [
        ("0808 1000 900", "runs a Stop It Now! Helpline on 0808 1000 900, which offers"),
        ("08081000900", "runs a Stop It Now! Helpline on 0808 1000 900, which offers"),
        ("+44 808 1000 900", "Helpline on 0808 1000 900."),
        ("0800-555-111", "Crimestoppers on 0800 555 111"),
        ("www.ceop.police.uk/safety-centre", "through the website at www.ceop.police.uk/safety-centre. The website"),
        ("https://www.ceop.police.uk/safety-centre/", "at www.ceop.police.uk/safety-centre."),
        ("ceop.police.uk", "at www.ceop.police.uk/safety-centre."),
        ("fearless.org", "visit https://www.fearless.org/"),
        ("#OnlineSafetyAtHome", "launched a new #OnlineSafetyAtHome campaign"),
        ("OnlineSafetyAtHome", "launched a new #OnlineSafetyAtHome campaign"),
        ("online safety at home", "launched a new #OnlineSafetyAtHome campaign"),
        ("CEOP", "the Child Exploitation and Online Protection Command (CEOP)"),
        ("ceop", "report it to CEOP."),
        ("CPET", "the Child Protection and Exploitation Team (CPET) through"),
        ("NCA", "The NCA said"),
    ],
)
def test_what_users_type_matches_the_article(typed: str, in_article: str) -> None:
    query = set(tokenize(typed))
    assert query, typed
    assert query <= set(tokenize(in_article)), (tokenize(typed), tokenize(in_article))


def test_phone_number_is_one_token_not_loose_digits() -> None:
    assert tokenize("call 0808 1000 900 now") == ["call", "08081000900"]
    # Loose numbers in text do not merge into a phone number.
    assert tokenize("made 562 arrests and 598 children") == ["made", "562", "arrest", "598", "child"]


def test_url_token_drops_trailing_punctuation_and_scheme() -> None:
    spans = list(term_spans("Visit www.fearless.org. Then"))
    assert spans[1] == ("fearless.org", 6, 22)
    assert normalise_url("HTTPS://www.Example.org/Path/") == "example.org/path"


def test_abbreviations_and_dotted_numbers_are_not_addresses() -> None:
    assert "e.g" not in tokenize("e.g. No.10 and 3.5 miles")
    assert "10" in tokenize("No.10")


def test_stopwords_dropped_and_words_stemmed() -> None:
    assert tokenize("Where can I report the grooming of children?") == ["report", "groom", "child"]
    assert tokenize("groomed") == tokenize("grooming")


def test_synonyms_map_everyday_words_to_the_articles_words() -> None:
    assert tokenize("my kid") == tokenize("children")
    assert tokenize("who do I tell") == tokenize("report")
    assert tokenize("staffs") == tokenize("Staffordshire")


def test_possessives_and_curly_apostrophes() -> None:
    assert tokenize("the force’s team") == tokenize("the force's team") == tokenize("force team")


def test_spans_point_at_the_words() -> None:
    text = "Report grooming to CEOP."
    for term, start, end in term_spans(text):
        assert text[start:end].lower().startswith(term[:3])


def test_empty_and_punctuation_only() -> None:
    assert tokenize("") == []
    assert tokenize("?!... --- ***") == []


def test_fast_tokenize_equals_term_spans(seed_index) -> None:
    texts = [a.body for a in seed_index.articles] + [
        "Call +44 808 1000 900 or 0800-555-111, see https://www.Fearless.org/, #OnlineSafetyAtHome and iPhone’s UK-wide",
    ]
    for text in texts:
        assert tokenize(text) == [term for term, _, _ in term_spans(text)]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("ppl", "people"),
        ("some1 pls", ""),  # someone, please: stopwords either way
        ("skool", "school"),
        ("2day", "today"),
        ("behavior", "behaviour"),
        ("neighbors", "neighbours"),
        ("organize", "organise"),
        ("analyzed", "analysed"),
        ("pedophiles", "paedophiles"),
        ("defense", "defence"),
        ("mom", "mum"),
    ],
)
def test_text_speak_and_us_spellings_match_the_articles_words(typed: str, written: str) -> None:
    assert tokenize(typed) == tokenize(written)


def test_respelling_leaves_ordinary_words_alone() -> None:
    for word in ("size", "seize", "citizen", "program", "center", "check"):
        assert respell(word) in (word, {"program": "programme", "center": "centre"}.get(word))
    assert tokenize("prize seized") == ["prize", "seiz"]
