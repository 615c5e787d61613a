import subprocess
import sys

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from bot.corpus.articles import read_article
from bot.corpus.forces import UnknownForce, mentioned_force, resolve_force, suggest_forces
from bot.corpus.tokens import tokenize
from bot.search.index import Index, passage_terms

SEED_FORCES = ("Staffordshire", "West Mercia")


def test_core_does_not_import_discord() -> None:
    code = (
        "import sys, bot.search.index, bot.corpus.articles, bot.corpus.passages, bot.search.render, bot.search.evaluate, bot.cli; "
        "print('discord' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("question", "article", "words"),
    [
        ("where can I report online grooming?", "000_21de8a6d60bbee78.txt", "groomed online"),
        ("0808 1000 900", "000_21de8a6d60bbee78.txt", "Stop It Now"),
        ("www.ceop.police.uk/safety-centre", "000_21de8a6d60bbee78.txt", "Child Protection Advisors"),
        ("staffs police lockdown online safety", "002_a41a502d0af0a6b5.txt", "safe online"),
        ("who does Operation Safenet target in West Mercia?", "003_94554c865ab99f69.txt", "Possess and distribute"),
    ],
)
def test_top_hit(seed_index, question, article, words) -> None:
    top = seed_index.search(question, k=1)[0]
    assert top.passage.article.name == article
    assert words in top.passage.text


def test_first_stage_scores_are_bm25okapi_scores(seed_index) -> None:
    question = "report online grooming to CEOP"
    reference = BM25Okapi([passage_terms(p) for p in seed_index.passages]).get_scores(tokenize(question))
    hits = seed_index.search(question, k=len(seed_index.passages))
    for hit in hits:
        assert hit.bm25 == pytest.approx(reference[seed_index.passages.index(hit.passage)], rel=1e-9)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))


@pytest.mark.parametrize(
    "question",
    [
        "what is the weather tomorrow",
        "best pizza in Birmingham",
        "how do I report a burglary",
        "how do I apply to become a police officer",
        "the and of to",
        "?!",
    ],
)
def test_no_answer_rather_than_an_unrelated_passage(seed_index, question) -> None:
    assert seed_index.search(question) == []


def test_force_filter_is_forgiving_and_exact(seed_index) -> None:
    for name in ("staffs", "Staffordshire Police", "STAFFORDSHIRE"):
        hits = seed_index.search("online safety", k=50, force=name)
        assert hits and {h.passage.article.force for h in hits} == {"Staffordshire"}
    for name in ("west-mercia", "West Mercia Police", "west mercia"):
        hits = seed_index.search("online safety", k=50, force=name)
        assert {h.passage.article.force for h in hits} == {"West Mercia"}
    with pytest.raises(UnknownForce, match="forces loaded: Staffordshire, West Mercia"):
        seed_index.search("online safety", force="Kent")


def test_question_naming_a_force_prefers_its_articles(seed_index) -> None:
    hits = seed_index.search("what has Staffordshire Police said about online safety?", k=3)
    assert {h.passage.article.force for h in hits} == {"Staffordshire"}


def test_ties_are_ordered_deterministically(write_article) -> None:
    for i in range(4):
        write_article(f"{i}.txt", url=f"https://x.police.uk/{i}", body="Identical text about scams.")
    from bot.corpus.articles import article_files, load_articles

    index = Index(load_articles(article_files(write_article.folder))[0])
    first = [(h.passage.article.name, h.score) for h in index.search("scams", k=4)]
    again = [(h.passage.article.name, h.score) for h in Index(list(reversed(index.articles))).search("scams", k=4)]
    assert first == again
    assert len({s for _, s in first}) == 1


def test_hit_terms_are_the_question_terms_for_highlighting(seed_index) -> None:
    hits = seed_index.search("report grooming to ceop", k=3)
    assert hits and all(h.terms == frozenset(tokenize("report grooming to ceop")) for h in hits)
    assert set(tokenize(hits[0].passage.text)) & hits[0].terms  # what a highlighter bolds


def test_bad_k(seed_index) -> None:
    with pytest.raises(ValueError, match="k must be at least 1"):
        seed_index.search("grooming", k=0)


def test_force_names() -> None:
    assert resolve_force("staffs", SEED_FORCES) == "Staffordshire"
    assert resolve_force("west-mercia", SEED_FORCES) == "West Mercia"
    assert resolve_force("West Mercia Constabulary", SEED_FORCES) == "West Mercia"
    assert resolve_force("Stafordshire", SEED_FORCES) == "Staffordshire"  # misspelt
    with pytest.raises(UnknownForce):
        resolve_force("Kent", SEED_FORCES)
    assert mentioned_force("what did staffs police say", SEED_FORCES) == "Staffordshire"
    assert mentioned_force("Staffordshire and West Mercia", SEED_FORCES) is None
    assert suggest_forces("mer", SEED_FORCES) == ["West Mercia"]
    assert suggest_forces("", SEED_FORCES) == list(SEED_FORCES)


def test_empty_index_answers_nothing(write_article) -> None:
    assert Index([]).search("anything") == []
    article = read_article(write_article("a.txt"))
    assert Index([article]).search("scams")[0].passage.article == article


def test_search_scores_match_numpy_reference_with_filter(seed_index) -> None:
    terms = list(dict.fromkeys(tokenize("online safety children")))
    reference = BM25Okapi([passage_terms(p) for p in seed_index.passages]).get_scores(terms)
    mask = np.array([p.article.force == "West Mercia" for p in seed_index.passages])
    expected = {i for i in np.flatnonzero(mask) if reference[i] > 0}
    hits = seed_index.search("online safety children", k=100, force="West Mercia")
    assert {seed_index.passages.index(h.passage) for h in hits} == expected
    for hit in hits:
        assert hit.bm25 == pytest.approx(reference[seed_index.passages.index(hit.passage)], rel=1e-9)


def test_same_campaign_text_from_two_forces_shows_once(write_article) -> None:
    campaign = (
        "The National Crime Agency has launched a new #OnlineSafetyAtHome campaign, with activities for children "
        "of all ages available through the Thinkuknow website at www.thinkuknow.co.uk."
    )
    write_article(
        "kent.txt",
        area="Kent",
        url="https://www.kent.police.uk/news/a",
        date="10:00 01/05/2020",
        body=f"Kent Police opening line about lockdown.\n\n{campaign}",
    )
    write_article(
        "essex.txt",
        area="Essex",
        url="https://www.essex.police.uk/news/b",
        date="11:00 02/05/2020",
        # the same paragraph, a word changed, as forces do when they reuse a press release
        body=f"Essex Police opening line about schools.\n\n{campaign.replace('new ', '')}",
    )
    write_article(
        "other.txt",
        area="Kent",
        url="https://www.kent.police.uk/news/c",
        body="Thinkuknow has games for younger children too, at www.thinkuknow.co.uk.",
    )
    from bot.corpus.articles import article_files, load_articles

    index = Index(load_articles(article_files(write_article.folder))[0])
    hits = index.search("OnlineSafetyAtHome campaign thinkuknow", k=5)
    campaign_hits = [h for h in hits if "campaign" in h.passage.text]
    assert len(campaign_hits) == 1
    (shown,) = campaign_hits
    assert {shown.passage.article.force, *(p.article.force for p in shown.also)} == {"Kent", "Essex"}
    assert len(shown.also) == 1
    # the different Thinkuknow passage is still its own result
    assert any(h.passage.article.name == "other.txt" for h in hits)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
