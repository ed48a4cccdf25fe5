"""Confidence intervals by inverting the WCR test: where the p value crosses alpha on each side
of the estimate, for many coefficients at once."""

from __future__ import annotations

import numpy as np
from scipy import special

from saucegrid.estimation.bootstrap.core import Test
from saucegrid.estimation.bootstrap.tstats import DRAW_FIELDS, FAR, abs_t, abs_tstar, extreme_bar


def _settle(D, r, lo, hi, beta, se, corr, fixed, open_, margin: float = 1e-9) -> np.ndarray:
    """Which draws can still change status inside their row's bracket [lo, hi]. D holds, per
    draw, n0 n1 q00 q01 q11 |t*(lo)| |t*(hi)| zero turn |t*(turn)| (the last filled here when
    needed); r is each draw's row (any shape broadcasting against D[0]). Draws extreme (not)
    throughout are counted into `fixed` (dropped); the mask of the others is returned."""
    left, right = np.minimum(lo, hi)[r], np.maximum(lo, hi)[r]
    zin = (D[7] >= left) & (D[7] <= right)
    tin = (D[8] >= left) & (D[8] <= right)
    need = tin & np.isnan(D[9])
    if need.any():
        rr = np.broadcast_to(r, need.shape)[need]
        D[9][need] = abs_tstar(*(x[need] for x in D[:5]), corr[rr], D[8][need])
    mn = np.where(zin, 0.0, np.minimum(np.minimum(D[5], D[6]), np.where(tin, D[9], np.inf)))
    mx = np.maximum(np.maximum(D[5], D[6]), np.where(tin, D[9], 0.0))
    t_near = abs_t(beta, se, lo)[r]
    t_far = abs_t(beta, se, hi)[r]
    always = mn >= extreme_bar(t_far) + margin * (1 + t_far)
    never = mx < extreme_bar(t_near) - margin * (1 + t_near)
    rows = np.broadcast_to(r, always.shape)
    fixed += np.bincount(rows[always], minlength=len(fixed))
    return ~(always | never) & open_[r]


def ci_many(tests: list[Test], alpha: float = 0.05, tol: float = 1e-6,
            chunk: int = 4) -> list[tuple[float, float]]:
    """:func:`_ci_block` over blocks of `chunk` tests, so each block's draws stay in cache
    (the ends of a test never depend on the other tests)."""
    return [end for i in range(0, len(tests), chunk)
            for end in _ci_block(tests[i:i + chunk], alpha, tol)]


