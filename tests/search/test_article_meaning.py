"""The article-level feature: a passage's article's meaning, from the passage vectors the index keeps."""

import numpy as np

from bot.search.article_meaning import ArticleMeanings, article_vectors
from bot.search.rerank import Candidate, Weights, mix


def _unit(v: list[float]) -> np.ndarray:
    a = np.array(v, dtype=np.float32)
    return a / np.linalg.norm(a)


def _meanings(meanings: np.ndarray, article_of: np.ndarray, n_articles: int) -> ArticleMeanings:
    return ArticleMeanings(article_vectors(meanings, article_of, n_articles), article_of)


def test_an_article_means_the_sum_of_its_passages() -> None:
    meanings = np.stack([_unit([1, 0, 0]), _unit([0, 1, 0]), _unit([0, 0, 1]), _unit([1, 1, 0])])
    articles = _meanings(meanings, np.array([0, 0, 1, 2]), 3)
    got = articles.similarities(np.array([1, 2, 0, 3]), _unit([1, 0, 0]))
    # article 0 is [1, 1, 0] normalised, whichever of its passages is asked about
    assert np.allclose(got, [1 / np.sqrt(2), 0.0, 1 / np.sqrt(2), 1 / np.sqrt(2)], atol=0.01)


def test_a_vector_made_once_gives_the_same_answer_again() -> None:
    floats = np.stack([_unit([3, 1, 0]), _unit([1, 2, 2]), _unit([0, 1, 5])])
    quantised = np.rint(floats * 127).astype(np.int8)
    articles = _meanings(quantised, np.array([0, 0, 1]), 2)
    question = _unit([1, 1, 1])
    first = articles.similarities(np.array([0]), question)
    both = articles.similarities(np.array([1, 2]), question)
    exact = floats[:2].sum(axis=0) / np.linalg.norm(floats[:2].sum(axis=0)) @ question
    assert np.allclose(first, [exact], atol=0.01) and np.allclose(both, [exact, floats[2] @ question], atol=0.01)


def test_no_vectors_no_feature() -> None:
    """An index made without the model keeps no columns: every article scores 0."""
    articles = _meanings(np.zeros((3, 0), dtype=np.int8), np.array([0, 1, 1]), 2)
    assert articles.similarities(np.array([2, 0]), _unit([1, 0])).tolist() == [0.0, 0.0]
    assert _meanings(np.zeros((3, 2)), np.array([0, 1, 1]), 2).similarities(np.array([]), _unit([1, 0])).size == 0


def _one_by_one(meanings: np.ndarray, article_of: np.ndarray, n_articles: int) -> np.ndarray:
    """Each article's vector made by itself: its passages' float32 sum over its length."""
    out = np.zeros((n_articles, meanings.shape[1]), dtype=np.int8)
    for article in range(n_articles):
        total = meanings[article_of == article].sum(axis=0, dtype=np.float32)
        norm = float(np.linalg.norm(total))
        if norm > 0:
            out[article] = np.rint(total / norm * 127)
    return out


def test_vectors_made_all_at_once_are_those_made_one_by_one() -> None:
    rng = np.random.default_rng(7)
    sizes = rng.integers(1, 60, 300)
    article_of = np.repeat(np.arange(300), sizes)
    meanings = rng.integers(-127, 128, (len(article_of), 256)).astype(np.int8)
    meanings[article_of == 5] = 0  # an article of passages without tokens has no direction
    assert np.array_equal(article_vectors(meanings, article_of, 301), _one_by_one(meanings, article_of, 301))
    assert not article_vectors(meanings, article_of, 301)[[5, 300]].any()  # article 300 has no passages


def test_of_two_passages_alike_the_one_from_the_article_about_the_question_comes_first() -> None:
    passages = [Candidate(0, 10.0, 0.4, 0.0, article_meaning=0.2), Candidate(1, 10.0, 0.4, 0.0, article_meaning=0.6)]
    assert [c.doc for c in mix(passages)] == [1, 0]
    assert [c.doc for c in mix(passages, Weights(article_meaning=0.0))] == [0, 1]  # BM25's order


def test_the_article_feature_interpolates_and_does_not_override_the_passage() -> None:
    """A passage much better by its own words still wins over one from a closer article."""
    passages = [Candidate(0, 10.0, 0.5, 0.0, article_meaning=0.2), Candidate(1, 6.0, 0.5, 0.0, article_meaning=0.9)]
    assert [c.doc for c in mix(passages)] == [0, 1]
