import numpy as np

from bot.search.answer_types import AnswerType
from bot.search.rerank import Weights, features, mix, scored


def test_scored_is_mix_of_features_to_the_bit_ties_included():
    rng = np.random.default_rng(3)
    texts = {d: f"On 3 May {d} officers met. Another sentence." for d in range(40)}
    for kind in (None, AnswerType.DATE):
        ranked = [(d, float(s)) for d, s in enumerate(np.sort(rng.choice([1.0, 2.5, 3.25], 40))[::-1])]
        meanings = rng.choice([0.25, 0.5], 40).astype(np.float32)  # many ties in the mix
        articles = rng.random(40).astype(np.float32)
        weight = {"offic": 1.0, "met": 0.5}
        expected = mix(features(weight, kind, ranked, meanings, texts.get, None, None, articles), Weights())
        got = scored(weight, kind, ranked, meanings, texts.get, None, None, articles, Weights())
        assert got == expected
    assert scored({}, None, [], np.zeros(0), texts.get, None, None, None, Weights()) == []


def test_a_bound_on_the_focus_changes_no_order():
    from bot.search.rerank import Candidate, within_articles

    rng = np.random.default_rng(5)
    for _ in range(200):
        n = int(rng.integers(2, 30))
        scores = np.sort(rng.choice([0.5, 0.75, 1.0, 1.25], n))[::-1]
        candidates = [Candidate(d, 1.0, 0.0, 0.0, float(s)) for d, s in enumerate(scores)]
        focus = {d: float(rng.choice([0.0, 0.25, 0.5, 1.0])) for d in range(n)}
        most = {d: min(1.0, f + float(rng.choice([0.0, 0.25]))) for d, f in focus.items()}
        articles = {d: int(rng.integers(0, 3)) for d in range(n)}
        depth = int(rng.integers(1, n + 1))
        plain = within_articles(candidates, articles.get, lambda c, f=focus: f[c.doc], 0.5, depth)
        bound = within_articles(
            candidates, articles.get, lambda c, f=focus: f[c.doc], 0.5, depth, lambda c, m=most: m[c.doc]
        )
        assert bound == plain
