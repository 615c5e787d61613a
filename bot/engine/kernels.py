"""The compiled (numba) kernels of PostingsIndex's query path; see postings.py and topk.py.

Imported only when an index is large enough for them to pay: importing numba and loading the
compiled code costs a few tenths of a second, more than a small index's whole query.
"""

from __future__ import annotations

import numpy as np

from bot.engine.kernel_plan import jit, nb_order, nb_plan

PRUNED = 1 << 31  # seen-bits: bit i = query term i accounted for; bit 31 = pruned candidate
RA_COST = 24  # one galloping probe costs about as much as streaming this many postings

# Arguments travel as tuples: L = (imp_docs, imp_neg, doc_docs, doc_tf, dense_tf, norm) for
# the index, Q = (starts, ends, idf, multiplicity, max impact, query order, dense row) per
# distinct query term, S = (accumulator, seen-bits, touched docs) scratch of n_docs each.


@jit
def _nb_find(a, lo, hi, x):
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
def _nb_contrib(idf, tf, k1p1, nrm):
    return idf * (tf * k1p1 / (tf + nrm))  # rank-bm25's operations, in its order


@jit
def _nb_tf(doc_docs, doc_tf, dense, row, end, d, lo):
    """(tf of doc d in a term, or 0; cursor): its dense column, or galloping from lo."""
    if row >= 0:
        return np.int64(dense[row, d]), lo
    lo = _nb_find(doc_docs, lo, end, d)
    if lo < end and doc_docs[lo] == d:
        return np.int64(doc_tf[lo]), lo
    return np.int64(0), lo


@jit
def _nb_sort_ids(a):
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
def _nb_heap_push(heap, v):
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
def _nb_kth_largest(values, idx, k):
    """k-th largest of values[idx] (len(idx) >= k)."""
    heap = np.empty(k)
    heap[:] = -np.inf
    for d in idx:
        _nb_heap_push(heap, values[d])
    return heap[0]


@jit
def nb_exact(cand, L, Q, k1p1):
    """Exact scores of the ascending docs `cand`, summed in query order, and which match."""
    (st, en, idf_u, _, _, occ, drow), (_, _, doc_docs, doc_tf, dense, norm) = Q, L
    n, T = cand.shape[0], st.shape[0]
    per, hit, out = np.zeros((T, n)), np.zeros(n, np.bool_), np.zeros(n)
    for i in range(T):
        lo = st[i]
        for j in range(n):
            tf, lo = _nb_tf(doc_docs, doc_tf, dense, drow[i], en[i], cand[j], lo)
            if tf:
                per[i, j] = _nb_contrib(idf_u[i], float(tf), k1p1, norm[cand[j]])
                hit[j] = True
    for j in range(n):
        for q in occ:
            out[j] += per[q, j]
    return out, hit


@jit
def _nb_exhaustive(L, Q, k, k1p1, allowed, S):
    """Every posting, exact, accumulated in query order; returns a superset of the top k."""
    (st, en, idf_u, _, _, occ, _), (_, _, doc_docs, doc_tf, _, norm), (acc, seen, touched) = Q, L, S
    nt, masked = 0, allowed.shape[0] > 0
    for q in occ:
        for p in range(st[q], en[q]):
            d = doc_docs[p]
            if masked and not allowed[d]:
                continue
            if seen[d] == 0:
                seen[d], touched[nt], nt = 1, d, nt + 1
            acc[d] += _nb_contrib(idf_u[q], float(doc_tf[p]), k1p1, norm[d])
    cand, sc = touched[:nt].copy(), np.empty(nt)
    for j in range(nt):
        sc[j], acc[cand[j]], seen[cand[j]] = acc[cand[j]], 0.0, 0
    kth, nk = _nb_kth_largest(sc, np.arange(nt), k) if nt > k else -np.inf, 0
    for j in range(nt):  # keep those that can be in the top k
        if sc[j] >= kth:
            cand[nk], sc[nk], nk = cand[j], sc[j], nk + 1
    return cand[:nk], sc[:nk]