def _ci_block(tests: list[Test], alpha: float = 0.05, tol: float = 1e-6,
              max_widenings: int = 12, settle_above: int = 2048) -> list[tuple[float, float]]:
    """Test-inversion intervals of many tests at once: each end is the b0 where the WCR p value
    falls below alpha, bracketed around a per-draw Newton prediction made at the CR1 t(G-1)
    end (widened x4 while not rejected) and bisected until the bracket [lo, hi] is narrower
    than tol * se, always with p(lo) >= alpha > p(hi) exactly. An end not rejected even FAR
    (1e5) standard errors away is +-inf; a test with non-finite draws gets NaN.

    Bisection evaluates only the draws whose status can still change inside the bracket. A
    draw's t*(b0) = (n0 - b0 n1) / sqrt(corr q(b0)) has one turning point (its derivative's
    numerator is linear in b0: b0_c = (n1 q00 - n0 q01) / (n1 q01 - n0 q11)) and one zero
    (n0 / n1), so min and max |t*| over a bracket come from its ends, b0_c and the zero. A draw
    whose |t*| range lies wholly above (below) the bracket's range of |t| is extreme (not)
    throughout and is counted once; the p value at each midpoint stays exact."""
    if not tests:
        return []
    m = len(tests)
    R = 2 * m  # rows 0..m-1: lower ends, m..2m-1: upper ends; row r is test r % m
    F = {f: np.stack([getattr(t, f) for t in tests]) for f in DRAW_FIELDS}
    corr = np.tile([t.corr for t in tests], 2)
    beta = np.tile([float(t.beta) for t in tests], 2)
    se = np.maximum(np.tile([float(t.se) for t in tests], 2), 1e-300)
    B = F["n0"].shape[1]
    sign = np.repeat([-1.0, 1.0], m)
    # scipy.stats.t.ppf(1 - alpha / 2, df) is special.stdtrit(df, 1 - alpha / 2)
    crit = special.stdtrit(np.tile([max(t.G, 2) for t in tests], 2) - 1, 1 - alpha / 2)
    bad = np.tile(~np.all(np.isfinite(np.stack(list(F.values()))), axis=(0, 2)), 2)
    bad |= ~(np.isfinite(beta) & np.isfinite(se) & (se > 1e-300))

    F2 = {f: np.concatenate([v, v]) for f, v in F.items()}

    def tstar(b0, rows):
        """|t*| of every draw of the given rows at their nulls b0 (one per row)."""
        if len(rows) == R:  # all rows: no gather
            return abs_tstar(*F2.values(), corr[:, None], b0[:, None])
        return abs_tstar(*(F2[f][rows] for f in DRAW_FIELDS), corr[rows][:, None],
                          b0[rows][:, None])

    def p(b0, rows, ts=None):
        ts = tstar(b0, rows) if ts is None else ts
        return np.mean(ts >= extreme_bar(abs_t(beta[rows], se[rows], b0[rows]))[:, None], axis=1)

    rows = np.flatnonzero(~bad)
    # bracket: lo is never rejected (p >= alpha), hi is; t_lo / t_hi hold |t*| there
    lo, hi = beta.copy(), np.full(R, np.nan)
    t_lo, t_hi = np.full((R, B), np.nan), np.full((R, B), np.nan)
    k = max(int(np.ceil(alpha * B)), 1)

    def probe(x, rr):
        """Evaluate the rows rr at x; move lo or hi of each to x where x tightens it."""
        if not len(rr):
            return
        ts = tstar(x, rr)
        acc = p(x, rr, ts) >= alpha
        d = np.abs(x[rr] - beta[rr])
        up_lo = acc & (d > np.abs(lo[rr] - beta[rr]))
        up_hi = ~acc & ~(d >= np.abs(hi[rr] - beta[rr]))  # NaN hi: not yet found
        lo[rr[up_lo]], t_lo[rr[up_lo]] = x[rr[up_lo]], ts[up_lo]
        hi[rr[up_hi]], t_hi[rr[up_hi]] = x[rr[up_hi]], ts[up_hi]
        return ts

    # 1. the CR1 t(G-1) end x1. 2. One Newton step per draw on |t*_b(x)| - |t(x)| from x1
    # predicts where each draw stops being extreme; the k-th farthest prediction (k = alpha B)
    # predicts the end, exactly so when every draw crosses once. 3. Probe it +-0.1%, +-3%.
    x1 = beta + sign * crit * se
    ts = probe(x1, rows)
    if len(rows):
        r = rows
        n0, n1, q00, q01, q11 = (F2[f][r] if len(r) < R else F2[f] for f in DRAW_FIELDS)
        x = x1[r][:, None]
        num = n0 - x * n1
        qx = np.maximum(q00 - 2 * x * q01 + x * x * q11, 1e-300)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            dts = (-n1 * qx - num * (x * q11 - q01)) / (np.sqrt(corr[r][:, None]) * qx ** 1.5)
            slope = np.sign(num) * dts * sign[r][:, None] - 1 / se[r][:, None]  # d/ds, s = |x-b|
            h = ts - np.abs(x1[r] - beta[r])[:, None] / se[r][:, None]
            step = np.where(slope < 0, -h / slope, np.where(h >= 0, np.inf, 0.0))
        reach = np.abs(x1[r] - beta[r])[:, None] + np.nan_to_num(step, nan=0.0, posinf=1e300)
        pred = np.partition(np.maximum(reach, 0.0), B - k, axis=1)[:, B - k]
        # no usable prediction (e.g. a flat p value): probe 2x the CR1 end, then widen
        pred = np.where(np.isfinite(pred) & (pred > 0) & (pred < FAR * se[r]), pred,
                        2 * crit[r] * se[r])
        for f in (0.999, 1.001, 0.97, 1.03):
            x = beta.copy()
            x[r] = beta[r] + sign[r] * pred * f
            todo = r[np.isnan(hi[r]) | (np.abs(hi[r] - beta[r]) > pred * f)] if f > 1 else \
                r[np.abs(lo[r] - beta[r]) < pred * f]
            if f in (0.97, 1.03):  # only where the close probes missed
                todo = todo[(np.abs(hi[todo] - lo[todo]) > 0.0021 * pred[np.searchsorted(r, todo)])
                            | np.isnan(hi[todo])]
            probe(x, todo)
    # 4. ends still not rejected: unbounded, or widen (x4) until rejected
    live = rows[np.isnan(hi[rows])]
    if len(live):
        far = beta + sign * FAR * se
        unbounded = live[p(far, live) >= alpha]
        hi[unbounded] = sign[unbounded] * np.inf
        live = np.setdiff1d(live, unbounded)
    for _ in range(max_widenings):
        if not len(live):
            break
        probe(beta + 4 * (lo - beta), live)
        live = live[np.isnan(hi[live])]
    hi[live] = sign[live] * np.inf
    # |t*| at an lo still at beta
    at_beta = rows[(lo[rows] == beta[rows]) & np.isfinite(hi[rows])]
    if len(at_beta):
        t_lo[at_beta] = tstar(lo, at_beta)
    open_ = ~bad & np.isfinite(hi) & (np.abs(hi - lo) > tol * se)
    fixed = np.zeros(R)
    # draw data of the rows still open: n0 n1 q00 q01 q11 |t*(lo)| |t*(hi)| zero turn |t*(turn)|
    ro = np.flatnonzero(open_)
    whole = len(ro) == R
    D2 = np.stack([F2[f] if whole else F2[f][ro] for f in DRAW_FIELDS]
                  + [t_lo if whole else t_lo[ro], t_hi if whole else t_hi[ro]])
    with np.errstate(divide="ignore", invalid="ignore"):
        zero = D2[0] / D2[1]
        turn = (D2[1] * D2[2] - D2[0] * D2[3]) / (D2[1] * D2[3] - D2[0] * D2[4])
    D2 = np.concatenate([D2, zero[None], turn[None], np.full((1, *zero.shape), np.nan)])
    # the first settling on the 2-D arrays (most draws go here), then one flat array of the rest
    keep = _settle(D2, ro[:, None], lo, hi, beta, se, corr, fixed, open_)
    r_loc, b_idx = np.nonzero(keep)
    D, r_idx = D2[:, r_loc, b_idx], ro[r_loc]
    del D2
    for _ in range(200):
        if not open_.any():
            break
        mid = (lo + hi) / 2
        ts = abs_tstar(*D[:5], corr[r_idx], mid[r_idx])
        ext = ts >= extreme_bar(abs_t(beta, se, mid))[r_idx]
        rej = (fixed + np.bincount(r_idx, weights=ext, minlength=R)) / B < alpha
        rd = rej[r_idx]
        D[6] = np.where(rd, ts, D[6])
        D[5] = np.where(rd, D[5], ts)
        hi = np.where(open_ & rej, mid, hi)
        lo = np.where(open_ & ~rej, mid, lo)
        open_ &= np.abs(hi - lo) > tol * se
        if D.shape[1] > settle_above:  # settling pays only while many draws are active
            keep = _settle(D, r_idx, lo, hi, beta, se, corr, fixed, open_)
            D, r_idx = D[:, keep], r_idx[keep]
    end = np.where(np.isfinite(hi), (lo + hi) / 2, hi)
    end[bad] = np.nan
    return [(float(end[i]), float(end[m + i])) for i in range(m)]
