"""The engine: an exact BM25Okapi postings index and its compiled kernels."""
