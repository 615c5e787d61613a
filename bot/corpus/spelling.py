"""Question words the articles never use, put in the articles' words.

A question is tokenized like an article (tokens.py already spells out text-speak and makes US
spellings UK). What is left are words the index lacks, and for each this decides at question
time, against the index's own vocabulary:

- a platform name (`roblox`, `snapchat`) becomes the general words articles use for it
  (`online gaming`, `social media`; data/platforms.txt);
- a lone `2` or `4` between words (`who do i report it 2`, `4 my kid`) is `to` / `for`;
- a real English word (in symspellpy's 82,765-word frequency list) is left alone: the articles
  simply do not use it, and it is no misspelling of one they do;
- a capitalised word after the first (`Breck Bednar`) is a name, and left alone too;
- anything else is a misspelling when an index term, or an English word whose term the index
  has, is within one edit (two from ten letters on), found with rapidfuzz's optimal-string-alignment
  distance (Damerau-Levenshtein without repeated edits of one letter); the closest wins, then the one in most passages.

Nothing is built until a question has a word the index lacks; at most MAX_CORRECTED words of
one question are looked up, and in a large index only terms of two passages or more are
candidates, which bounds the time a garbled question can take.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib.resources import files

from bot.corpus.tokens import read_word_list, term_spans, tokenize

ENGLISH_WORDS = "frequency_dictionary_en_82_765.txt"  # shipped inside the symspellpy wheel
MIN_WORD_CHARS = 3  # shorter words are too ambiguous to correct
LONG_WORD_CHARS = 10  # from this length two edits are allowed, below it one
MEMO_SIZE = 10_000  # corrections remembered per index: people repeat their misspellings
MAX_CORRECTED = 3  # words looked up per question: bounds the time a garbled question takes
# In a large index, a term in a single passage is mostly a name, a number or a typo itself, and
# matching against those would double the time a lookup takes: only terms in two passages or
# more are candidates there.
LARGE_VOCABULARY = 20_000

# A lone 2 or 4 is text-speak when the next word shows it cannot be a count: a pronoun, a
# determiner or a verb (`talk 2 someone`, `4 my son`), or nothing (`who do i tell 2`).
_FOLLOWS_TO_FOR = (
    r"me|my|u|you|ur|your|him|his|her|them|their|us|our|it|the|a|an|this|that|some1|someone|anyone|any1|"
    r"be|do|get|go|use|see|talk|stop|report|tell|help|ask|find|keep|make|know|call|speak|say|contact|send|sum1"
)
_TEXT_SPEAK_DIGIT = re.compile(rf"(?<=[a-z] )[24](?= (?:{_FOLLOWS_TO_FOR})\b|\W*$)", re.IGNORECASE)
_PLAIN_WORD = re.compile(r"[a-z]+")


@cache
def english_words() -> dict[str, int]:
    """symspellpy's English word list with its corpus counts."""
    path = files("symspellpy") / ENGLISH_WORDS
    entries = (line.split() for line in path.read_text(encoding="utf-8").splitlines())
    return {word: int(count) for word, count in entries}


def _buckets(words: Iterable[str]) -> dict[tuple[str, int], list[str]]:
    """Words by first letter and length: a misspelling rarely changes the first letter, and
    one within two edits is within two letters of the length, so only a few buckets are read."""
    buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
    for word in words:
        if len(word) >= MIN_WORD_CHARS and word.isalpha():
            buckets[word[0], len(word)].append(word)
    return dict(buckets)


