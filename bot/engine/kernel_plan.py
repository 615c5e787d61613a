"""The compiled query plan (the numba twin of topk.plan), and the JIT settings of all kernels."""

from __future__ import annotations

import numba
import numpy as np

# Compiled once per machine and cached in __pycache__ (~7 s), then ~0.2 s for a process's first query.
jit = numba.njit(cache=True, nogil=True)


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
