"""`python -m bot bench N`: build, start and query time at N passages, against rank-bm25.

A synthetic corpus of N passages is written in the articles' format (Zipf vocabulary, fixed
seed). Building and serving each run in a fresh process, as they would for real, so that their
times and memory are their own: the build is `python -m bot index`; the server process loads the
saved index, answers the sample questions, then builds rank-bm25's BM25Okapi over the very same
passage terms and times its `get_scores` on a sample, in that same process, for the ratio.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TextIO

from bot.bench.synthetic import sample_queries, write_corpus

_SERVE = r"""
import json, sys, time
import numpy as np
from pathlib import Path

def rss_mb():
    return int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20

started = time.perf_counter()
from bot.search.library import load_library
from bot.search.index import passage_terms
from bot.corpus.tokens import tokenize
imported = time.perf_counter()
library = load_library(Path(sys.argv[1]), index_dir=Path(sys.argv[2]))
loaded = time.perf_counter()
assert library.from_cache, "the saved index was not used"
after_load = rss_mb()
index, questions, sample = library.index, json.loads(sys.stdin.read()), int(sys.argv[3])
index.search(questions[0], k=10)
first = time.perf_counter() - loaded
terms = [list(dict.fromkeys(tokenize(q))) for q in questions]
ours, search = [], []
for q, t in zip(questions, terms):
    s = time.perf_counter(); index.ranker.top(t, 10); ours.append(time.perf_counter() - s)
    s = time.perf_counter(); index.search(q, k=10); search.append(time.perf_counter() - s)
after_queries = rss_mb()

from rank_bm25 import BM25Okapi
reference = BM25Okapi([passage_terms(index.passages[i]) for i in range(len(index.passages))])
theirs, same = [], 0
for t in terms[:sample]:
    s = time.perf_counter()
    scores = reference.get_scores(t)
    order = np.lexsort((np.arange(len(scores)), -scores))[:10]
    theirs.append(time.perf_counter() - s)
    mine = index.ranker.top(t, 10)
    expected = [int(i) for i in order if scores[i] > 0]
    same += [d for d, _ in mine] == expected and np.allclose([v for _, v in mine], scores[expected], rtol=1e-9)

pct = lambda xs, p: float(np.percentile(xs, p)) * 1e3
print(json.dumps({
    "articles": len(index.articles), "passages": len(index.passages),
    "import_s": imported - started, "load_s": loaded - imported, "first_query_s": first,
    "rss_after_load_mb": after_load, "rss_after_queries_mb": after_queries,
    "ours_p50_ms": pct(ours, 50), "ours_p99_ms": pct(ours, 99),
    "search_p50_ms": pct(search, 50), "search_p99_ms": pct(search, 99),
    "bm25_p50_ms": pct(theirs, 50), "bm25_p99_ms": pct(theirs, 99),
    "bm25_queries": len(theirs), "identical": int(same),
}))
"""


def _child_env(index_dir: Path) -> dict[str, str]:
    root = str(Path(__file__).resolve().parent.parent.parent)
    return {
        **os.environ,
        "INDEX_DIR": str(index_dir),
        "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]),
    }


def run_bench(n_passages: int, n_queries: int, bm25_queries: int, out: TextIO, workdir: Path | None = None) -> dict:
    """Run the benchmark and print its table to `out`; returns the figures."""
    own = workdir is None
    work = Path(tempfile.mkdtemp(prefix="bot-bench-")) if workdir is None else workdir
    articles, index_dir = work / "articles", work / "index"
    try:
        shutil.rmtree(articles, ignore_errors=True)
        shutil.rmtree(index_dir, ignore_errors=True)
        started = time.perf_counter()
        written = write_corpus(articles, n_passages, seed=0)
        print(f"wrote {written:,} passages of synthetic articles in {time.perf_counter() - started:.1f} s", file=out)

        started = time.perf_counter()
        build = subprocess.run(
            [sys.executable, "-m", "bot", "index", "--articles", str(articles)],
            env=_child_env(index_dir), capture_output=True, text=True,
        )  # fmt: skip
        build_s = time.perf_counter() - started
        if build.returncode != 0:
            raise RuntimeError(f"building the index failed:\n{build.stderr}")
        build_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        questions = sample_queries(n_queries, seed=1)
        serve = subprocess.run(
            [sys.executable, "-c", _SERVE, str(articles), str(index_dir), str(min(bm25_queries, n_queries))],
            input=json.dumps(questions), env=_child_env(index_dir), capture_output=True, text=True,
        )  # fmt: skip
        if serve.returncode != 0:
            raise RuntimeError(f"serving the index failed:\n{serve.stderr}")
        figures = {
            **json.loads(serve.stdout.strip().splitlines()[-1]),
            "build_s": build_s,
            "build_peak_mb": build_peak_mb,
        }
    finally:
        if own:
            shutil.rmtree(work, ignore_errors=True)
    _print_table(figures, n_queries, out)
    return figures


def _print_table(f: dict, n_queries: int, out: TextIO) -> None:
    ratio = f["bm25_p50_ms"] / max(f["ours_p50_ms"], 1e-9)
    rows = [
        ("passages (articles)", f"{f['passages']:,} ({f['articles']:,})"),
        ("build from article files", f"{f['build_s']:.1f} s, peak memory {f['build_peak_mb']:,.0f} MB"),
        ("start from the saved index", f"{f['load_s']:.2f} s (+ {f['import_s']:.2f} s Python imports)"),
        (
            "memory after load",
            f"{f['rss_after_load_mb']:,.0f} MB ({f['rss_after_queries_mb']:,.0f} MB after the queries)",
        ),
        (
            "top-10 ranking, this index",
            f"p50 {f['ours_p50_ms']:.2f} ms, p99 {f['ours_p99_ms']:.2f} ms ({n_queries} questions)",
        ),
        (
            "full search (tokens, ranking, passages)",
            f"p50 {f['search_p50_ms']:.2f} ms, p99 {f['search_p99_ms']:.2f} ms",
        ),
        (
            "rank-bm25 get_scores, same process",
            f"p50 {f['bm25_p50_ms']:.1f} ms, p99 {f['bm25_p99_ms']:.1f} ms ({f['bm25_queries']} questions)",
        ),
        ("speed-up at p50", f"{ratio:,.0f}x"),
        ("identical top 10", f"{f['identical']}/{f['bm25_queries']}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}", file=out)
