"""Micro benchmark: PostingsIndex against rank-bm25 on a Zipf token corpus (no files).

`python -m bot.postings_bench 100000` prints the numbers as JSON. Serving figures (load time,
memory after load, latency) come from a fresh process that loads the saved index, as a server
would; the in-process figures use the index just built.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bot.postings import PostingsIndex
from bot.synthetic import sample_queries, vocabulary, zipf_ids

_SERVE = """
import json, sys, time, numpy as np
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * 4096 / 2**20
base = rss()
from bot.postings import PostingsIndex
t = time.perf_counter(); idx = PostingsIndex.load(sys.argv[1]); load_s = time.perf_counter() - t
after_load = rss()
queries = json.loads(sys.stdin.read())
t = time.perf_counter(); idx.top_k(queries[0], 10); first_ms = (time.perf_counter() - t) * 1e3
for q in queries[:50]:
    idx.top_k(q, 10)
lat = []
for q in queries:
    t = time.perf_counter(); idx.top_k(q, 10); lat.append(time.perf_counter() - t)
print(json.dumps({"load_s": load_s, "rss_before_load_mb": base, "rss_after_load_mb": after_load,
                  "rss_after_queries_mb": rss(), "first_query_ms": first_ms,
                  "p50_ms": float(np.percentile(lat, 50)) * 1e3, "p99_ms": float(np.percentile(lat, 99)) * 1e3,
                  "mean_ms": float(np.mean(lat)) * 1e3}))
"""


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentiles(seconds: list[float]) -> tuple[float, float]:
    return float(np.percentile(seconds, 50)) * 1e3, float(np.percentile(seconds, 99)) * 1e3


def bench_tokens(
    n_docs: int, n_queries: int = 1000, seed: int = 0, *, bm25_queries: int = 20, min_len: int = 25, max_len: int = 60
) -> dict:
    """Build both indexes over n_docs Zipf passages of min_len..max_len tokens and time top-10
    for 3-8 term queries; checks that both give the same top 10 on the rank-bm25 sample."""
    from rank_bm25 import BM25Okapi

    rng = np.random.default_rng(seed)
    vocab = vocabulary()
    lens = rng.integers(min_len, max_len + 1, n_docs)
    offsets = np.concatenate(([0], np.cumsum(lens)))
    term_ids = zipf_ids(rng, int(offsets[-1]))
    queries = [q.split() for q in sample_queries(n_queries, seed + 1, min_terms=3, max_terms=8)]
    out: dict = {"n_docs": n_docs, "n_tokens": int(offsets[-1]), "n_queries": n_queries}

    t = time.perf_counter()
    index = PostingsIndex.build_encoded(term_ids, offsets, vocab)
    out["build_s"] = time.perf_counter() - t
    out["n_postings"] = index.n_postings
    out["peak_rss_after_build_mb"] = _peak_rss_mb()
    for q in queries[:50]:
        index.top_k(q, 10)
    lat = []
    for q in queries:
        t = time.perf_counter()
        index.top_k(q, 10)
        lat.append(time.perf_counter() - t)
    out["p50_ms"], out["p99_ms"] = _percentiles(lat)
    out["max_ms"] = max(lat) * 1e3

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index"
        t = time.perf_counter()
        index.save(path)
        out["save_s"] = time.perf_counter() - t
        out["index_mb"] = sum(f.stat().st_size for f in path.iterdir()) / 2**20
        root = str(Path(__file__).resolve().parent.parent)
        served = subprocess.run(
            [sys.executable, "-c", _SERVE, str(path)],
            input=json.dumps(queries),
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
        )
        out["serve"] = json.loads(served.stdout)

    docs_tokens = list(_token_lists(term_ids, offsets, vocab))
    t = time.perf_counter()
    bm25 = BM25Okapi(docs_tokens)
    out["bm25_build_s"] = time.perf_counter() - t
    del docs_tokens
    word_id = {w: i for i, w in enumerate(vocab)}
    doc_of_token = np.repeat(np.arange(n_docs), lens)
    lat_bm, same = [], 0
    sample = queries[:bm25_queries]
    for q in sample:
        t = time.perf_counter()
        ref = bm25.get_scores(q)
        np.argsort(ref)[::-1][:10]
        lat_bm.append(time.perf_counter() - t)
        ids_q = [word_id[w] for w in q if w in word_id]
        matching = np.unique(doc_of_token[np.isin(term_ids, ids_q)])
        ids, scores = index.top_k(q, 10)
        exp = matching[np.lexsort((matching, -ref[matching]))][:10]
        same += bool(np.array_equal(ids, exp) and np.array_equal(scores, ref[exp]))
    out["bm25_p50_ms"], out["bm25_p99_ms"] = _percentiles(lat_bm)
    ours = [lat[queries.index(q)] for q in sample]
    out["ratio_p50"] = out["bm25_p50_ms"] / out["p50_ms"]
    out["ratio_same_queries"] = float(np.median(np.array(lat_bm) / np.array(ours)))
    out["top10_identical"] = f"{same}/{len(sample)}"
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def _token_lists(term_ids: np.ndarray, offsets: np.ndarray, vocab: tuple[str, ...]):
    words = np.array(vocab, dtype=object)[term_ids]
    for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist()):
        yield words[a:b].tolist()


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(json.dumps(bench_tokens(n, int(sys.argv[2]) if len(sys.argv) > 2 else 1000), indent=1))
