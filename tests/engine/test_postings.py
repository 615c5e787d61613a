"""PostingsIndex against rank-bm25's BM25Okapi: scores, rankings, masks, persistence."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

import bot.engine.postings as postings
from bot.bench.synthetic import sample_queries, write_corpus
from bot.engine.postings import IndexCacheError, PostingsIndex

PATHS = ["compiled", "numpy"] if postings._kernels() is not None else ["numpy"]


def zipf_corpus(seed: int, n_docs: int, vocab: int, lo: int = 3, hi: int = 40) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, vocab + 1)
    p /= p.sum()
    return [[f"w{t}" for t in rng.choice(vocab, int(rng.integers(lo, hi)), p=p)] for _ in range(n_docs)]


def random_queries(seed: int, vocab: int, n: int) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, vocab + 1)
    p /= p.sum()
    queries = []
    for _ in range(n):
        size = int(rng.integers(1, 8))
        common = rng.choice(vocab, size, p=p)
        rare = rng.integers(0, vocab, size)
        terms = [f"w{t}" for t in np.where(rng.random(size) < 0.5, common, rare)]
        if rng.random() < 0.2:
            terms.append("never-seen")
        if rng.random() < 0.2:
            terms.append(terms[0])  # a repeated term counts twice, as in get_scores
        queries.append(terms)
    return queries


def expected(docs: list[list[str]], bm25: BM25Okapi, query: list[str], k: int, allowed=None):
    """The exhaustive answer: docs sharing a query term (and allowed), by -score then id."""
    scores = bm25.get_scores(query)
    words = set(query)
    ids = np.array([i for i, d in enumerate(docs) if words & set(d) and (allowed is None or allowed[i])], dtype=int)
    order = np.lexsort((ids, -scores[ids])) if len(ids) else ids
    return ids[order][:k], scores[ids[order][:k]]


@pytest.fixture(params=PATHS)
def path(request, monkeypatch):
    """Run a test on the compiled kernel (whatever the corpus size) and on the numpy fallback."""
    monkeypatch.setattr(postings, "COMPILED_MIN_DOCS", 0)
    return request.param


def make(docs, path: str) -> PostingsIndex:
    index = PostingsIndex.build(docs)
    index.use_numba = path == "compiled"
    return index


def assert_top_k(index, docs, bm25, query, k, allowed=None):
    ids, scores = index.top_k(query, k, allowed)
    want_ids, want_scores = expected(docs, bm25, query, k, allowed)
    assert ids.dtype == np.int64 and scores.dtype == np.float64
    np.testing.assert_array_equal(ids, want_ids, err_msg=f"query {query}, k {k}")
    np.testing.assert_allclose(scores, want_scores, rtol=1e-12, atol=0)


@pytest.mark.parametrize(("seed", "n_docs", "vocab"), [(0, 1, 5), (1, 40, 30), (2, 300, 200), (3, 2500, 3000)])
def test_scores_equal_bm25okapi(seed, n_docs, vocab):
    docs = zipf_corpus(seed, n_docs, vocab)
    bm25, index = BM25Okapi(docs), PostingsIndex.build(docs)
    for query in random_queries(seed, vocab, 25):
        got, want = index.scores(query), bm25.get_scores(query)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
        assert np.array_equal(got, want)  # same operations in the same order: bit-identical


@pytest.mark.parametrize(("seed", "n_docs", "vocab"), [(4, 60, 40), (5, 400, 300), (6, 3000, 2000)])
def test_full_ranking_and_top10(path, seed, n_docs, vocab):
    docs = zipf_corpus(seed, n_docs, vocab)
    docs += docs[: n_docs // 10]  # duplicate documents: exact ties, broken by lower id
    bm25, index = BM25Okapi(docs), make(docs, path)
    for query in random_queries(seed + 100, vocab, 30):
        assert_top_k(index, docs, bm25, query, len(docs))
        assert_top_k(index, docs, bm25, query, 10)
        assert_top_k(index, docs, bm25, query, 1)


def test_pruned_top_k_on_larger_zipf_corpus(path):
    """Long posting lists (heads << lists), so the plan/prune/resolve machinery decides."""
    docs = zipf_corpus(7, 6000, 3000, lo=20, hi=60)
    bm25, index = BM25Okapi(docs), make(docs, path)
    common = [f"w{i}" for i in range(8)]
    queries = [*random_queries(8, 3000, 40), common[:3], [*common[:6], "w2500"], ["w0", "w0", "w1"]]
    for query in queries:
        assert_top_k(index, docs, bm25, query, 10)


def test_ties_from_identical_documents(path):
    docs = [["cat", "dog"], ["dog", "cat"], ["cat", "dog"], ["fish"], ["cat", "dog"], ["bird"]] * 3
    bm25, index = BM25Okapi(docs), make(docs, path)
    ids, scores = index.top_k(["cat"], 5)
    assert list(ids) == [0, 1, 2, 4, 6] and len(set(scores)) == 1
    assert_top_k(index, docs, bm25, ["cat", "fish"], 20)


def test_terms_in_more_than_half_the_docs_get_the_epsilon_floor(path):
    # "the" is in 9 of 10 docs (negative raw idf), "rare" in one: the floor is epsilon * mean idf
    docs = [["the", "cat"], ["the", "dog"], ["the"], ["the", "rare"], ["the", "cat"], ["the"], ["the", "x"],
            ["the", "y"], ["the", "z"], ["cat"]]  # fmt: skip
    bm25, index = BM25Okapi(docs), make(docs, path)
    assert bm25.idf["the"] == pytest.approx(bm25.epsilon * bm25.average_idf)
    for query in (["the"], ["the", "cat"], ["rare", "the", "the"]):
        assert np.array_equal(index.scores(query), bm25.get_scores(query))
        assert_top_k(index, docs, bm25, query, 10)


def test_degenerate_corpus_with_negative_floor(path):
    # every term is in most docs: the mean idf is negative, so is the floor
    docs = [["a", "b"], ["a", "b"], ["a", "c"], ["a", "b", "c"], ["b", "c"]]
    bm25, index = BM25Okapi(docs), make(docs, path)
    assert bm25.average_idf < 0
    for query in (["a"], ["a", "b"], ["c", "a", "c"]):
        assert np.array_equal(index.scores(query), bm25.get_scores(query))
        assert_top_k(index, docs, bm25, query, 5)


def test_unknown_and_empty_queries(path):
    docs = zipf_corpus(9, 50, 20)
    bm25, index = BM25Okapi(docs), make(docs, path)
    for query in ([], ["nowhere"], ["nowhere", "else"]):
        ids, scores = index.top_k(query, 10)
        assert ids.shape == (0,) and scores.shape == (0,)
        assert not index.scores(query).any()
    assert_top_k(index, docs, bm25, ["nowhere", "w1"], 10)
    assert index.matched_terms(["nowhere", "w1", "w1", "w2"]) == ["w1", "w2"]
    assert index.top_k(["w1"], 0)[0].shape == (0,)


def test_k_larger_than_matches_returns_only_matching_docs(path):
    docs = [["a"], ["b"], ["c", "a"], ["d"], ["e"]]
    bm25, index = BM25Okapi(docs), make(docs, path)
    ids, _ = index.top_k(["a"], 100)
    assert list(ids) == [0, 2]  # docs without a query term never appear, even with a 0 floor
    assert_top_k(index, docs, bm25, ["a", "zzz"], 100)


@pytest.mark.parametrize("keep", [1.0, 0.5, 0.05, 0.002, 0.0])
def test_allowed_mask_restricts_the_exhaustive_ranking(path, keep):
    docs = zipf_corpus(10, 3000, 1500, lo=10, hi=50)
    bm25, index = BM25Okapi(docs), make(docs, path)
    rng = np.random.default_rng(11)
    for query in random_queries(12, 1500, 12):
        allowed = rng.random(len(docs)) < keep
        assert_top_k(index, docs, bm25, query, 10, allowed)
        assert_top_k(index, docs, bm25, query, 3000, allowed)
    single = np.zeros(len(docs), dtype=bool)
    single[np.flatnonzero([("w0" in d) for d in docs])[-1]] = True
    assert_top_k(index, docs, bm25, ["w0", "w5"], 10, single)
    with pytest.raises(ValueError):
        index.top_k(["w0"], 10, np.ones(len(docs) - 1, dtype=bool))


def test_build_encoded_matches_build():
    docs = zipf_corpus(13, 200, 100)
    vocab = sorted({w for d in docs for w in d}, reverse=True)  # ids unrelated to first occurrence
    ids = {w: i for i, w in enumerate(vocab)}
    term_ids = np.array([ids[w] for d in docs for w in d], dtype=np.int32)
    offsets = np.concatenate(([0], np.cumsum([len(d) for d in docs])))
    a, b = PostingsIndex.build(docs), PostingsIndex.build_encoded(term_ids, offsets, vocab)
    for query in random_queries(14, 100, 20):
        assert np.array_equal(a.scores(query), b.scores(query))
        assert all(np.array_equal(x, y) for x, y in zip(a.top_k(query, 7), b.top_k(query, 7)))
    with pytest.raises(ValueError):
        PostingsIndex.build_encoded(term_ids, offsets[:-1], vocab)


def test_save_load_round_trip(tmp_path: Path, path):
    docs = zipf_corpus(15, 800, 400)
    bm25, index = BM25Okapi(docs), PostingsIndex.build(docs)
    index.save(tmp_path / "idx")
    index.save(tmp_path / "idx")  # replacing an existing index works
    loaded = PostingsIndex.load(tmp_path / "idx")
    loaded.use_numba = path == "compiled"
    assert (loaded.n_docs, loaded.vocabulary_size, loaded.n_postings) == (800, index.vocabulary_size, index.n_postings)
    assert (loaded.k1, loaded.b, loaded.epsilon, loaded.avgdl) == (1.5, 0.75, 0.25, index.avgdl)
    for query in random_queries(16, 400, 15):
        assert np.array_equal(loaded.scores(query), bm25.get_scores(query))
        assert_top_k(loaded, docs, bm25, query, 10)
    assert [p.name for p in tmp_path.iterdir()] == ["idx"]  # no temporary directories left


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    PostingsIndex.build(zipf_corpus(17, 300, 200)).save(tmp_path / "idx")
    return tmp_path / "idx"


def test_truncated_array_is_rejected(saved: Path):
    target = saved / "doc_docs.npy"
    target.write_bytes(target.read_bytes()[:-8])
    with pytest.raises(IndexCacheError, match="doc_docs"):
        PostingsIndex.load(saved)


def test_flipped_byte_is_rejected(saved: Path):
    target = saved / "imp_neg.npy"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x40
    target.write_bytes(bytes(data))
    with pytest.raises(IndexCacheError, match="checksum"):
        PostingsIndex.load(saved)


def test_missing_files_and_bad_manifests_are_rejected(saved: Path, tmp_path: Path):
    with pytest.raises(IndexCacheError):
        PostingsIndex.load(tmp_path / "nothing-here")
    manifest = json.loads((saved / "manifest.json").read_text())
    (saved / "manifest.json").write_text(json.dumps({**manifest, "version": manifest["version"] + 1}))
    with pytest.raises(IndexCacheError, match="version"):
        PostingsIndex.load(saved)
    (saved / "manifest.json").write_text("{not json")
    with pytest.raises(IndexCacheError):
        PostingsIndex.load(saved)
    (saved / "manifest.json").write_text(json.dumps({**manifest, "n_docs": manifest["n_docs"] + 1}))
    with pytest.raises(IndexCacheError, match="inconsistent"):
        PostingsIndex.load(saved)
    (saved / "manifest.json").write_text(json.dumps(manifest))
    PostingsIndex.load(saved)  # intact again
    (saved / "idf.npy").unlink()
    with pytest.raises(IndexCacheError):
        PostingsIndex.load(saved)
    (saved / "manifest.json").unlink()
    with pytest.raises(IndexCacheError, match="manifest"):
        PostingsIndex.load(saved)
    assert issubclass(IndexCacheError, ValueError)


def test_synthetic_corpus_is_deterministic_and_one_passage_per_paragraph(tmp_path: Path):
    from bot.corpus.articles import load_folder
    from bot.corpus.passages import article_passages

    assert write_corpus(tmp_path / "a", 400, seed=5) == 400
    assert write_corpus(tmp_path / "b", 400, seed=5) == 400
    files_a, files_b = sorted((tmp_path / "a").iterdir()), sorted((tmp_path / "b").iterdir())
    assert [f.name for f in files_a] == [f.name for f in files_b]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(files_a, files_b))
    articles, problems = load_folder(tmp_path / "a")
    assert not problems and len(articles) == len(files_a) >= 20
    assert len({a.url for a in articles}) == len(articles)
    assert sum(len(article_passages(a)) for a in articles) == 400
    queries = sample_queries(50, seed=3)
    assert queries == sample_queries(50, seed=3) and queries[:10] == sample_queries(10, seed=3)
    assert all(2 <= len(q.split()) <= 8 for q in queries)


def test_terms_of_many_docs_are_the_terms_each_doc_holds(path):
    docs = zipf_corpus(5, 300, 80)
    index = make(docs, path)
    for query in random_queries(6, 80, 40):
        picked = [0, 299, *np.random.default_rng(len(query)).integers(0, 300, 30).tolist(), 7, 7]
        found = index.terms_of(picked, query)
        assert found == [set(query) & set(docs[d]) for d in picked]
    assert index.terms_of([], ["w1"]) == [] and index.terms_of([3], []) == [set()]
