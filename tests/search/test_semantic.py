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


def test_a_batch_gives_the_very_vectors_of_texts_embedded_one_at_a_time(seed_index) -> None:
    """Large batches sum float32 copies of the token vectors, small ones the float16 table:
    both must give, bit for bit, what embedding each text alone gives."""
    from bot.search import semantic

    model = embedder()
    assert model is not None
    texts = [seed_index.passages.text(i) for i in range(len(seed_index.passages))]
    texts += ["", "  \n ", "ünïcödé 漢字 🚓", "£5,000 e-mail CEOP\tkid"]
    texts *= semantic.WIDE_BATCH // len(texts) + 1
    alone = np.array([model.embed([t])[0] for t in texts[:60]])
    batch = model.embed(texts)
    assert len(texts) >= semantic.WIDE_BATCH
    assert np.array_equal(batch[:60].view(np.int32), alone.view(np.int32))
    assert np.array_equal(model.embed(texts[:60]).view(np.int32), alone.view(np.int32))


def test_token_ids_outside_the_table_are_dropped() -> None:
    class Wide(_Tokenizer):
        vocabulary: ClassVar[dict[str, int]] = {"child": 0, "kid": 1, "beyond": 7}

    model = Embedder(np.array([[1.0, 0.0], [0.0, 1.0]]), Wide())
    assert np.allclose(model.embed(["child beyond"])[0], [1.0, 0.0])
