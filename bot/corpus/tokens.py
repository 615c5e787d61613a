"""One tokenizer for passages and questions alike.

BM25 only matches what the tokenizer makes equal, so anything a user may type verbatim must come
out of the article and the question as the same token: phone numbers with or without spaces,
web addresses with or without `https://www.`, hashtags with or without `#`, and acronyms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from bot.corpus import nltk_parts

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# A web address: optional scheme, two or more dot-separated labels ending in an alphabetic label
# of two letters or more (so "e.g." and "No.10" are not addresses), then an optional path.
URL_PATTERN = r"(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:/[^\s<>\"')\]]*)?"
# UK phone numbers as printed: 0808 1000 900, 0800-555-111, +44 808 800 5000, 08081000900.
PHONE_PATTERN = r"(?:\+44\s?|0)\d{2,4}(?:[ -]?\d{3,4}){1,2}"
_HASHTAG = r"#\w+"
_WORD = r"[^\W_]+(?:['’][^\W_]+)*"
_TOKEN_RE = re.compile(
    rf"(?P<url>(?<![\w@.]){URL_PATTERN})|(?P<phone>(?<![\w+]){PHONE_PATTERN}(?!\w))|(?P<tag>{_HASHTAG})|(?P<word>{_WORD})",
    re.IGNORECASE,
)
_WORD_RE = re.compile(_WORD)
# Anything that might start an address, phone number or hashtag sends text down the slow path.
_MAYBE_COMPOUND = re.compile(r"[#/@+]|\w\.\w|\d")
_CAMEL_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_CAMEL_CASE = re.compile(r"[a-z][A-Z]")
_TRAILING_URL_PUNCT = ".,;:!?"
_URL_NOISE = frozenset({"http", "https", "www"})


def read_word_list(name: str) -> list[str]:
    """The non-blank, non-comment lines of a word list shipped in bot/data."""
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@cache
def stopwords() -> frozenset[str]:
    """The shipped stopword list (nltk's corpus cannot be downloaded here)."""
    return frozenset(read_word_list("stopwords.txt"))


@cache
def _stemmer():  # nltk's SnowballStemmer("english")
    return nltk_parts.snowball().SnowballStemmer("english")


@cache
def stem(word: str) -> str:
    """Snowball stem of a lower-case word, memoised: a corpus repeats few distinct words. A US
    spelling's stem is its UK spelling's (data/spellings.txt), so every form of the word maps."""
    found = _synonyms().get(word) or _stemmer().stem(word)
    return _uk_stems().get(found, found)


@cache
def _uk_stems() -> dict[str, str]:
    """The stem of each whole-word US spelling in data/spellings.txt -> its UK spelling's stem."""
    mapping: dict[str, str] = {}
    for line in read_word_list("spellings.txt"):
        uk, _, variants = (part.strip().lower() for part in line.partition(":"))
        for us in (v.strip() for v in variants.split(",")):
            if us and not us.endswith("*") and _stemmer().stem(us) != _stemmer().stem(uk):
                mapping[_stemmer().stem(us)] = _stemmer().stem(uk)
    return mapping


@cache
def _synonyms() -> dict[str, str]:
    """Map each variant word to the stem of its canonical word (see data/synonyms.txt)."""
    mapping: dict[str, str] = {}
    for line in read_word_list("synonyms.txt"):
        canonical, _, variants = line.partition(":")
        target = _stemmer().stem(canonical.strip().lower())
        for variant in variants.split(","):
            if variant.strip():
                mapping[variant.strip().lower()] = target
        mapping[canonical.strip().lower()] = target
    return mapping


def normalise_url(url: str) -> str:
    """Lower-case address without scheme, `www.` or trailing slash: how users tend to type it."""
    url = url.lower().rstrip("/")
    url = re.sub(r"^https?://", "", url)
    return url.removeprefix("www.").rstrip("/")


@cache
def _respellings() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """Whole-word and prefix respellings from data/textspeak.txt and data/spellings.txt (whose
    whole-word entries are also mapped by stem, in `stem`, for the forms not listed)."""
    words: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    for name in ("textspeak.txt", "spellings.txt"):
        for line in read_word_list(name):
            standard, _, variants = (part.strip().lower() for part in line.partition(":"))
            for variant in (v.strip() for v in variants.split(",")):
                if variant.endswith("*"):
                    prefixes.append((variant[:-1], standard.removesuffix("*")))
                elif variant:
                    words[variant] = standard
    return words, tuple(sorted(prefixes, key=lambda p: -len(p[0])))


def respell(word: str) -> str:
    """A lower-case word as the articles would spell it: text-speak spelt out (`ppl` ->
    `people`), US spellings with a listed prefix made UK (`behaviors` -> `behaviours`)."""
    words, prefixes = _respellings()
    if word in words:
        return words[word]
    for us, uk in prefixes:
        if word.startswith(us):
            return uk + word[len(us) :]
    return word


@cache
def _word_terms(word: str) -> tuple[str, ...]:
    """The term (if any) of one word as written; memoised, since a corpus repeats its words."""
    word = respell(word.lower().replace("’", "'"))
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    if word and word not in stopwords() and (len(word) > 1 or word.isdigit()):
        return (stem(word),)
    return ()


def _compound_terms(word: str) -> Iterator[str]:
    """A run-together name (`OnlineSafetyAtHome`): the whole word, then its parts."""
    yield stem(word.lower())
    for part in _CAMEL_RE.findall(word):
        yield from _word_terms(part)


def term_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (term, start, end) for every index term in `text`, in order.

    A compound (address, phone number, hashtag) yields its whole form and then its parts, all
    with the compound's span, so a user can find it by the whole or by a part.
    """
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        start, end = match.span()
        raw = match.group()
        if kind == "url":
            stripped = raw.rstrip(_TRAILING_URL_PUNCT)
            end -= len(raw) - len(stripped)
            address = normalise_url(stripped)
            yield address, start, end
            host = address.split("/", 1)[0]
            if host != address:
                yield host, start, end
            for part in re.findall(r"[^\W_]+", address):
                if part not in _URL_NOISE:
                    for term in _word_terms(part):
                        yield term, start, end
        elif kind == "phone":
            digits = re.sub(r"\D", "", raw)
            if digits.startswith("44") and raw.startswith("+"):
                digits = "0" + digits[2:]
            yield digits, start, end
        elif kind == "tag":
            yield raw.lower(), start, end
            for term in _compound_terms(raw[1:]):
                yield term, start, end
        elif not raw.islower() and _CAMEL_CASE.search(raw):
            for term in _compound_terms(raw):
                yield term, start, end
        else:
            for term in _word_terms(raw):
                yield term, start, end


@cache
def _plain_terms(word: str) -> tuple[str, ...]:
    return tuple(_compound_terms(word)) if _CAMEL_CASE.search(word) else _word_terms(word)


def tokenize(text: str) -> list[str]:
    """The index terms of `text`: lower case, stemmed, stopwords dropped.

    The same terms as `term_spans`. Text with nothing that could be an address, number or
    hashtag (most of a corpus) takes a fast path: indexing speed is tokenizing speed.
    """
    if _MAYBE_COMPOUND.search(text):
        return [term for term, _, _ in term_spans(text)]
    terms: list[str] = []
    for word in _WORD_RE.findall(text):
        terms += _plain_terms(word)
    return terms
