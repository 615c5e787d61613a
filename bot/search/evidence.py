"""The no-answer decision: does the best passage answer the question, or only share a word?

Three pieces of evidence about the best passage, calibrated on the project's question sets
(tests/questions.yaml) and checked on held-out ones:

- `coverage`: the share of the question's information the passage (with its article's title
  and force) carries, each word weighted by its rarity in the corpus. A word the corpus never
  uses weighs as much as one it uses once: it may be a name the articles do not know (a sign
  that they are not about it) but is no stronger a sign than the rarest word they do know.
- `meaning`: the cosine similarity of the passage's meaning with the question's.
- `matched`: how many different words of the question it shares. One shared word needs more
  of the rest to count (SINGLE_WORD_EVIDENCE); MANY_WORDS shared words make a passage about
  the question's subject whatever the rest says.

The thresholds sit between the project's own answerable and unanswerable questions
(tests/questions.yaml and tests/search/test_evidence.py): "what time does the police station
open" (0.50) is declined, "my kid is getting creepy messages from an adult on roblox" (0.55)
is answered.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

# coverage + meaning must reach this (coverage 0..1, meaning about 0.15 for unrelated texts
# and 0.3..0.8 for related ones with this model).
MIN_EVIDENCE = 0.52
SINGLE_WORD_EVIDENCE = 0.6
MANY_WORDS = 4


@dataclass(frozen=True)
class Evidence:
    coverage: float
    meaning: float
    matched: int  # distinct question terms the passage has
    terms: int  # distinct question terms

    @property
    def answers(self) -> bool:
        if self.matched == 0:
            return False
        if self.terms == 1:
            return True  # a single word asked ("CPET?", a phone number, an address) and found
        if self.matched >= MANY_WORDS:
            return True
        needed = MIN_EVIDENCE if self.matched >= 2 else SINGLE_WORD_EVIDENCE
        return self.coverage + self.meaning >= needed


def weigh(doc_freq: Callable[[str], int], n_docs: int) -> Callable[[str], float]:
    """A term's weight: log((n + 1) / (df + 0.5)), with an unknown term counted as df = 1."""

    def weight(term: str) -> float:
        return math.log((n_docs + 1) / (max(doc_freq(term), 1) + 0.5))

    return weight


def evidence(terms: Sequence[str], weight: Callable[[str], float], found: Collection[str], meaning: float) -> Evidence:
    """The evidence that a passage with index terms `found` answers a question of `terms`."""
    weights = {t: weight(t) for t in terms}
    total = sum(weights.values())
    covered = sum(w for t, w in weights.items() if t in found) / total if total > 0 else 0.0
    matched = sum(1 for t in weights if t in found)
    return Evidence(covered, meaning, matched, len(weights))
