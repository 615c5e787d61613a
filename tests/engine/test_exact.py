"""The compiled kernels give the very doubles of rank-bm25's arithmetic (the shortcut for tf = 1
included): top-k scores equal `scores()` bit for bit, which equal BM25Okapi's."""

from __future__ import annotations

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

import bot.engine.postings as postings
from bot.engine.postings import PostingsIndex

pytestmark = pytest.mark.skipif(postings._kernels() is None, reason="numba not installed")


def test_compiled_scores_are_bit_identical(monkeypatch) -> None:
    monkeypatch.setattr(postings, "COMPILED_MIN_DOCS", 0)
    rng = np.random.default_rng(11)
    docs = [[f"w{t}" for t in rng.zipf(1.3, int(rng.integers(1, 60))) % 400] for _ in range(3000)]
    index, bm25 = PostingsIndex.build(docs), BM25Okapi(docs)
    for _ in range(60):
        query = [f"w{t}" for t in rng.integers(0, 60, int(rng.integers(1, 8)))]
        reference = bm25.get_scores(query)
        assert index.scores(query).tobytes() == reference.tobytes()
        for k in (1, 10, 200):
            ids, scores = index.top_k(query, k)
            assert scores.tobytes() == reference[ids].tobytes(), query
            mask = rng.random(len(docs)) < 0.3
            ids, scores = index.top_k(query, k, mask)
            assert mask[ids].all() and scores.tobytes() == reference[ids].tobytes(), query
