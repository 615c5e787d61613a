"""The article-level feature: a passage's article's meaning, from the passage vectors the index keeps."""

import numpy as np

from bot.search.article_meaning import ArticleMeanings
from bot.search.rerank import Candidate, Weights, mix


def _unit(v: list[float]) -> np.ndarray:
    a = np.array(v, dtype=np.float32)
    return a / np.linalg.norm(a)


def test_an_article_means_the_sum_of_its_passages() -> None:
    meanings = np.stack([_unit([1, 0, 0]), _unit([0, 1, 0]), _unit([0, 0, 1]), _unit([1, 1, 0])])
    articles = ArticleMeanings(meanings, np.array([0, 0, 1, 2]), 3)
    got = articles.similarities(np.array([1, 2, 0, 3]), _unit([1, 0, 0]))
    # article 0 is [1, 1, 0] normalised, whichever of its passages is asked about
    assert np.allclose(got, [1 / np.sqrt(2), 0.0, 1 / np.sqrt(2), 1 / np.sqrt(2)], atol=0.01)


def test_a_vector_made_once_gives_the_same_answer_again() -> None:
    floats = np.stack([_unit([3, 1, 0]), _unit([1, 2, 2]), _unit([0, 1, 5])])
    quantised = np.rint(floats * 127).astype(np.int8)
    articles = ArticleMeanings(quantised, np.array([0, 0, 1]), 2)
    question = _unit([1, 1, 1])
    first = articles.similarities(np.array([0]), question)
    both = articles.similarities(np.array([1, 2]), question)
    exact = floats[:2].sum(axis=0) / np.linalg.norm(floats[:2].sum(axis=0)) @ question
    assert np.allclose(first, [exact], atol=0.01) and np.allclose(both, [exact, floats[2] @ question], atol=0.01)


def test_no_vectors_no_feature() -> None:
    """An index made without the model keeps no columns: every article scores 0."""
    articles = ArticleMeanings(np.zeros((3, 0), dtype=np.int8), np.array([0, 1, 1]), 2)
    assert articles.similarities(np.array([2, 0]), _unit([1, 0])).tolist() == [0.0, 0.0]
    assert ArticleMeanings(np.zeros((3, 2)), np.array([0, 1, 1]), 2).similarities(np.array([]), _unit([1, 0])).size == 0


def test_of_two_passages_alike_the_one_from_the_article_about_the_question_comes_first() -> None:
    passages = [Candidate(0, 10.0, 0.4, 0.0, article_meaning=0.2), Candidate(1, 10.0, 0.4, 0.0, article_meaning=0.6)]
    assert [c.doc for c in mix(passages)] == [1, 0]
    assert [c.doc for c in mix(passages, Weights(article_meaning=0.0))] == [0, 1]  # BM25's order


def test_the_article_feature_interpolates_and_does_not_override_the_passage() -> None:
    """A passage much better by its own words still wins over one from a closer article."""
    passages = [Candidate(0, 10.0, 0.5, 0.0, article_meaning=0.2), Candidate(1, 6.0, 0.5, 0.0, article_meaning=0.9)]
    assert [c.doc for c in mix(passages)] == [0, 1]
