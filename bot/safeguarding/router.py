"""Pick the reporting channels that fit a question.

The channels' own `when` texts are the rules: BM25 over each channel's name and `when` text,
through the project's tokenizer, so that editing `data/channels.yaml` is all it takes to change
which questions reach which channel. The emergency entry is listed first when the question
uses a word that only the emergency entry's `when` text uses ("danger", "hurt", "now"): that
is the question describing an emergency, not merely mentioning a crime.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from rank_bm25 import BM25Okapi

from bot.corpus.tokens import DATA_DIR, tokenize
from bot.safeguarding.directory import Channel

SAFEGUARDING_TERMS_PATH = DATA_DIR / "safeguarding_terms.txt"
_WORD = re.compile(r"[^\W_]+")
# The tokenizer drops "now" as a stopword, yet in "a child is being abused now" it is the only
# sign of an emergency. It counts as a danger word when the emergency entry's `when` text uses
# it (and no other entry's does), like any term of that text. Other stopwords never count: "in"
# or "is" used by the emergency text alone must not put 999 first for every question.
_URGENT_STOPWORDS = frozenset({"now"})


class _SmallCorpusBM25(BM25Okapi):
    """BM25Okapi with Lucene's idf, log(1 + (N - n + 0.5) / (n + 0.5)).

    Okapi's idf is zero for a term in exactly half the documents and is floored to a constant
    above half; with a directory of eight channels that would weigh "crime" (in four) at nothing
    and "child" (in six) above it. Lucene's idf stays positive and falls as a term gets commoner.
    """

    def _calc_idf(self, nd: dict[str, int]) -> None:
        for word, freq in nd.items():
            self.idf[word] = math.log(1 + (self.corpus_size - freq + 0.5) / (freq + 0.5))
        self.average_idf = sum(self.idf.values()) / len(self.idf) if self.idf else 0.0


def _signal_words(text: str) -> frozenset[str]:
    """The index terms of `text`, plus the stopwords that carry urgency (see _URGENT_STOPWORDS)."""
    return frozenset(tokenize(text)) | _URGENT_STOPWORDS.intersection(_WORD.findall(text.lower()))


class Router:
    """BM25 over a directory's channels, matched against a question's terms."""

    def __init__(self, channels: Sequence[Channel], *, k1: float = 1.5, b: float = 0.75) -> None:
        self.channels = tuple(channels)
        docs = [tokenize(f"{c.name}. {c.when}") for c in self.channels]
        self._doc_sets = [frozenset(d) for d in docs]
        df = Counter(term for terms in self._doc_sets for term in terms)
        # A term in more than half the channels ("child", "online") says nothing about which
        # one fits; a question must share at least one rarer term with a channel to get it.
        self._informative = frozenset(term for term, n in df.items() if n <= len(self.channels) / 2)
        words = [_signal_words(c.when) for c in self.channels]
        ordinary = frozenset().union(*(w for c, w in zip(self.channels, words) if not c.emergency))
        self.danger_words = frozenset().union(*(w - ordinary for c, w in zip(self.channels, words) if c.emergency))
        self._bm25 = _SmallCorpusBM25(docs, k1=k1, b=b) if self.channels else None

    def signals_danger(self, question: str) -> bool:
        """Whether the question uses a word that only the emergency entry's `when` text uses."""
        return not self.danger_words.isdisjoint(_signal_words(question))

    def route(self, question: str, k: int = 3) -> list[Channel]:
        """Up to `k` channels that fit `question`, best first; emergency first on danger words.

        A channel is only offered if it shares an informative term with the question, so an
        unrelated question gets no channels at all.
        """
        if k < 1:
            raise ValueError(f"k must be at least 1, not {k}")
        terms = list(dict.fromkeys(tokenize(question)))
        wanted = self._informative.intersection(terms)
        candidates = [i for i, doc in enumerate(self._doc_sets) if not doc.isdisjoint(wanted)]
        ranked: list[Channel] = []
        if candidates and self._bm25 is not None:
            scores = self._bm25.get_batch_scores(terms, candidates)
            order = sorted(range(len(candidates)), key=lambda j: (-scores[j], candidates[j]))
            ranked = [self.channels[candidates[j]] for j in order]
        if self.signals_danger(question):
            # The danger word may be a stopword ("now") that BM25 never sees, so the emergency
            # entry goes first whether or not it was ranked.
            urgent = [c for c in self.channels if c.emergency]
            ranked = urgent + [c for c in ranked if not c.emergency]
        return ranked[:k]


@cache
def load_safeguarding_terms(path: Path = SAFEGUARDING_TERMS_PATH) -> tuple[frozenset[str], ...]:
    """The shipped word list (one word or phrase a line, `#` comments), each line tokenized like
    a question so that stems and synonyms ("kid", "tell") match. A phrase ("county lines")
    matches only when all its terms are in the question."""
    phrases: list[frozenset[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        terms = frozenset(tokenize(line.split("#", 1)[0]))
        if terms:
            phrases.append(terms)
    return tuple(phrases)


def is_safeguarding(question: str) -> bool:
    """Whether a question is about abuse, exploitation, grooming or reporting: an /ask answer
    to such a question shows the reporting channels."""
    terms = frozenset(tokenize(question))
    return any(phrase <= terms for phrase in load_safeguarding_terms())
