"""The compiled float32 filter for questions whose bounds cannot prune (see kernels.py).

It scores every matching doc approximately, as bm25s does, but without reading the posting lists
of the common terms: those with a dense tf column (in >= 1/16 of the docs) are added block by
block in vectorised passes over docs; the others are scattered from their impact lists' float32
impacts. Each approximate score A is within E of the exact one S (see `error_bound`), so with
A_k the k-th largest A over the allowed docs, every doc of the exact top k (ties included) has
S >= S_k >= A_k - E, hence A >= A_k - 2E: those few candidates are then rescored exactly.
"""

from __future__ import annotations

import numba
import numpy as np

from bot.engine.kernel_parts import jit, nb_heap_push

BLOCK = 4096  # docs per block of the dense pass: its slice of the accumulator stays in cache

# error_model="numpy": no zero-division checks, so that the loops over docs are vectorised.
vector_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


@jit
def error_bound(m, mx):
    """E with |A - S| <= E for every doc: an addend takes at most 6 float32 roundings (2^-24
    relative each) of a value <= m * max impact, the float32 sum one more per term; doubled."""
    total = 0.0
    for i in range(m.shape[0]):
        total += m[i] * mx[i]
    return 2.0 * (m.shape[0] + 8.0) * 2.0**-24 * total


@vector_jit
def _add_dense(acc, col, nrm32, w):
    """acc += w * tf / (tf + nrm32), doc by doc (tf = 0 adds 0)."""
    for j in range(acc.shape[0]):
        tf = np.float32(col[j])
        acc[j] += w * (tf / (tf + nrm32[j]))


@vector_jit
def _count_at_least(acc, cut):
    c = 0
    for j in range(acc.shape[0]):
        c += acc[j] >= cut
    return c


@jit
def nb_scan_f32(L, Q, k, k1p1, allowed, acc32, cand, cval):
    """Ascending doc ids whose approximate score can reach the exact top k; leaves acc32 zero.
    Needs every idf > 0 (a doc with a positive score is then a doc that matches)."""
    (st, en, idf_u, m, mx, _, drow), (imp_docs, imp_neg, _, _, dense, _, _) = Q, L
    T, n, masked, nrm32 = st.shape[0], acc32.shape[0], allowed.shape[0] > 0, L[6]
    nd = 0
    for i in range(T):
        nd += drow[i] >= 0
    rows, w = np.empty(nd, np.int64), np.empty(nd, np.float32)
    nd = 0
    for i in range(T):
        if drow[i] >= 0:
            rows[nd], w[nd], nd = drow[i], np.float32(m[i] * idf_u[i] * k1p1), nd + 1
            continue
        mi = np.float32(m[i])
        for p in range(st[i], en[i]):
            acc32[imp_docs[p]] -= imp_neg[p] * mi
    e2 = 2.0 * error_bound(m, mx)
    heap = np.empty(k)
    heap[:] = -np.inf
    nc, cut, tiny = 0, -np.inf, np.float32(1e-45)  # the least positive float32
    for lo in range(0, n, BLOCK):
        hi = min(lo + BLOCK, n)
        blk = acc32[lo:hi]
        for r in range(nd):
            _add_dense(blk, dense[rows[r], lo:hi], nrm32[lo:hi], w[r])
        if _count_at_least(blk, np.float32(max(cut, tiny))):
            for j in range(hi - lo):
                a = blk[j]
                if a > 0.0 and a >= cut and (not masked or allowed[lo + j]):
                    nb_heap_push(heap, a)
                    cand[nc], cval[nc], nc = lo + j, a, nc + 1
                    cut = heap[0] - e2
        blk[:] = 0.0
    kept = 0
    for j in range(nc):  # those within 2E of the final k-th largest
        if cval[j] >= cut:
            cand[kept], kept = cand[j], kept + 1
    return cand[:kept].copy()
