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


def test_float32_filter_keeps_the_top_k_with_exact_scores() -> None:
    from bot.engine import kernels

    rng = np.random.default_rng(5)
    docs = [[f"w{t}" for t in rng.zipf(1.2, int(rng.integers(1, 40))) % 300] for _ in range(4000)]
    index, bm25 = PostingsIndex.build(docs), BM25Okapi(docs)
    p = index._p
    lists = (p.imp_docs, p.imp_neg, p.doc_docs, p.doc_tf, p.dense_tf, p.norm, p.norm32)
    for _ in range(40):
        query = [f"w{t}" for t in rng.integers(0, 30, int(rng.integers(1, 7)))]
        occ = [index._ids[w] for w in query if w in index._ids]
        uniq = list(dict.fromkeys(occ))
        u = np.array(uniq)
        order = np.array([uniq.index(t) for t in occ])
        m = np.array([occ.count(t) for t in uniq], dtype=np.float64)
        q = (p.offsets[u], p.offsets[u + 1], p.idf[u], m, p.max_imp[u], order, p.dense_row[u])
        reference = bm25.get_scores(query)
        mask = rng.random(len(docs)) < 0.5 if rng.random() < 0.3 else np.zeros(0, bool)
        found, scores = kernels._nb_filtered(lists, q, 10, p.k1 + 1, mask, index._scratch.compiled())
        matched = np.unique(np.concatenate([p.doc_docs[p.offsets[t] : p.offsets[t + 1]] for t in u]))
        if len(mask):
            matched = matched[mask[matched]]
        kth = np.sort(reference[matched])[-10] if len(matched) >= 10 else -np.inf
        assert set(found.tolist()) >= {int(d) for d in matched if reference[d] >= kth}
        assert set(found.tolist()) <= set(matched.tolist())
        assert scores.tobytes() == reference[found].tobytes()
        assert not index._scratch.compiled()[3].any()  # the accumulator is left clean
