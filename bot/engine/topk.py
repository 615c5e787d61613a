"""The numpy query path of the postings index (the compiled one is kernels.py): exact top-k
with a threshold from the impact lists' heads, a per-term plan, and bounds (see postings.py)."""

from __future__ import annotations

from typing import Any

import numpy as np

from bot.engine.layout import Postings

SLACK = 1e-6  # relative, >> float32 rounding (6e-8) times terms; it only admits extra candidates


def select(ids: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The best k by score, ties by lower doc id."""
    if len(ids) > k:
        keep = scores >= -np.partition(-scores, k - 1)[k - 1]
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))[:k]
    return ids[order].astype(np.int64), scores[order].astype(np.float64)


def exact(p: Postings, occ: list[int], uniq: list[int], cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact scores of the sorted docs `cand` (binary search per term), and which match."""
    per, hit_any = {}, np.zeros(len(cand), dtype=bool)
    for t in uniq:
        s, e = p.offsets[t], p.offsets[t + 1]
        lst = p.doc_docs[s:e]
        pos = np.minimum(np.searchsorted(lst, cand), e - s - 1)
        hit = lst[pos] == cand
        hit_any |= hit
        per[t] = p.contrib(t, cand, np.where(hit, p.doc_tf[s:e][pos], 0))
    total = np.zeros(len(cand))
    for t in occ:
        total += per[t]
    return total, hit_any


class Scratch:
    """An index's work arrays, made on first use and reused (its queries are serialised)."""

    def __init__(self, n_docs: int) -> None:
        self._n = n_docs
        self._acc: np.ndarray | None = None
        self._compiled: tuple | None = None

    def accumulator(self) -> np.ndarray:
        """Complex: real = lower bound, imag = bounds of seen terms."""
        if self._acc is None:
            self._acc = np.zeros(self._n, dtype=np.complex128)
        return self._acc

    def compiled(self) -> tuple:
        """The compiled path's accumulator, seen-bits, touched docs, and the float32 filter's
        accumulator and values."""
        if self._compiled is None:
            n = self._n
            f32 = (np.zeros(n, np.float32), np.zeros(n, np.float32))
            self._compiled = (np.zeros(n), np.zeros(n, np.uint32), np.zeros(n, np.int32), *f32)
        return self._compiled


def top_k(
    p: Postings, occ: list[int], k: int, allowed: np.ndarray | None, scratch: Scratch, kernels: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """(doc ids, scores) of the best k docs for the query term ids `occ` (see postings.py), through
    the compiled `kernels` module if given, else numpy."""
    uniq = list(dict.fromkeys(occ))
    u = np.array(uniq)
    m = np.array([occ.count(t) for t in uniq], dtype=np.float64)
    df = p.offsets[u + 1] - p.offsets[u]
    if (p.idf[u] < 0).any():  # degenerate corpus: bounds assume contributions >= 0
        return exhaustive(p, occ, uniq, k, allowed)
    compiled = kernels is not None and len(u) < 31
    if compiled:
        pos = {t: i for i, t in enumerate(uniq)}
        order = np.array([pos[t] for t in occ])
        q = (p.offsets[u], p.offsets[u + 1], p.idf[u], m, p.max_imp[u], order, p.dense_row[u])
        lists = (p.imp_docs, p.imp_neg, p.doc_docs, p.doc_tf, p.dense_tf, p.norm, p.norm32)
    if allowed is not None and np.count_nonzero(allowed) * len(u) * 8 <= df.sum():
        cand = np.flatnonzero(allowed).astype(np.int32)  # few allowed docs: score them all
        if compiled:
            sc, hit = kernels.nb_exact(cand, lists, q, p.k1 + 1)
        else:
            sc, hit = exact(p, occ, uniq, cand)
        return select(cand[hit], sc[hit], k)
    if compiled:
        mask = np.zeros(0, bool) if allowed is None else allowed
        cand, sc = kernels.nb_top_k(lists, q, k, p.k1 + 1, mask, scratch.compiled())
        return select(cand, sc, k)
    # (1) threshold from the exactly scored heads of the impact lists
    depth = 2 * k + 16
    while True:
        heads = [p.imp_docs[s : s + min(depth, d)] for s, d in zip(p.offsets[u], df)]
        cand = np.unique(np.concatenate(heads))
        if allowed is not None:
            cand = cand[allowed[cand]]
        if depth >= df.max() or len(cand) >= k:
            break
        depth *= 16
    sc, _ = exact(p, occ, uniq, cand)
    if depth >= df.max():  # the heads were whole lists: every matching doc is scored
        return select(cand, sc, k)
    if len(cand) < k:
        return exhaustive(p, occ, uniq, k, allowed)
    theta = float(np.partition(sc, len(sc) - k)[len(sc) - k])
    if theta <= 0:
        return exhaustive(p, occ, uniq, k, allowed)
    # (2) plan, (3) accumulate bounds, (4) rescore survivors
    lam, count, bound = plan(p, u, m, df, theta)
    if bound * (1 + 1e-9) >= theta:
        return exhaustive(p, occ, uniq, k, allowed)
    acc, heads = scratch.accumulator(), []
    for i, s in enumerate(p.offsets[u]):
        if count[i]:
            d = p.imp_docs[s : s + count[i]]
            w = p.imp_neg[s : s + count[i]] * -m[i]
            acc[d] += w + 1j * (m[i] * lam[i]) if lam[i] > 0 else w
            heads.append(d)
    touched = np.concatenate(heads)
    vals = acc[touched]
    acc[touched] = 0
    lb, ub = vals.real, vals.real + (bound - vals.imag)
    slack = SLACK * float(m @ p.max_imp[u])
    keep = ub >= theta - slack
    if allowed is not None:
        keep &= allowed[touched]
    idx = np.flatnonzero(keep)
    cand, first = np.unique(touched[idx], return_index=True)
    lb, ub = lb[idx][first], ub[idx][first]
    if len(cand) > k:  # k distinct docs with lower bounds >= theta2 raise the threshold
        theta = max(theta, float(np.partition(lb, len(lb) - k)[len(lb) - k]) * (1 - SLACK))
        cand = cand[ub >= theta - slack]
    sc, _ = exact(p, occ, uniq, cand)
    return select(cand, sc, k)


def plan(p: Postings, u: np.ndarray, m: np.ndarray, df: np.ndarray, theta: float):
    """Choose per term skip / prefix impact >= lambda / full scan, keeping the bound of an
    unscanned doc below theta, with the fewest postings read. Tries every split 'skip the j
    terms of least m*max, fully scan the i shortest of the rest, cut the rest at a common
    fraction alpha of their max' — (T+1)^2 plans evaluated at once."""
    T = len(u)
    mx = p.max_imp[u]
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
        neg = p.imp_neg[p.offsets[t] : p.offsets[t + 1]]
        counts[..., i] = np.searchsorted(neg, -lam[..., i].astype(np.float32), side="right")
    cost = np.where(ok, (full * df).sum(-1) + (part * counts).sum(-1), np.inf)
    j, i = (int(x) for x in np.unravel_index(np.argmin(cost), cost.shape))
    lam_b, cnt = np.where(part[j, i], lam[j, i], 0.0), np.where(skip[j], 0, np.where(full[j, i], df, counts[j, i]))
    bound = float((skip[j] * mm).sum() + (part[j, i] * m * lam_b).sum())
    return lam_b, cnt, bound


def exhaustive(p: Postings, occ: list[int], uniq: list[int], k: int, allowed: np.ndarray | None):
    """Score every posting of the query terms (exact, query order) and select."""
    out, seen = np.zeros(p.n_docs), np.zeros(p.n_docs, dtype=bool)
    for t in occ:
        s, e = p.offsets[t], p.offsets[t + 1]
        d = p.doc_docs[s:e]
        out[d] += p.contrib(t, d, p.doc_tf[s:e])
        seen[d] = True
    if allowed is not None:
        seen &= allowed
    cand = np.flatnonzero(seen)
    return select(cand, out[cand], k)
