"""`python -m bot bench N`: build, start and query time at N passages, against rank-bm25.

A synthetic corpus of N passages is written in the articles' format (Zipf vocabulary, fixed
seed). Building and serving each run in a fresh process, as they would for real, so that their
times and memory are their own: the build is `python -m bot index`; the server process
(serve.py) loads the saved index, answers the sample questions, then times rank-bm25's and
bm25s's rankings over the very same passage terms in that same process, for the ratios.
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
            [sys.executable, "-m", "bot.bench.serve", str(articles), str(index_dir), str(min(bm25_queries, n_queries))],
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
        ("cold start to the first answer", f"{f['import_s'] + f['load_s'] + f['first_query_s']:.2f} s"),
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
    if "bm25s_p50_ms" in f:
        rows.append(
            (
                "bm25s (numba) top 10, same loop",
                f"p50 {f['bm25s_p50_ms']:.2f} ms, p99 {f['bm25s_p99_ms']:.2f} ms; this index in the same loop "
                f"p50 {f['ours_vs_bm25s_p50_ms']:.2f} ms, p99 {f['ours_vs_bm25s_p99_ms']:.2f} ms",
            )
        )
    else:
        rows.append(("bm25s (numba) top 10", "not measured: pip install bm25s (the bench extra)"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}", file=out)
