"""The compiled (numba) kernels of PostingsIndex's query path; see postings.py and topk.py;
its parts are in kernel_parts.py, the float32 filter in kernel_scan.py.

Imported only when an index is large enough for them to pay: importing numba and loading the
compiled code costs a few tenths of a second, more than a small index's whole query.
"""

from __future__ import annotations

import numpy as np

from bot.engine.kernel_parts import (
    jit,
    nb_contrib,
    nb_heap_push,
    nb_kth_largest,
    nb_order,
    nb_plan,
    nb_sort_ids,
    nb_tf,
)
from bot.engine.kernel_scan import nb_scan_f32

PRUNED = 1 << 31  # seen-bits: bit i = query term i accounted for; bit 31 = pruned candidate
FILTER_DOCS_PER_POSTING = 15  # the float32 filter: a pass over docs costs 1/15 posting a doc
# A planned posting (impact order: random access to the accumulator and seen-bits, then the
# candidates' resolving) costs this many filtered ones once those arrays (12 bytes a doc)
# outgrow a 4 MB L2 cache and nearly every access misses (measured on the bench's questions at
# 1M docs); while they fit, the plan is followed (0: the filter then only answers when the bounds
# cannot prune or resolving outgrows its budget; choosing it earlier cost p50 at 100k docs).
PLAN_WEIGHT, PLAN_WEIGHT_CACHED, CACHE_BYTES = 24, 0, 4 << 20
RA_COST = 24  # one galloping probe costs about as much as streaming this many postings

# Arguments travel as tuples: L = (imp_docs, imp_neg, doc_docs, doc_tf, dense_tf, norm, float32
# norm) for the index, Q = (starts, ends, idf, multiplicity, max impact, query order, dense row)
# per distinct query term, S = (accumulator, seen-bits, touched docs, float32 accumulator, float32
# values) scratch of n_docs each.


@jit
def nb_exact(cand, L, Q, k1p1):
    """Exact scores of the ascending docs `cand`, summed in query order, and which match."""
    (st, en, idf_u, _, _, occ, drow), (_, _, doc_docs, doc_tf, dense, norm, _) = Q, L
    n, T = cand.shape[0], st.shape[0]
    per, hit, out = np.zeros((T, n)), np.zeros(n, np.bool_), np.zeros(n)
    for i in range(T):
        lo = st[i]
        for j in range(n):
            tf, lo = nb_tf(doc_docs, doc_tf, dense, drow[i], en[i], cand[j], lo)
            if tf:
                per[i, j] = nb_contrib(idf_u[i], float(tf), k1p1, norm[cand[j]])
                hit[j] = True
    for j in range(n):
        for q in occ:
            out[j] += per[q, j]
    return out, hit


@jit
def _nb_exhaustive(L, Q, k, k1p1, allowed, S):
    """Every posting, exact, accumulated in query order; returns a superset of the top k."""
    (st, en, idf_u, _, _, occ, _), (_, _, doc_docs, doc_tf, _, norm, _), (acc, seen, touched, _, _) = Q, L, S
    nt, masked = 0, allowed.shape[0] > 0
    for q in occ:
        for p in range(st[q], en[q]):
            d = doc_docs[p]
            if masked and not allowed[d]:
                continue
            if seen[d] == 0:
                seen[d], touched[nt], nt = 1, d, nt + 1
            acc[d] += nb_contrib(idf_u[q], float(doc_tf[p]), k1p1, norm[d])
    cand, sc = touched[:nt].copy(), np.empty(nt)
    for j in range(nt):
        sc[j], acc[cand[j]], seen[cand[j]] = acc[cand[j]], 0.0, 0
    kth, nk = nb_kth_largest(sc, np.arange(nt), k) if nt > k else -np.inf, 0
    for j in range(nt):  # keep those that can be in the top k
        if sc[j] >= kth:
            cand[nk], sc[nk], nk = cand[j], sc[j], nk + 1
    return cand[:nk], sc[:nk]


@jit
def _nb_filtered(L, Q, k, k1p1, allowed, S):
    """Every matching doc through the float32 filter (kernel_scan.py), its candidates rescored
    exactly; for queries whose bounds cannot prune. Every idf must be > 0."""
    cand = nb_scan_f32(L, Q, k, k1p1, allowed, S[3], S[2], S[4])
    sc, hit = nb_exact(cand, L, Q, k1p1)
    return cand[hit], sc[hit]


@jit
def _nb_filter_instead(nt, L, Q, k, k1p1, allowed, S):
    """Clear the pruned path's nt touched docs, then answer through the float32 filter."""
    acc, seen, touched = S[0], S[1], S[2]
    for j in range(nt):
        acc[touched[j]], seen[touched[j]] = 0.0, 0
    return _nb_filtered(L, Q, k, k1p1, allowed, S)


