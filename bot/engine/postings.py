"""A serving BM25 index: rank-bm25 `BM25Okapi` scores, exactly, with pruned top-k.

Scores. Every score is computed from the stored term frequency and document length with the very
float64 operations, in the very order, that `BM25Okapi.get_scores` uses (idf from `math.log`, the
epsilon floor from the average of all raw idfs summed in first-occurrence order, contributions
added in query order, a repeated term added each time), so scores and rankings are bit-identical.

Storage. Each term has two posting lists over the same offsets: by doc id (with tf: exact random
access by galloping search) and by impact, i.e. contribution descending (with a float32 impact,
used only to cut prefixes and for bounds). Terms in >= 1/16 of the docs also get a dense tf column.

Top-k. A query (1) scores the heads of the impact lists exactly: the k-th best is a threshold
theta the answer must reach. (2) It plans per term: skip it, scan the prefix of impact >= lambda,
or scan it all, such that Lambda = sum(skipped m*max) + sum(cut m*lambda) < theta, so a doc in no
scanned prefix scores below theta (MaxScore and the threshold algorithm are extreme plans; the
plan reading the fewest postings wins). (3) It adds the prefixes into a dense accumulator: each
touched doc gets a lower bound, and an upper bound with its unseen terms at their bounds.
(4) It resolves the unseen terms of the surviving candidates (dense columns first, one pass with
per-doc early exit; then a streaming scan or galloping per list, whichever is cheaper), dropping
a candidate as soon as its upper bound falls below theta, while k lower bounds raise theta.
(5) The survivors are rescored exactly and sorted by (-score, doc id). So the answer equals the
exhaustive ranking restricted to matching (and allowed) docs; slack factors only ever admit more
candidates, covering float32 and summation-order rounding. A mask keeping few docs scores those
docs directly. With numba installed, steps 1-5 run as one compiled kernel (JIT-cached in
__pycache__: ~7 s once per machine, then ~0.2 s for a process's first query); without it an
exact numpy version of steps 1-3 and 5 runs (1M docs: p50 ~2 ms, p99 ~28 ms against ~0.8 / ~6 ms
compiled). Queries are serialised by a lock.
"""

from __future__ import annotations

import array
import json
import math
import os
import shutil
import tempfile
import threading
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

FORMAT = "bm25-postings"
FORMAT_VERSION = 1
_BIG = ("imp_docs", "imp_neg", "doc_docs", "doc_tf", "dense_tf")  # memory-mapped on load
_SMALL = ("offsets", "doc_len", "idf", "max_imp", "dense_row", "vocab")
_SLACK = 1e-6  # relative, >> float32 rounding (6e-8) times terms; it only admits extra candidates


class IndexCacheError(ValueError):
    """A saved index is missing, truncated, corrupt or of another format version."""


def _crc32(path: Path) -> int:
    """CRC-32 of a whole file. zlib's crc32 runs at several GB/s, so checking every byte of a
    1M-passage index (~0.5 GB) costs ~0.2 s of the 1 s load budget; a sampled check could let
    a flipped byte in a posting through, which would give silently wrong answers."""
    crc, buf = 0, bytearray(1 << 23)
    with open(path, "rb") as fh:
        while n := fh.readinto(buf):
            crc = zlib.crc32(memoryview(buf)[:n], crc)
    return crc


