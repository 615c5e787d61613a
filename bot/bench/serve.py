"""The serving half of `python -m bot bench`, run in a fresh process by runner.py:
`python -m bot.bench.serve ARTICLES INDEX_DIR SAMPLE < questions.json` prints one JSON line.

It starts from the saved index (timing the imports, the load and the first answer: a cold
start), times the top-10 ranking and the full search of every question, then in the same
process rank-bm25's `get_scores` on a sample (checking the top 10 are the same) and, when bm25s
is installed (the `bench` extra), its numba backend on every question, interleaved with ours so
that both see the same machine."""

from __future__ import annotations

import json
import sys
import time

import numpy as np


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def _pct(xs: list[float], p: float) -> float:
    return float(np.percentile(xs, p)) * 1e3


def _bm25s(docs: list[list[str]], terms: list[list[str]], ranker) -> dict:
    """bm25s (numba backend) against our ranking, question by question in one loop."""
    try:
        import bm25s
    except ImportError:
        return {}
    retriever = bm25s.BM25(method="robertson", backend="numba")
    retriever.index(docs, show_progress=False)
    vocab = retriever.vocab_dict
    ids = [[vocab[w] for w in t if w in vocab] or [vocab[""]] for t in terms]
    retriever.retrieve([ids[0]], k=10, show_progress=False, n_threads=1)  # compile
    ours, theirs = [], []
    for t, i in zip(terms, ids):
        s = time.perf_counter()
        ranker.top(t, 10)
        ours.append(time.perf_counter() - s)
        s = time.perf_counter()
        retriever.retrieve([i], k=10, show_progress=False, n_threads=1)
        theirs.append(time.perf_counter() - s)
    return {
        "bm25s_p50_ms": _pct(theirs, 50),
        "bm25s_p99_ms": _pct(theirs, 99),
        "ours_vs_bm25s_p50_ms": _pct(ours, 50),
        "ours_vs_bm25s_p99_ms": _pct(ours, 99),
    }


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    from pathlib import Path

    from bot.corpus.tokens import tokenize
    from bot.search.index import passage_terms
    from bot.search.library import load_library

    imported = time.perf_counter()
    library = load_library(Path(argv[0]), index_dir=Path(argv[1]))
    loaded = time.perf_counter()
    if not library.from_cache:
        raise SystemExit("the saved index was not used")
    after_load = _rss_mb()
    index, questions, sample = library.index, json.loads(sys.stdin.read()), int(argv[2])
    index.search(questions[0], k=10)
    first = time.perf_counter() - loaded
    terms = [list(dict.fromkeys(tokenize(q))) for q in questions]
    ours, search = [], []
    for q, t in zip(questions, terms):
        s = time.perf_counter()
        index.ranker.top(t, 10)
        ours.append(time.perf_counter() - s)
        s = time.perf_counter()
        index.search(q, k=10)
        search.append(time.perf_counter() - s)
    after_queries = _rss_mb()

    from rank_bm25 import BM25Okapi

    docs = [passage_terms(index.passages[i]) for i in range(len(index.passages))]
    reference = BM25Okapi(docs)
    theirs, same = [], 0
    for t in terms[:sample]:
        s = time.perf_counter()
        scores = reference.get_scores(t)
        order = np.lexsort((np.arange(len(scores)), -scores))[:10]
        theirs.append(time.perf_counter() - s)
        mine = index.ranker.top(t, 10)
        expected = [int(i) for i in order if scores[i] > 0]
        same += [d for d, _ in mine] == expected and np.allclose([v for _, v in mine], scores[expected], rtol=1e-9)
    del reference
    figures = {
        "articles": len(index.articles),
        "passages": len(index.passages),
        "import_s": imported - started,
        "load_s": loaded - imported,
        "first_query_s": first,
        "rss_after_load_mb": after_load,
        "rss_after_queries_mb": after_queries,
        "ours_p50_ms": _pct(ours, 50),
        "ours_p99_ms": _pct(ours, 99),
        "search_p50_ms": _pct(search, 50),
        "search_p99_ms": _pct(search, 99),
        "bm25_p50_ms": _pct(theirs, 50),
        "bm25_p99_ms": _pct(theirs, 99),
        "bm25_queries": len(theirs),
        "identical": int(same),
        **_bm25s(docs, terms, index.ranker),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