@jit
def nb_top_k(L, Q, k, k1p1, allowed, S):
    """The whole query (see module docstring); returns a superset of the top k, exact scores."""
    (st, en, idf_u, m, mx, _, drow), (imp_docs, imp_neg, doc_docs, doc_tf, dense, norm, _) = Q, L
    acc, seen, touched = S[0], S[1], S[2]
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
    cand = nb_sort_ids(touched[:nt])
    sc, _ = nb_exact(cand, L, Q, k1p1)
    if depth >= maxdf:
        return cand, sc
    theta = nb_kth_largest(sc, np.arange(nt), k) if nt >= k else 0.0
    cnt, bnd = nb_plan(st, df, m, mx, imp_neg, theta / (1 + 1e-8))  # (2)
    bound, slack = 0.0, 0.0
    for i in range(T):
        bound, slack = bound + bnd[i], slack + 1e-6 * m[i] * mx[i]
    planned = 0
    for i in range(T):
        planned += cnt[i]
    if theta <= 0:
        return _nb_exhaustive(L, Q, k, k1p1, allowed, S)
    exact_only = False  # an idf <= 0 lets a doc match with a zero score: keep count of matches
    for i in range(T):
        exact_only |= idf_u[i] <= 0
    if bound * (1 + 1e-9) >= theta:
        if exact_only:
            return _nb_exhaustive(L, Q, k, k1p1, allowed, S)
        return _nb_filtered(L, Q, k, k1p1, allowed, S)
    sparse, nd = 0, 0
    for i in range(T):
        if drow[i] >= 0:
            nd += 1
        else:
            sparse += df[i]
    # what the float32 filter costs, in postings read (its passes over docs included)
    scan_all = sparse + acc.shape[0] * (nd + 1) // FILTER_DOCS_PER_POSTING
    weight = PLAN_WEIGHT_CACHED if 12 * acc.shape[0] <= CACHE_BYTES else PLAN_WEIGHT
    if not exact_only and weight * planned >= scan_all:
        return _nb_filtered(L, Q, k, k1p1, allowed, S)
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
    # resolving work counted as it goes, in postings read: past twice the filter's cost (its
    # candidates and lists are far more than the plan foresaw), the filter answers instead
    spent, budget = 0, (2 * scan_all if not exact_only else 1 << 62)
    cand, nc = nb_sort_ids(touched[:nt]), nt  # doc order: later passes run sequentially
    # (4a) one pass resolves the dense-column (very common) terms per candidate, largest bound
    # first, dropping it once its upper bound is below theta; a top-k heap of lower bounds
    # raises theta on the way.
    by_bound, heap, j2 = nb_order(-bnd), np.empty(k), 0
    heap[:] = -np.inf
    for j in range(nc):
        d, spent = cand[j], spent + T
        if spent > budget:  # resolving costs far more than foreseen: filter all instead
            return _nb_filter_instead(nt, L, Q, k, k1p1, allowed, S)
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
                    c = m[t] * nb_contrib(idf_u[t], float(tf), k1p1, norm[d])
                    lb, ub, s_ = lb + c, ub + c, s_ | (1 << t)
        if ub >= theta - slack:
            cand[j2], j2, acc[d], seen[d] = d, j2 + 1, lb, s_
            nb_heap_push(heap, lb)
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
            theta = max(theta, nb_kth_largest(acc, cand[:nc], k) * (1 - 1e-6))
        i, best = -1, 0.0  # next: the largest bound per unit of resolving cost
        for t in range(T):
            cost = nc + 1 if drow[t] >= 0 else min(df[t], RA_COST * nc + 1)
            if unres[t] and bnd[t] / cost > best:
                i, best = t, bnd[t] / cost
        if i < 0 or nc == 0:
            break
        spent += nc * T + (df[i] if drow[i] < 0 and df[i] <= RA_COST * nc else RA_COST * nc)
        if spent > budget:
            return _nb_filter_instead(nt, L, Q, k, k1p1, allowed, S)
        unres[i] = False
        if drow[i] < 0 and df[i] <= RA_COST * nc:  # stream the doc-ordered list
            for p in range(st[i], en[i]):
                d = doc_docs[p]
                s_ = seen[d]
                if s_ != 0 and not s_ & PRUNED and not (s_ >> i) & 1:
                    acc[d] += m[i] * nb_contrib(idf_u[i], float(doc_tf[p]), k1p1, norm[d])
                    seen[d] = s_ | (1 << i)
            continue
        lo = st[i]  # else a dense column, or galloping through the list
        for j in range(nc):
            d = cand[j]
            if not (seen[d] >> i) & 1:
                tf, lo = nb_tf(doc_docs, doc_tf, dense, drow[i], en[i], d, lo)
                if tf:
                    acc[d] += m[i] * nb_contrib(idf_u[i], float(tf), k1p1, norm[d])
                    seen[d] |= 1 << i
    for j in range(nt):
        acc[touched[j]], seen[touched[j]] = 0.0, 0
    sc, _ = nb_exact(cand[:nc], L, Q, k1p1)
    return cand[:nc], sc
