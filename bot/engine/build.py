"""Build the postings of an exact BM25 index from token lists, all in numpy.

Term ids follow first occurrence, like rank-bm25's dicts; idf and its epsilon floor are computed
with rank-bm25's very operations, in its order (see postings.py), so scores are bit-identical.
"""

from __future__ import annotations

import array
import math
from collections.abc import Sequence

import numpy as np

from bot.engine.layout import Postings


def encode(docs: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(term ids, doc offsets, vocabulary) of token lists, ids in first-occurrence order."""
    ids: dict[str, int] = {}
    flat, offsets = array.array("i"), array.array("q", [0])
    for doc in docs:
        flat.extend([ids.setdefault(w, len(ids)) for w in doc])
        offsets.append(len(flat))
    term_ids = np.frombuffer(flat, dtype=np.int32) if len(flat) else np.zeros(0, np.int32)
    return term_ids, np.frombuffer(offsets, dtype=np.int64), list(ids)


_CHUNK = 1 << 20  # elements per step of the chunked passes: 8 MB temporaries


def _chunks(n: int) -> list[tuple[int, int]]:
    return [(s, min(s + _CHUNK, n)) for s in range(0, n, _CHUNK)]


def build_postings(
    term_ids: np.ndarray,
    doc_offsets: np.ndarray,
    vocabulary: Sequence[str],
    *,
    k1: float = 1.5,
    b: float = 0.75,
    epsilon: float = 0.25,
) -> Postings:
    """Index doc i = vocabulary[term_ids[doc_offsets[i]:doc_offsets[i+1]]]: two int64 sorts
    (np.sort, not argsort: several times faster) produce both posting orders."""
    term_ids, offs = np.asarray(term_ids), np.asarray(doc_offsets, dtype=np.int64)
    n_docs, n_tok, n_terms = len(offs) - 1, len(term_ids), len(vocabulary)
    if n_docs < 1 or offs[0] != 0 or offs[-1] != n_tok or (np.diff(offs) < 0).any():
        raise ValueError("doc_offsets must start at 0, not decrease and end at len(term_ids); need a doc")
    if n_tok and (term_ids.min() < 0 or term_ids.max() >= n_terms):
        raise ValueError("term id outside the vocabulary")
    if len(set(vocabulary)) != n_terms or any("\0" in w for w in vocabulary):
        raise ValueError("vocabulary terms must be distinct and contain no NUL")
    if n_terms * max(n_tok, 1) >= 2**62:
        raise ValueError("corpus too large for the int64 sort keys")
    dl = np.diff(offs)
    # Postings by term, then position: one int64 sort. Work goes in chunks into arrays of the
    # smallest type, so that no more than a few postings-length arrays are alive at once.
    key = term_ids.astype(np.int64)
    key *= n_tok
    for s, e in _chunks(n_tok):
        key[s:e] += np.arange(s, e)
    key.sort()
    term = np.empty(n_tok, np.int32)
    pos = np.empty(n_tok, np.int32 if n_tok < 2**31 else np.int64)
    for s, e in _chunks(n_tok):
        term[s:e] = key[s:e] // n_tok
        pos[s:e] = key[s:e] - term[s:e].astype(np.int64) * n_tok
    del key
    doc = np.repeat(np.arange(n_docs, dtype=np.int32), dl)[pos]
    new = np.ones(n_tok, dtype=bool)
    new[1:] = term[1:] != term[:-1]
    new[1:] |= doc[1:] != doc[:-1]
    starts = np.flatnonzero(new)
    del new
    p_term = term[starts]
    del term
    p_doc = doc[starts]
    del doc
    n_post = len(starts)
    tf = np.empty(n_post, np.int32)
    for s, e in _chunks(n_post):
        tf[s:e] = np.append(starts[s + 1 : e + 1], n_tok if e == n_post else [])[: e - s] - starts[s:e]
    df = np.bincount(p_term, minlength=n_terms)
    offsets = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(df, out=offsets[1:])
    present = np.flatnonzero(df)
    first_pos = pos[starts[offsets[present]]]
    del pos, starts
    # idf exactly as rank-bm25: math.log per distinct df; the average summed sequentially
    # (cumsum) in first-occurrence order, i.e. the order of its `nd` dict.
    in_order = present[np.argsort(first_pos, kind="stable")]
    udf, inv = np.unique(df[in_order], return_inverse=True)
    raw = np.array([math.log(n_docs - f + 0.5) - math.log(f + 0.5) for f in udf.tolist()])[inv]
    idf = np.zeros(n_terms)
    if len(raw):
        average_idf = float(np.cumsum(raw)[-1]) / len(raw)
        idf[in_order] = np.where(raw < 0, epsilon * average_idf, raw)
    avgdl = n_tok / n_docs
    # contribution = idf * g(tf, dl): order each term by g (desc; asc for a negative idf),
    # via dense ranks of the distinct (tf, dl) classes packed into one int64 sort key.
    tf_max, width = (int(tf.max()) if n_post else 0), int(dl.max()) + 1

    def codes(s: int, e: int) -> np.ndarray:
        return tf[s:e].astype(np.int64) * width + dl[p_doc[s:e]]

    big = tf_max * width + width > 1 << 22
    if big:
        classes = np.unique(
            np.concatenate([np.unique(codes(s, e)) for s, e in _chunks(n_post)] or [np.zeros(1, np.int64)])
        )
    else:
        counts = np.zeros(tf_max * width + width, dtype=np.int64)
        for s, e in _chunks(n_post):
            counts += np.bincount(codes(s, e), minlength=len(counts))
        classes = np.flatnonzero(counts)
    c_tf, c_dl = np.divmod(classes, width)
    g = c_tf * (k1 + 1) / (c_tf + k1 * (1 - b + b * c_dl / avgdl))
    ug, rank = np.unique(-g, return_inverse=True)
    if not big:
        rank_of = np.zeros(int(classes[-1]) + 1 if len(classes) else 1, dtype=np.int64)
        rank_of[classes] = rank
    negative, last = idf < 0, len(ug) - 1
    db, rb = int(n_docs - 1).bit_length(), max(int(last), 0).bit_length()
    if int(n_terms).bit_length() + rb + db > 63:
        raise ValueError("corpus too large for the int64 impact sort keys")
    key = np.empty(n_post, np.int64)
    for s, e in _chunks(n_post):
        code = codes(s, e)
        prank = rank[np.searchsorted(classes, code)] if big else rank_of[code]
        prank = np.where(negative[p_term[s:e]], last - prank, prank)
        key[s:e] = (p_term[s:e].astype(np.int64) << (rb + db)) | (prank << db) | p_doc[s:e]
    key.sort()
    imp_docs, imp_neg = np.empty(n_post, np.int32), np.empty(n_post, np.float32)

    def impacts(k: np.ndarray, t: np.ndarray) -> np.ndarray:
        """idf * g, bit-identical to the contribution computed from tf and the doc's length."""
        r = (k >> db) & ((1 << rb) - 1)
        return idf[t] * -ug[np.where(negative[t], last - r, r)]

    for s, e in _chunks(n_post):
        imp_docs[s:e] = key[s:e] & ((1 << db) - 1)
        imp_neg[s:e] = -impacts(key[s:e], p_term[s:e]).astype(np.float32)
    max_imp = np.zeros(n_terms)
    if len(present):  # a term's first posting by impact is its largest contribution
        max_imp[present] = impacts(key[offsets[present]], present)
    del key
    # Terms in >= 1/16 of the docs also get a dense tf column (one byte a doc, < 8% of their
    # postings' bytes): resolving a very common term for a candidate becomes one lookup.
    big_tf = np.zeros(n_terms, dtype=bool)
    if len(present):
        big_tf[present] = np.maximum.reduceat(tf, offsets[present]) > 255
    dense_terms = np.flatnonzero((df * 16 >= n_docs) & (df > 0) & ~big_tf)
    dense_row = np.full(n_terms, -1, dtype=np.int32)
    dense_row[dense_terms] = np.arange(len(dense_terms))
    dense_tf = np.zeros((len(dense_terms), n_docs), dtype=np.uint8)
    for r, t in enumerate(dense_terms):
        dense_tf[r, p_doc[offsets[t] : offsets[t + 1]]] = tf[offsets[t] : offsets[t + 1]]
    tf_type = np.uint8 if tf_max < 256 else np.uint16 if tf_max < 65536 else np.uint32
    return Postings(
        offsets=offsets,
        imp_docs=imp_docs,
        imp_neg=imp_neg,
        doc_docs=p_doc,
        doc_tf=tf.astype(tf_type),
        doc_len=dl.astype(np.int32),
        idf=idf,
        max_imp=max_imp,
        dense_tf=dense_tf,
        dense_row=dense_row,
        vocab=np.frombuffer("\0".join(vocabulary).encode(), dtype=np.uint8),
        k1=k1,
        b=b,
        epsilon=epsilon,
    )
