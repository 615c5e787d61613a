"""The arrays of an exact BM25 postings index, and the scores they give.

Each term has two posting lists over the same offsets: by doc id (with tf: exact random access
by galloping search) and by impact, i.e. contribution descending (with a float32 impact, used
only to cut prefixes and for bounds). Terms in >= 1/16 of the docs also get a dense tf column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Memory-mapped when loaded: the postings-length arrays and the dense columns.
BIG = ("imp_docs", "imp_neg", "doc_docs", "doc_tf", "dense_tf")
SMALL = ("offsets", "doc_len", "idf", "max_imp", "dense_row", "vocab")


@dataclass(frozen=True)
class Postings:
    """The arrays (read-only) and BM25 parameters; `norm` and `avgdl` derive from `doc_len`."""

    offsets: np.ndarray  # term t's postings are [offsets[t], offsets[t + 1]) in the four below
    imp_docs: np.ndarray  # int32 doc ids, by impact descending
    imp_neg: np.ndarray  # float32 minus impact, ascending
    doc_docs: np.ndarray  # int32 doc ids ascending
    doc_tf: np.ndarray  # term frequency, uint8/16/32
    doc_len: np.ndarray  # int32 per doc
    idf: np.ndarray  # float64 per term (rank-bm25's, epsilon floor applied)
    max_imp: np.ndarray  # float64 per term: its largest contribution
    dense_tf: np.ndarray  # uint8 (dense terms, docs)
    dense_row: np.ndarray  # int32 per term: its row in dense_tf, or -1
    vocab: np.ndarray  # uint8: the terms joined by NUL
    k1: float
    b: float
    epsilon: float
    avgdl: float = field(init=False)
    norm: np.ndarray = field(init=False)
    norm32: np.ndarray = field(init=False)  # float32 norm, for the compiled float32 filter

    def __post_init__(self) -> None:
        for name in ("k1", "b", "epsilon"):
            object.__setattr__(self, name, float(getattr(self, name)))
        for name in (*BIG, *SMALL):  # read-only, as when memory-mapped: one compiled signature
            getattr(self, name).flags.writeable = False
        dl = self.doc_len.astype(np.int64)
        avgdl = int(dl.sum()) / len(dl)  # int / int, as rank-bm25's num_doc / corpus_size
        object.__setattr__(self, "avgdl", avgdl)
        norm = self.k1 * (1 - self.b + self.b * dl / avgdl)  # rank-bm25's expression
        object.__setattr__(self, "norm", norm)
        object.__setattr__(self, "norm32", norm.astype(np.float32))

    @property
    def n_docs(self) -> int:
        return len(self.doc_len)

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in (*BIG, *SMALL)}

    def terms(self) -> list[str]:
        return bytes(self.vocab).decode("utf-8").split("\0") if len(self.offsets) > 1 else []

    def contrib(self, t: int, docs: np.ndarray, tf: np.ndarray) -> np.ndarray:
        """Term t's contributions to `docs` with term frequencies `tf`, as rank-bm25 computes them."""
        tf = tf.astype(np.float64)
        return self.idf[t] * (tf * (self.k1 + 1) / (tf + self.norm[docs]))
