from typing import ClassVar

import numpy as np
import pytest

from bot.search.semantic import Embedder, embedder


class _Encoding:
    def __init__(self, ids: list[int]) -> None:
        self.ids = ids


class _Tokenizer:
    """Word -> id, for checking the pooling arithmetic without the real model."""

    vocabulary: ClassVar[dict[str, int]] = {"child": 0, "kid": 1, "gun": 2}

    def encode_batch(self, texts, add_special_tokens=False):
        return [self.encode(t) for t in texts]

    def encode(self, text, add_special_tokens=False):
        return _Encoding([self.vocabulary[w] for w in text.split() if w in self.vocabulary])


def test_text_vectors_are_unit_means_of_token_vectors() -> None:
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    model = Embedder(vectors, _Tokenizer())
    out = model.embed(["child kid", "nothing known", "gun"])
    assert np.allclose(out[0], [2**-0.5, 2**-0.5])
    assert np.allclose(out[1], [0.0, 0.0])  # no tokens: no meaning, similarity 0
    assert model.similarities("child", ["kid child", "gun"]) == pytest.approx([2**-0.5, -1.0])
    assert model.similarities("child", []).shape == (0,)


def test_the_shipped_model_loads_once_and_relates_meanings() -> None:
    model = embedder()
    assert model is not None and embedder() is model
    close, far = model.similarities("my kid is being bullied at school", ["children bullying in schools", "car tax"])
    assert close > far
