"""The corpus: article files, their passages, and the tokens BM25 indexes."""