def _near(buckets: dict[tuple[str, int], list[str]], word: str, edits: int) -> Iterator[tuple[str, int]]:
    """(word, edits) for the bucketed words within `edits` of `word` (optimal string alignment:
    insertions, deletions, substitutions and swaps of neighbouring letters). rapidfuzz is
    imported here, when a question first has a word to correct: most never do."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    for n in range(len(word) - edits, len(word) + edits + 1):
        for choice, distance, _ in process.extract(
            word, buckets.get((word[0], n), ()), scorer=OSA.distance, score_cutoff=edits, limit=None
        ):
            yield choice, int(distance)


@cache
def _english_buckets() -> dict[tuple[str, int], list[str]]:
    return _buckets(english_words())


@cache
def platforms() -> dict[str, tuple[str, ...]]:
    """Each platform name with the general words for it (data/platforms.txt)."""
    mapping: dict[str, list[str]] = defaultdict(list)
    for line in read_word_list("platforms.txt"):
        words, _, names = line.partition(":")
        for name in (n.strip().lower() for n in names.split(",")):
            mapping[name].extend(w for w in words.split() if w not in mapping[name])
    return {name: tuple(words) for name, words in mapping.items()}


def _max_edits(word: str) -> int:
    return 1 if len(word) < LONG_WORD_CHARS else 2


class Speller:
    """Corrects questions against one index's vocabulary; `correct` is all a caller needs."""

    def __init__(self, vocabulary: Callable[[], Iterable[str]], doc_freq: Callable[[str], int]) -> None:
        self._vocabulary = vocabulary
        self._doc_freq = doc_freq
        self._buckets: dict[tuple[str, int], list[str]] | None = None
        self._memo: dict[tuple[str, str], tuple[str, ...]] = {}

    def correct(self, question: str) -> list[str]:
        """The index terms of `question` (as `tokenize` gives them), with the words the index
        lacks replaced as the module docstring says."""
        skip = {m.start() for m in _TEXT_SPEAK_DIGIT.finditer(question)}
        plain = tokenize(question)
        if not skip and all(self._doc_freq(t) for t in plain):  # most questions: nothing to do
            return plain
        terms: list[str] = []
        looked_up = 0
        for term, start, end in term_spans(question):
            if start in skip:
                continue
            written = question[start:end]
            word = written.lower()
            name = written[:1].isupper() and start > 0 and not question.isupper()  # `Breck Bednar`
            if self._doc_freq(term) or name or not _PLAIN_WORD.fullmatch(word) or len(word) < MIN_WORD_CHARS:
                terms.append(term)
                continue
            if (word, term) not in self._memo:
                if looked_up == MAX_CORRECTED:
                    terms.append(term)
                    continue
                looked_up += 1
                if len(self._memo) >= MEMO_SIZE:
                    self._memo.clear()
                self._memo[word, term] = self.respell(word, term)
            terms.extend(self._memo[word, term])
        return terms

    def respell(self, word: str, term: str) -> tuple[str, ...]:
        """The terms to search for a lower-case word whose term the index lacks."""
        if word in platforms():
            general = tuple(t for t in tokenize(" ".join(platforms()[word])) if self._doc_freq(t))
            if general:
                return general
        if word in english_words():
            return (term,)
        best = self._closest(word, term)
        return (best,) if best else (term,)

    def _closest(self, word: str, term: str) -> str | None:
        """The known term nearest to the misspelt word (or its stem): fewest edits, then the
        commonest in English (`groop` is `group` before `groom`), then in most passages."""
        counts = english_words()
        candidates: list[tuple[int, int, int, str]] = []
        for query, buckets, to_term in (
            (term, self._index_buckets(), lambda t: (t,)),
            (word, _english_buckets(), tokenize),
        ):
            for choice, distance in _near(buckets, query, _max_edits(query)):
                for known in to_term(choice):
                    freq = self._doc_freq(known)
                    if freq:
                        candidates.append((int(distance), -counts.get(choice, 0), -freq, known))
        return min(candidates)[-1] if candidates else None

    def _index_buckets(self) -> dict[tuple[str, int], list[str]]:
        if self._buckets is None:
            vocabulary = list(self._vocabulary())
            if len(vocabulary) > LARGE_VOCABULARY:
                vocabulary = [t for t in vocabulary if self._doc_freq(t) > 1]
            self._buckets = _buckets(vocabulary)
        return self._buckets
