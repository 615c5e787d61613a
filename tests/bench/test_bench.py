import io
from pathlib import Path

from bot.bench.runner import run_bench
from bot.bench.synthetic import write_corpus


def test_small_benchmark_runs_and_agrees_with_rank_bm25(tmp_path: Path) -> None:
    """CI-sized: the benchmark builds from files, serves from the saved index, and every sampled
    top 10 equals rank-bm25's (timings are printed, not asserted: this machine is noisy)."""
    out = io.StringIO()
    figures = run_bench(1500, 60, 10, out, workdir=tmp_path)
    assert figures["passages"] >= 1400
    assert figures["identical"] == figures["bm25_queries"] == 10
    assert figures["load_s"] > 0 and figures["ours_p50_ms"] > 0 and figures["bm25_p50_ms"] > 0
    table = out.getvalue()
    for label in ("build from article files", "start from the saved index", "cold start", "memory after load"):
        assert label in table
    assert "10/10" in next(line for line in table.splitlines() if line.startswith("identical top 10"))
    assert "bm25s" in table.splitlines()[-1]  # measured, or how to measure it


def test_synthetic_corpus_is_deterministic_and_loads(tmp_path: Path) -> None:
    from bot.corpus.articles import article_files, load_articles

    assert write_corpus(tmp_path / "a", 300, seed=3) == write_corpus(tmp_path / "b", 300, seed=3)
    files_a, files_b = article_files(tmp_path / "a"), article_files(tmp_path / "b")
    assert [f.read_bytes() for f in files_a] == [f.read_bytes() for f in files_b]
    articles, problems = load_articles(files_a)
    assert problems == [] and articles
