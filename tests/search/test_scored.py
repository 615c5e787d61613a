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
