"""The benchmark: synthetic corpora and timings against rank-bm25."""