@jit
def nb_top_k(L, Q, k, k1p1, allowed, S):
    """The whole query (see module docstring); returns a superset of the top k, exact scores."""
    (st, en, idf_u, m, mx, _, drow), (imp_docs, imp_neg, doc_docs, doc_tf, dense, norm) = Q, L
    acc, seen, touched = S
    T, masked, df = st.shape[0], allowed.shape[0] > 0, en - st
    depth, maxdf = 2 * k + 16, 0
    for i in range(T):
        maxdf = max(maxdf, df[i])
    while True:  # (1) heads
        nt = 0
        for i in range(T):
            for p in range(st[i], st[i] + min(depth, df[i])):
                d = imp_docs[p]
                if seen[d] == 0 and (not masked or allowed[d]):
                    seen[d], touched[nt], nt = 1, d, nt + 1
        for j in range(nt):
            seen[touched[j]] = 0
        if depth >= maxdf or nt >= k:
            break
        depth *= 16
    cand = _nb_sort_ids(touched[:nt])
    sc, _ = nb_exact(cand, L, Q, k1p1)
    if depth >= maxdf:
        return cand, sc
    theta = _nb_kth_largest(sc, np.arange(nt), k) if nt >= k else 0.0
    cnt, bnd = nb_plan(st, df, m, mx, imp_neg, theta / (1 + 1e-8))  # (2)
    bound, slack = 0.0, 0.0
    for i in range(T):
        bound, slack = bound + bnd[i], slack + 1e-6 * m[i] * mx[i]
    if theta <= 0 or bound * (1 + 1e-9) >= theta:
        return _nb_exhaustive(L, Q, k, k1p1, allowed, S)
    nt = 0
    for i in range(T):  # (3) scan the planned impact prefixes
        for p in range(st[i], st[i] + cnt[i]):
            d = imp_docs[p]
            if masked and not allowed[d]:
                continue
            if seen[d] == 0:
                touched[nt], nt = d, nt + 1
            acc[d] += m[i] * -imp_neg[p]
            seen[d] |= 1 << i
    unres = bnd > 0
    cand, nc = _nb_sort_ids(touched[:nt]), nt  # doc order: later passes run sequentially
    # (4a) one pass resolves the dense-column (very common) terms per candidate, largest bound
    # first, dropping it once its upper bound is below theta; a top-k heap of lower bounds
    # raises theta on the way.
    by_bound, heap, j2 = nb_order(-bnd), np.empty(k), 0
    heap[:] = -np.inf
    for j in range(nc):
        d = cand[j]
        s_, lb = np.int64(seen[d]), acc[d]
        ub = lb
        for t in range(T):
            if unres[t] and not (s_ >> t) & 1:
                ub += bnd[t]
        for t in by_bound:
            if ub < theta - slack:
                break
            if drow[t] >= 0 and unres[t] and not (s_ >> t) & 1:
                ub -= bnd[t]
                tf = dense[drow[t], d]
                if tf:
                    c = m[t] * _nb_contrib(idf_u[t], float(tf), k1p1, norm[d])
                    lb, ub, s_ = lb + c, ub + c, s_ | (1 << t)
        if ub >= theta - slack:
            cand[j2], j2, acc[d], seen[d] = d, j2 + 1, lb, s_
            _nb_heap_push(heap, lb)
            theta = max(theta, heap[0] * (1 - 1e-6))
        else:
            seen[d] = s_ | PRUNED
    nc = j2
    unres &= drow < 0
    while True:  # (4b) the other terms: prune, raise theta, resolve the best remaining bound
        j2 = 0
        for j in range(nc):
            d = cand[j]
            ub = acc[d]
            for i in range(T):
                if unres[i] and not (seen[d] >> i) & 1:
                    ub += bnd[i]
            if ub >= theta - slack:
                cand[j2], j2 = d, j2 + 1
            else:
                seen[d] |= PRUNED
        nc = j2
        if nc > k:
            theta = max(theta, _nb_kth_largest(acc, cand[:nc], k) * (1 - 1e-6))
        i, best = -1, 0.0  # next: the largest bound per unit of resolving cost
        for t in range(T):
            cost = nc + 1 if drow[t] >= 0 else min(df[t], RA_COST * nc + 1)
            if unres[t] and bnd[t] / cost > best:
                i, best = t, bnd[t] / cost
        if i < 0 or nc == 0:
            break
        unres[i] = False
        if drow[i] < 0 and df[i] <= RA_COST * nc:  # stream the doc-ordered list
            for p in range(st[i], en[i]):
                d = doc_docs[p]
                s_ = seen[d]
                if s_ != 0 and not s_ & PRUNED and not (s_ >> i) & 1:
                    acc[d] += m[i] * _nb_contrib(idf_u[i], float(doc_tf[p]), k1p1, norm[d])
                    seen[d] = s_ | (1 << i)
            continue
        lo = st[i]  # else a dense column, or galloping through the list
        for j in range(nc):
            d = cand[j]
            if not (seen[d] >> i) & 1:
                tf, lo = _nb_tf(doc_docs, doc_tf, dense, drow[i], en[i], d, lo)
                if tf:
                    acc[d] += m[i] * _nb_contrib(idf_u[i], float(tf), k1p1, norm[d])
                    seen[d] |= 1 << i
    for j in range(nt):
        acc[touched[j]], seen[touched[j]] = 0.0, 0
    sc, _ = nb_exact(cand[:nc], L, Q, k1p1)
    return cand[:nc], sc
