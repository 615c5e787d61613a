"""The compiled float32 filter (kernel_scan.py) and the kernels that choose it: on random small
corpora, with repeated query terms, force masks and several k, the top k equals rank-bm25's
exhaustive ranking (ties by lower id) with its very scores."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

import bot.engine.postings as postings
from bot.engine.postings import PostingsIndex

pytestmark = pytest.mark.skipif(postings._kernels() is None, reason="numba not installed")

words = st.sampled_from([f"w{i}" for i in range(12)])
corpora = st.lists(st.lists(words, min_size=1, max_size=12), min_size=2, max_size=60)


def expected(bm25: BM25Okapi, docs, query, k: int, allowed: np.ndarray | None):
    scores = bm25.get_scores(query)
    terms = set(query)
    ok = [i for i, d in enumerate(docs) if terms & set(d) and (allowed is None or allowed[i])]
    best = sorted(ok, key=lambda i: (-scores[i], i))[:k]
    return best, scores[best]


def filtered(index: PostingsIndex, query, k: int, allowed: np.ndarray | None):
    """The float32 filter alone, then the exact selection."""
    from bot.engine import kernels
    from bot.engine.topk import select

    p = index._p
    occ = [index._ids[w] for w in query if w in index._ids]
    uniq = list(dict.fromkeys(occ))
    u = np.array(uniq)
    m = np.array([occ.count(t) for t in uniq], dtype=np.float64)
    order = np.array([uniq.index(t) for t in occ])
    q = (p.offsets[u], p.offsets[u + 1], p.idf[u], m, p.max_imp[u], order, p.dense_row[u])
    lists = (p.imp_docs, p.imp_neg, p.doc_docs, p.doc_tf, p.dense_tf, p.norm, p.norm32)
    mask = np.zeros(0, bool) if allowed is None else allowed
    cand, sc = kernels._nb_filtered(lists, q, k, p.k1 + 1, mask, index._scratch.compiled())
    assert not index._scratch.compiled()[3].any()  # the float32 accumulator is left clean
    return select(cand, sc, k)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    docs=corpora,
    query=st.lists(words, min_size=1, max_size=8),
    k=st.sampled_from([1, 2, 3, 10, 100]),
    keep=st.none() | st.floats(0.05, 1.0),
    seed=st.integers(0, 2**16),
)
def test_filter_and_compiled_top_k_equal_rank_bm25(docs, query, k, keep, seed, monkeypatch) -> None:
    monkeypatch.setattr(postings, "COMPILED_MIN_DOCS", 0)
    bm25, index = BM25Okapi(docs), PostingsIndex.build(docs)
    allowed = None if keep is None else np.random.default_rng(seed).random(len(docs)) < keep
    ids, scores = expected(bm25, docs, query, k, allowed)
    known = [index._ids[w] for w in query if w in index._ids]
    if known and (index._p.idf[known] > 0).all():
        got_ids, got_scores = filtered(index, query, k, allowed)
        assert got_ids.tolist() == ids and got_scores.tobytes() == scores.tobytes()
    got_ids, got_scores = index.top_k(query, k, allowed)
    assert got_ids.tolist() == ids and got_scores.tobytes() == scores.tobytes()


def test_filter_on_a_corpus_with_dense_columns_and_ties() -> None:
    """Common terms (dense tf columns) and identical docs (exact ties) through the filter."""
    rng = np.random.default_rng(3)
    docs = [[f"w{t}" for t in rng.zipf(1.15, int(rng.integers(1, 30))) % 50] for _ in range(3000)]
    docs += [list(docs[7]) for _ in range(15)]  # fifteen ties
    bm25, index = BM25Okapi(docs), PostingsIndex.build(docs)
    assert (index._p.dense_row >= 0).sum() > 3
    for _ in range(40):
        query = [f"w{t}" for t in rng.integers(0, 12, int(rng.integers(1, 9)))] + docs[7][:2]
        for k in (1, 10, 30):
            allowed = rng.random(len(docs)) < 0.4 if rng.random() < 0.3 else None
            ids, scores = expected(bm25, docs, query, k, allowed)
            got_ids, got_scores = filtered(index, query, k, allowed)
            assert got_ids.tolist() == ids and got_scores.tobytes() == scores.tobytes(), query