def _select(ids: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The best k by score, ties by lower doc id."""
    if len(ids) > k:
        keep = scores >= -np.partition(-scores, k - 1)[k - 1]
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))[:k]
    return ids[order].astype(np.int64), scores[order].astype(np.float64)


# Indexes with at least this many documents answer through the compiled kernels (when numba is
# installed); smaller ones use the numpy path, which is then faster than importing numba.
COMPILED_MIN_DOCS = 20_000


def _kernels():
    global _KERNELS
    if _KERNELS is False:
        try:
            from bot.engine import kernels as postings_kernels
        except ImportError:  # pragma: no cover - numba not installed
            postings_kernels = None
        _KERNELS = postings_kernels
    return _KERNELS


_KERNELS = False  # not imported yet

_PRUNED = 1 << 31  # seen-bits: bit i = query term i accounted for; bit 31 = pruned candidate
_RA_COST = 24  # one galloping probe costs about as much as streaming this many postings


class PostingsIndex:
    """BM25Okapi-exact scores and pruned top-k over term posting lists (see module docstring)."""

    def __init__(self, arrays: dict[str, np.ndarray], vocabulary: list[str], k1: float, b: float, epsilon: float):
        for arr in arrays.values():  # read-only, as when memory-mapped: one compiled signature
            arr.flags.writeable = False
        self._a = arrays
        self._vocab = vocabulary
        self._k1, self._b, self._eps = float(k1), float(b), float(epsilon)
        self._off = arrays["offsets"]
        self._idf, self._max = arrays["idf"], arrays["max_imp"]
        self._imp_docs, self._imp_neg = arrays["imp_docs"], arrays["imp_neg"]
        self._doc_docs, self._doc_tf = arrays["doc_docs"], arrays["doc_tf"]
        dl = arrays["doc_len"].astype(np.int64)
        self._avgdl = int(dl.sum()) / len(dl)  # int / int, as rank-bm25's num_doc / corpus_size
        self._norm = self._k1 * (1 - self._b + self._b * dl / self._avgdl)  # rank-bm25's expression
        df = np.diff(self._off)
        self._ids = {w: i for i, w in enumerate(vocabulary) if df[i] > 0}
        self._acc: np.ndarray | None = None  # complex: real = lower bound, imag = bounds of seen terms
        self._scratch: tuple | None = None  # compiled path: accumulator, seen-bits, touched docs
        self.use_numba = True  # False forces the numpy path (tests run both)
        self._lock = threading.Lock()

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def build(cls, docs: Sequence[Sequence[str]], *, k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25):
        """Index token lists (ids assigned in first-occurrence order, like rank-bm25's dicts)."""
        ids: dict[str, int] = {}
        flat, offsets = array.array("i"), array.array("q", [0])
        for doc in docs:
            flat.extend([ids.setdefault(w, len(ids)) for w in doc])
            offsets.append(len(flat))
        term_ids = np.frombuffer(flat, dtype=np.int32) if len(flat) else np.zeros(0, np.int32)
        return cls.build_encoded(
            term_ids, np.frombuffer(offsets, dtype=np.int64), list(ids), k1=k1, b=b, epsilon=epsilon
        )

    @classmethod
    def build_encoded(
        cls,
        term_ids: np.ndarray,
        doc_offsets: np.ndarray,
        vocabulary: Sequence[str],
        *,
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
    ) -> PostingsIndex:
        """Index doc i = vocabulary[term_ids[doc_offsets[i]:doc_offsets[i+1]]], all in numpy: two
        int64 sorts (np.sort, not argsort: several times faster) produce both posting orders."""
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
        key = term_ids.astype(np.int64) * n_tok + np.arange(n_tok)  # sorted: by term, then position
        key.sort()
        term = key // max(n_tok, 1)
        pos = key - term * n_tok
        del key
        doc = np.repeat(np.arange(n_docs, dtype=np.int64), dl)[pos]
        new = np.ones(n_tok, dtype=bool)
        new[1:] = (term[1:] != term[:-1]) | (doc[1:] != doc[:-1])
        starts = np.flatnonzero(new)
        p_term, p_doc, tf = term[starts], doc[starts], np.diff(np.append(starts, n_tok))
        df = np.bincount(p_term, minlength=n_terms)
        offsets = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(df, out=offsets[1:])
        present = np.flatnonzero(df)
        first_pos = pos[starts[offsets[present]]]
        del term, pos, doc, new
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
        norm = k1 * (1 - b + b * dl / avgdl)
        # contribution = idf * g(tf, dl): order each term by g (desc; asc for a negative idf),
        # via dense ranks of the distinct (tf, dl) classes packed into one int64 sort key.
        code = tf * (int(dl.max()) + 1) + dl[p_doc]
        big = len(code) and code.max() >= 1 << 25
        classes = np.unique(code) if big else np.flatnonzero(np.bincount(code))
        c_tf, c_dl = np.divmod(classes, int(dl.max()) + 1)
        g = c_tf * (k1 + 1) / (c_tf + k1 * (1 - b + b * c_dl / avgdl))
        ug, rank = np.unique(-g, return_inverse=True)
        if big:
            prank = rank[np.searchsorted(classes, code)]
        else:
            rank_of = np.zeros(int(classes[-1]) + 1 if len(classes) else 1, dtype=np.int64)
            rank_of[classes] = rank
            prank = rank_of[code]
        prank = np.where(idf[p_term] < 0, len(ug) - 1 - prank, prank)
        db, rb = int(n_docs - 1).bit_length(), max(int(len(ug) - 1), 0).bit_length()
        if int(n_terms).bit_length() + rb + db > 63:
            raise ValueError("corpus too large for the int64 impact sort keys")
        key = (p_term << (rb + db)) | (prank << db) | p_doc
        key.sort()
        imp_docs = key & ((1 << db) - 1)
        imp_rank = (key >> db) & ((1 << rb) - 1)
        imp_rank = np.where(idf[p_term] < 0, len(ug) - 1 - imp_rank, imp_rank)
        imp = idf[p_term] * -ug[imp_rank]  # = idf * g, bit-identical to the doc-order contribution
        contrib = idf[p_term] * (tf * (k1 + 1) / (tf + norm[p_doc]))
        max_imp = np.zeros(n_terms)
        if len(present):
            max_imp[present] = np.maximum.reduceat(contrib, offsets[present])
        tf_max = int(tf.max()) if len(tf) else 0
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
        arrays = {
            "offsets": offsets,
            "imp_docs": imp_docs.astype(np.int32),
            "imp_neg": -imp.astype(np.float32),
            "doc_docs": p_doc.astype(np.int32),
            "doc_tf": tf.astype(tf_type),
            "doc_len": dl.astype(np.int32),
            "idf": idf,
            "max_imp": max_imp,
            "dense_tf": dense_tf,
            "dense_row": dense_row,
            "vocab": np.frombuffer("\0".join(vocabulary).encode(), dtype=np.uint8),
        }
        return cls(arrays, list(vocabulary), k1, b, epsilon)

    # ---- properties -----------------------------------------------------------------------
    n_docs = property(lambda self: len(self._norm), doc="Number of documents.")
    vocabulary_size = property(lambda self: len(self._ids), doc="Distinct terms occurring in the corpus.")
    n_postings = property(lambda self: int(self._off[-1]), doc="Distinct (term, doc) pairs.")
    k1 = property(lambda self: self._k1)
    b = property(lambda self: self._b)
    epsilon = property(lambda self: self._eps)
    avgdl = property(lambda self: self._avgdl)

    def doc_freq(self, term: str) -> int:
        """How many documents contain `term` (0 for a term the corpus never uses)."""
        i = self._ids.get(term)
        return 0 if i is None else int(self._off[i + 1] - self._off[i])

    def matched_terms(self, query: Sequence[str]) -> list[str]:
        """The distinct query terms that occur in the corpus, in query order."""
        return [w for w in dict.fromkeys(query) if w in self._ids]

    def terms_in(self, doc: int, terms: Sequence[str]) -> list[str]:
        """Those of `terms` that document `doc` contains (a binary search per term)."""
        found = []
        for w in terms:
            t = self._ids.get(w)
            if t is not None:
                s, e = int(self._off[t]), int(self._off[t + 1])
                p = s + int(np.searchsorted(self._doc_docs[s:e], doc))
                if p < e and self._doc_docs[p] == doc:
                    found.append(w)
        return found

    # ---- scoring ----------------------------------------------------------------------------
    def _contrib(self, t: int, docs: np.ndarray, tf: np.ndarray) -> np.ndarray:
        tf = tf.astype(np.float64)
        return self._idf[t] * (tf * (self._k1 + 1) / (tf + self._norm[docs]))

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Scores of all docs, bit-identical to `BM25Okapi(docs).get_scores(query)`."""
        out = np.zeros(self.n_docs)
        for t in (self._ids[w] for w in query if w in self._ids):
            s, e = self._off[t], self._off[t + 1]
            d = self._doc_docs[s:e]
            out[d] += self._contrib(t, d, self._doc_tf[s:e])  # doc ids are unique within a list
        return out

    def _exact(self, occ: list[int], uniq: list[int], cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Exact scores of the sorted docs `cand` (binary search per term), and which match."""
        per, hit_any = {}, np.zeros(len(cand), dtype=bool)
        for t in uniq:
            s, e = self._off[t], self._off[t + 1]
            lst = self._doc_docs[s:e]
            pos = np.minimum(np.searchsorted(lst, cand), e - s - 1)
            hit = lst[pos] == cand
            hit_any |= hit
            per[t] = self._contrib(t, cand, np.where(hit, self._doc_tf[s:e][pos], 0))
        total = np.zeros(len(cand))
        for t in occ:
            total += per[t]
        return total, hit_any

    def top_k(self, query: Sequence[str], k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(doc ids int64, scores float64) of the best k matching docs, best first, ties by lower
        id; only docs containing a query term (and `allowed`, a bool mask over docs) qualify."""
        occ = [self._ids[w] for w in query if w in self._ids]
        if allowed is not None:
            allowed = np.asarray(allowed)
            if allowed.dtype != bool or allowed.shape != (self.n_docs,):
                raise ValueError(f"allowed must be a bool array of shape ({self.n_docs},)")
            if not (allowed.flags.c_contiguous and allowed.flags.writeable):
                allowed = allowed.copy()  # one array layout: one compiled kernel signature
        if k < 1 or not occ:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        with self._lock:
            return self._top_k(occ, k, allowed)

    def _top_k(self, occ: list[int], k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        uniq = list(dict.fromkeys(occ))
        u = np.array(uniq)
        m = np.array([occ.count(t) for t in uniq], dtype=np.float64)
        df = self._off[u + 1] - self._off[u]
        if (self._idf[u] < 0).any():  # degenerate corpus: bounds assume contributions >= 0
            return self._exhaustive(occ, uniq, k, allowed)
        kernels = _kernels() if self.use_numba and self.n_docs >= COMPILED_MIN_DOCS and len(u) < 31 else None
        compiled = kernels is not None
        if compiled:
            pos = {t: i for i, t in enumerate(uniq)}
            order = np.array([pos[t] for t in occ])
            q = (self._off[u], self._off[u + 1], self._idf[u], m, self._max[u], order, self._a["dense_row"][u])
            lists = (self._imp_docs, self._imp_neg, self._doc_docs, self._doc_tf, self._a["dense_tf"], self._norm)
        if allowed is not None and np.count_nonzero(allowed) * len(u) * 8 <= df.sum():
            cand = np.flatnonzero(allowed).astype(np.int32)  # few allowed docs: score them all
            if compiled:
                sc, hit = kernels._nb_exact(cand, lists, q, self._k1 + 1)
            else:
                sc, hit = self._exact(occ, uniq, cand)
            return _select(cand[hit], sc[hit], k)
        if compiled:
            if self._scratch is None:
                n = self.n_docs
                self._scratch = (np.zeros(n), np.zeros(n, np.uint32), np.zeros(n, np.int32))
            mask = np.zeros(0, bool) if allowed is None else allowed
            cand, sc = kernels._nb_top_k(lists, q, k, self._k1 + 1, mask, self._scratch)
            return _select(cand, sc, k)
        # (1) threshold from the exactly scored heads of the impact lists
        depth = 2 * k + 16
        while True:
            heads = [self._imp_docs[s : s + min(depth, d)] for s, d in zip(self._off[u], df)]
            cand = np.unique(np.concatenate(heads))
            if allowed is not None:
                cand = cand[allowed[cand]]
            if depth >= df.max() or len(cand) >= k:
                break
            depth *= 16
        sc, _ = self._exact(occ, uniq, cand)
        if depth >= df.max():  # the heads were whole lists: every matching doc is scored
            return _select(cand, sc, k)
        if len(cand) < k:
            return self._exhaustive(occ, uniq, k, allowed)
        theta = float(np.partition(sc, len(sc) - k)[len(sc) - k])
        if theta <= 0:
            return self._exhaustive(occ, uniq, k, allowed)
        # (2) plan, (3) accumulate bounds, (4) rescore survivors
        lam, count, bound = self._plan(u, m, df, theta)
        if bound * (1 + 1e-9) >= theta:
            return self._exhaustive(occ, uniq, k, allowed)
        if self._acc is None:
            self._acc = np.zeros(self.n_docs, dtype=np.complex128)
        acc, touched = self._acc, []
        for i, s in enumerate(self._off[u]):
            if count[i]:
                d = self._imp_docs[s : s + count[i]]
                w = self._imp_neg[s : s + count[i]] * -m[i]
                acc[d] += w + 1j * (m[i] * lam[i]) if lam[i] > 0 else w
                touched.append(d)
        touched = np.concatenate(touched)
        vals = acc[touched]
        acc[touched] = 0
        lb, ub = vals.real, vals.real + (bound - vals.imag)
        slack = _SLACK * float(m @ self._max[u])
        keep = ub >= theta - slack
        if allowed is not None:
            keep &= allowed[touched]
        idx = np.flatnonzero(keep)
        cand, first = np.unique(touched[idx], return_index=True)
        lb, ub = lb[idx][first], ub[idx][first]
        if len(cand) > k:  # k distinct docs with lower bounds >= theta2 raise the threshold
            theta = max(theta, float(np.partition(lb, len(lb) - k)[len(lb) - k]) * (1 - _SLACK))
            cand = cand[ub >= theta - slack]
        sc, _ = self._exact(occ, uniq, cand)
        return _select(cand, sc, k)

    def _plan(self, u: np.ndarray, m: np.ndarray, df: np.ndarray, theta: float):
        """Choose per term skip / prefix impact >= lambda / full scan, keeping the bound of an
        unscanned doc below theta, with the fewest postings read. Tries every split 'skip the j
        terms of least m*max, fully scan the i shortest of the rest, cut the rest at a common
        fraction alpha of their max' — (T+1)^2 plans evaluated at once."""
        T = len(u)
        mx = self._max[u]
        mm = m * mx
        target = theta / (1 + 1e-8)
        steps = np.arange(T + 1)
        skip = np.argsort(np.argsort(mm, kind="stable"), kind="stable")[None, :] < steps[:, None]  # (j, t)
        rd = np.argsort(np.argsort(df, kind="stable"), kind="stable")
        before = rd[None, :] < rd[:, None]  # before[t, v]: v is shorter than t
        rank_rest = ((~skip)[:, None, :] & before[None]).sum(-1)  # (j, t) rank among unskipped
        full = (~skip)[:, None, :] & (rank_rest[:, None, :] < steps[None, :, None])  # (j, i, t)
        part = ~skip[:, None, :] & ~full
        b_skip = (skip * mm).sum(-1)[:, None]
        s_part = (part * mm).sum(-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            alpha = np.clip((target - b_skip) / s_part, 0, 1)
        ok = b_skip < target
        lam = alpha[..., None] * mx  # (j, i, t)
        counts = np.empty(lam.shape, dtype=np.int64)
        for i, t in enumerate(u):
            neg = self._imp_neg[self._off[t] : self._off[t + 1]]
            counts[..., i] = np.searchsorted(neg, -lam[..., i].astype(np.float32), side="right")
        cost = np.where(ok, (full * df).sum(-1) + (part * counts).sum(-1), np.inf)
        j, i = np.unravel_index(np.argmin(cost), cost.shape)
        lam_b, cnt = np.where(part[j, i], lam[j, i], 0.0), np.where(skip[j], 0, np.where(full[j, i], df, counts[j, i]))
        bound = float((skip[j] * mm).sum() + (part[j, i] * m * lam_b).sum())
        return lam_b, cnt, bound

    def _exhaustive(self, occ: list[int], uniq: list[int], k: int, allowed: np.ndarray | None):
        """Score every posting of the query terms (exact, query order) and select."""
        out, seen = np.zeros(self.n_docs), np.zeros(self.n_docs, dtype=bool)
        for t in occ:
            s, e = self._off[t], self._off[t + 1]
            d = self._doc_docs[s:e]
            out[d] += self._contrib(t, d, self._doc_tf[s:e])
            seen[d] = True
        if allowed is not None:
            seen &= allowed
        cand = np.flatnonzero(seen)
        return _select(cand, out[cand], k)

    # ---- persistence ------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        """Write to a temporary sibling directory, then rename it into place, so a reader never
        sees a half-written index. Files are not fsynced: a crash may leave a bad file, which
        the per-file size and CRC-32 in the manifest make `load` reject."""
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.tmp-", dir=directory.parent))
        try:
            files = {}
            for name in _BIG + _SMALL:
                path = tmp / f"{name}.npy"
                np.save(path, np.ascontiguousarray(self._a[name]))
                arr = self._a[name]
                files[name] = {
                    "dtype": arr.dtype.str,
                    "shape": list(arr.shape),
                    "bytes": path.stat().st_size,
                    "crc32": _crc32(path),
                }
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "k1": self._k1,
                "b": self._b,
                "epsilon": self._eps,
                "n_docs": self.n_docs,
                "n_terms": len(self._vocab),
                "n_postings": self.n_postings,
                "arrays": files,
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1))
            old = None
            if directory.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{directory.name}.old-", dir=directory.parent))
                os.replace(directory, old / "index")
            os.replace(tmp, directory)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    @classmethod
    def load(cls, directory: Path) -> PostingsIndex:
        """Load a saved index (postings memory-mapped), verifying every file's size and CRC-32;
        raises IndexCacheError, never returns an index built from damaged files."""
        directory = Path(directory)
        try:
            manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
            if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
                raise IndexCacheError(
                    f"{directory}: format {manifest.get('format')!r} version "
                    f"{manifest.get('version')!r}, expected {FORMAT!r} {FORMAT_VERSION}"
                )
            arrays = {}
            for name in _BIG + _SMALL:
                spec, path = manifest["arrays"][name], directory / f"{name}.npy"
                if not path.is_file() or path.stat().st_size != spec["bytes"]:
                    raise IndexCacheError(f"{path}: missing or wrong size (truncated?)")
                if _crc32(path) != spec["crc32"]:
                    raise IndexCacheError(f"{path}: checksum mismatch (corrupt)")
                arr = np.load(path, mmap_mode="r" if name in _BIG else None, allow_pickle=False)
                if arr.dtype.str != spec["dtype"] or list(arr.shape) != spec["shape"]:
                    raise IndexCacheError(f"{path}: dtype/shape differ from the manifest")
                arrays[name] = arr.view(np.ndarray)  # plain views: np.memmap slicing is slow
            n_docs, n_terms, n_post = manifest["n_docs"], manifest["n_terms"], manifest["n_postings"]
            vocab = bytes(arrays["vocab"]).decode("utf-8").split("\0") if n_terms else []
            off = arrays["offsets"]
            if (
                len(vocab) != n_terms
                or off.shape != (n_terms + 1,)
                or off[0] != 0
                or off[-1] != n_post
                or (np.diff(off) < 0).any()
                or arrays["doc_len"].shape != (n_docs,)
                or any(arrays[a].shape != (n_post,) for a in _BIG[:4])
                or arrays["dense_row"].shape != (n_terms,)
                or arrays["dense_tf"].shape != (int((arrays["dense_row"] >= 0).sum()), n_docs)
            ):
                raise IndexCacheError(f"{directory}: arrays are inconsistent with each other")
            return cls(arrays, vocab, manifest["k1"], manifest["b"], manifest["epsilon"])
        except IndexCacheError:
            raise
        except FileNotFoundError as exc:
            raise IndexCacheError(f"{directory}: no index here ({exc.filename} missing)") from None
        except (OSError, ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
            raise IndexCacheError(f"{directory}: unreadable index: {exc}") from None
