"""Near-duplicate groups found at build time: the same text groups, different text does not."""

from __future__ import annotations

import array

import numpy as np

from bot.corpus.tokens import tokenize
from bot.search.duplicates import duplicate_groups, shingles, similar


def groups_of(texts: list[str]) -> list[int]:
    ids: dict[str, int] = {}
    flat, starts, ends = array.array("i"), [], []
    for text in texts:
        starts.append(len(flat))
        flat.extend(ids.setdefault(t, len(ids)) for t in tokenize(text))
        ends.append(len(flat))
        flat.extend([ids.setdefault("title", len(ids))])  # terms after a passage's own are not its text
    term_ids = np.frombuffer(flat, dtype=np.int32)
    return duplicate_groups(term_ids, np.array(starts), np.array(ends), texts.__getitem__).tolist()


CAMPAIGN = (
    "The National Crime Agency has launched a new campaign, with activities for children of all ages "
    "available through the Thinkuknow website, and advice for parents and carers on keeping them safe."
)


def test_same_text_with_a_word_changed_is_one_group() -> None:
    texts = ["Something else entirely about burglary.", CAMPAIGN, CAMPAIGN.replace("new ", ""), CAMPAIGN]
    assert groups_of(texts) == [0, 1, 1, 1]


def test_different_texts_are_their_own_groups() -> None:
    texts = [CAMPAIGN, "Officers warn about courier fraud in the county.", "Speeding drivers caught.", "", "a"]
    assert groups_of(texts) == [0, 1, 2, 3, 4]


def test_many_copies_group_under_the_first() -> None:
    texts = [f"Unrelated passage number {i} about road safety week {i}." for i in range(300)]
    texts[7::10] = [CAMPAIGN] * len(texts[7::10])
    groups = groups_of(texts)
    assert {groups[i] for i in range(7, 300, 10)} == {7}
    assert all(groups[i] == i for i in range(300) if i % 10 != 7)


def test_similarity_is_jaccard_of_word_trigrams() -> None:
    assert similar(shingles(CAMPAIGN), shingles(CAMPAIGN.replace("new ", "")))
    assert not similar(shingles(CAMPAIGN), shingles(CAMPAIGN[: len(CAMPAIGN) // 2]))
