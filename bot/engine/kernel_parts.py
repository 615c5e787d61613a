"""The compiled kernels' parts: galloping search, exact contributions, sorting, a top-k heap,
and the query plan (the numba twin of topk.plan); and the JIT settings of all kernels."""

from __future__ import annotations

import numba
import numpy as np

# Compiled once per machine and cached in __pycache__ (~7 s), then ~0.2 s for a process's first query.
jit = numba.njit(cache=True, nogil=True)


@jit
def nb_find(a, lo, hi, x):
    """First index i in [lo, hi) with a[i] >= x (a ascending), galloping forward from lo."""
    if lo >= hi or a[lo] >= x:
        return lo
    step = 1
    while lo + step < hi and a[lo + step] < x:
        lo += step
        step *= 2
    lo, hi = lo + 1, min(lo + step, hi)
    while lo < hi:
        mid = (lo + hi) >> 1
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@jit
def nb_contrib(idf, tf, k1p1, nrm):
    """A contribution with rank-bm25's operations, in its order (always dividing: a branch for
    tf = 1 costs more in mispredictions than the pipelined division)."""
    return idf * (tf * k1p1 / (tf + nrm))


@jit
def nb_tf(doc_docs, doc_tf, dense, row, end, d, lo):
    """(tf of doc d in a term, or 0; cursor): its dense column, or galloping from lo."""
    if row >= 0:
        return np.int64(dense[row, d]), lo
    lo = nb_find(doc_docs, lo, end, d)
    if lo < end and doc_docs[lo] == d:
        return np.int64(doc_tf[lo]), lo
    return np.int64(0), lo


@jit
def nb_sort_ids(a):
    """Ascending copy of int32 ids: LSD radix sort (numba's np.sort is ~10x numpy's)."""
    src, dst, shift, top = a.copy(), np.empty_like(a), 0, 0
    for x in a:
        top = max(top, x)
    while top >> shift:
        count = np.zeros(2049, np.int64)
        for x in src:
            count[((x >> shift) & 2047) + 1] += 1
        for b in range(2048):
            count[b + 1] += count[b]
        for x in src:
            b = (x >> shift) & 2047
            dst[count[b]] = x
            count[b] += 1
        src, dst, shift = dst, src, shift + 11
    return src


@jit
def nb_heap_push(heap, v):
    """Keep the k largest values seen in the min-heap `heap` (heap[0] = the k-th largest)."""
    if v > heap[0]:
        j, k = 0, heap.shape[0]
        while 2 * j + 1 < k:  # sift v down from the root
            c = 2 * j + 1
            if c + 1 < k and heap[c + 1] < heap[c]:
                c += 1
            if heap[c] >= v:
                break
            heap[j], j = heap[c], c
        heap[j] = v


@jit
def nb_kth_largest(values, idx, k):
    """k-th largest of values[idx] (len(idx) >= k)."""
    heap = np.empty(k)
    heap[:] = -np.inf
    for d in idx:
        nb_heap_push(heap, values[d])
    return heap[0]


@jit
def nb_order(keys):
    """Indices sorting the (few) keys ascending, stably: insertion sort, cheap to compile."""
    order = np.arange(keys.shape[0])
    for a in range(1, keys.shape[0]):
        j, x = a, order[a]
        while j > 0 and keys[order[j - 1]] > keys[x]:
            order[j], j = order[j - 1], j - 1
        order[j] = x
    return order


@jit
def nb_plan(st, df, m, mx, imp_neg, target):
    """Numba twin of topk.plan: per term (postings to scan, bound if unscanned)."""
    T, mm = st.shape[0], m * mx
    om, od = nb_order(mm), nb_order(df)
    best, cnt_best, bnd_best = -1, np.zeros(T, np.int64), np.zeros(T)
    skip, b_skip = np.zeros(T, np.bool_), 0.0
    cnt, bnd, rest = np.zeros(T, np.int64), np.zeros(T), np.zeros(T, np.int64)
    for j in range(T + 1):
        if j > 0:
            skip[om[j - 1]] = True
            b_skip += mm[om[j - 1]]
        if b_skip >= target:
            break
        nr = 0
        for t in od:
            if not skip[t]:
                rest[nr], nr = t, nr + 1
        for i in range(nr + 1):  # full scans of the i shortest, a common cut for the others
            s_part = 0.0
            for r in range(i, nr):
                s_part += mm[rest[r]]
            alpha = min((target - b_skip) / s_part, 1.0) if s_part > 0 else 1.0
            for t in range(T):
                cnt[t], bnd[t] = 0, mm[t] if skip[t] else 0.0
            cost = 0
            for r in range(nr):
                t = rest[r]
                if r < i:
                    cnt[t], cost = df[t], cost + df[t]
                    continue
                lam = alpha * mx[t]
                x, lo, hi = -np.float32(lam), st[t], st[t] + df[t]
                while lo < hi:  # postings with float32 impact >= float32(lam)
                    mid = (lo + hi) >> 1
                    if imp_neg[mid] <= x:
                        lo = mid + 1
                    else:
                        hi = mid
                cnt[t], bnd[t], cost = lo - st[t], m[t] * lam, cost + lo - st[t]
            if best < 0 or cost < best:  # (loops, not numpy calls: they compile much faster)
                best = cost
                for t in range(T):
                    cnt_best[t], bnd_best[t] = cnt[t], bnd[t]
    return cnt_best, bnd_best
