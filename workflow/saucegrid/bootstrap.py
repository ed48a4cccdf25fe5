"""Wild cluster restricted (WCR) bootstrap for OLS with CR1 cluster-robust t statistics.

For coefficient k and a null value b0, the bootstrap data are y* = X b~ + u~ * v_g, where b~ is
OLS with beta_k = b0 imposed, u~ its residuals, and v_g one weight per cluster and draw
(Rademacher, or Webb's six-point distribution for few clusters). The bootstrap t statistic is
(b*_k - b0) / se*_k with the same CR1 variance as the original fit, and the p value is the share
of draws with |t*| >= |t| (symmetric). Confidence intervals invert that test: the set of b0 the
bootstrap does not reject at level alpha (Roodman, MacKinnon, Nielsen and Webb, 2019).

Every draw is computed at once, in the spirit of Roodman et al.'s fast algorithm. With
A = (X'X)^-1, a = A e_k, H_g = X_g'X_g and u the unrestricted residuals:

* By Frisch-Waugh-Lovell the restricted residuals are u~ = u + (beta_k - b0) x~, with
  x~ = X a / A_kk, so their cluster scores are S~_g = s_g + (beta_k - b0) H_g a / A_kk: no
  restricted refit, and s_g = X_g'u_g is shared by every coefficient.
* For a draw v: b*_k - b0 = sum_g v_g c_g with c_g = S~_g' a, and the cluster score of the
  bootstrap residuals projected on a is Q_g = v_g c_g - w_g' S~' v, with w_g = A H_g a.

Numerator and squared score norm of every draw are therefore a line and a quadratic in b0
(``Test``), so a confidence interval costs O(B) per trial b0 and never touches the data.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass

import numpy as np
from scipy import stats

WEBB = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
RADEMACHER = np.array([-1.0, 1.0])
SUPPORT = {"rademacher": RADEMACHER, "webb": WEBB}
# |t*| >= |t| (1 - TIE) counts as "at least as extreme": a tie up to rounding, e.g. the all-ones
# draw, which rebuilds the data and so has t* = t exactly
TIE = 1e-9
FAR = 1e5  # an interval end not rejected this many standard errors away is reported as +-inf


def _bar(t):
    """The |t*| a draw needs to count as at least as extreme as |t|."""
    return t * (1 - TIE) - TIE


def weights(G: int, B: int, kind: str, rng: np.random.Generator) -> np.ndarray:
    """G x B matrix of cluster weights: 'rademacher' or 'webb'."""
    if kind not in SUPPORT:
        raise ValueError(f"unknown weight distribution {kind!r}; use rademacher or webb")
    return rng.choice(SUPPORT[kind], size=(G, B))


def enumerate_all(G: int, kind: str) -> np.ndarray:
    """Every weight vector of the distribution, as a G x (support^G) matrix."""
    pts = SUPPORT[kind]
    return np.array(list(itertools.product(pts, repeat=G))).T.reshape(G, -1)


def all_rademacher(G: int) -> np.ndarray:
    """Every one of the 2^G Rademacher sign vectors, as a G x 2^G matrix."""
    return enumerate_all(G, "rademacher")


def choose_weights(G: int, webb_max_clusters: int = 12) -> str:
    return "webb" if G <= webb_max_clusters else "rademacher"


def draws(G: int, B: int, kind: str, seed: int) -> tuple[np.ndarray, bool]:
    """The weights for a cell with G clusters: all support^G vectors when there are at most B
    of them (the exact bootstrap distribution, as boottest does), else B seeded random draws.
    Returns (V, enumerated). Cells with the same G share their draws (common random numbers),
    so a cell's result never depends on which other cells are fitted, or in which order."""
    if len(SUPPORT[kind]) ** G <= B:
        return enumerate_all(G, kind), True
    return weights(G, B, kind, np.random.default_rng([seed, G])), False


@dataclass
class Prepared:
    """Per-cell quantities shared by every coefficient and every null."""

    X: np.ndarray
    y: np.ndarray
    codes: np.ndarray
    G: int
    A: np.ndarray
    H: np.ndarray  # G x K x K: X_g'X_g
    S: np.ndarray  # G x K: X_g'u_g, the unrestricted cluster scores
    beta: np.ndarray
    se: np.ndarray
    corr: float


def prepare(X: np.ndarray, y: np.ndarray, clusters) -> Prepared:
    X = np.asarray(X, float)
    y = np.asarray(y, float)
    _, codes = np.unique(np.asarray(clusters), return_inverse=True)
    n, k = X.shape
    G = int(codes.max()) + 1
    A = np.linalg.inv(X.T @ X)
    beta = A @ (X.T @ y)
    u = y - X @ beta
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(G))
    Xs = X[order]
    H = np.add.reduceat(Xs[:, :, None] * Xs[:, None, :], starts, axis=0)
    S = np.add.reduceat(Xs * u[order, None], starts, axis=0)
    corr = G / (G - 1) * (n - 1) / (n - k)
    V = A @ (S.T @ S) @ A * corr
    return Prepared(X, y, codes, G, A, H, S, beta, np.sqrt(np.clip(np.diag(V), 0, None)), corr)


@dataclass
class Test:
    """Bootstrap quantities of one coefficient, as functions of the null value b0:
    numerator n0 - b0 n1, squared score norm q00 - 2 b0 q01 + b0^2 q11 (one entry per draw)."""

    beta: float
    se: float
    n0: np.ndarray
    n1: np.ndarray
    q00: np.ndarray
    q01: np.ndarray
    q11: np.ndarray
    corr: float
    G: int = 0

    def t(self, b0: float) -> float:
        return (self.beta - b0) / self.se

    def t_star(self, b0: float) -> np.ndarray:
        num = self.n0 - b0 * self.n1
        var = self.corr * (self.q00 - 2 * b0 * self.q01 + b0 * b0 * self.q11)
        with np.errstate(divide="ignore", invalid="ignore"):
            return num / np.sqrt(np.clip(var, 0, None))

    def pvalue(self, b0: float) -> float:
        return float(pvalues([self], b0)[0])

    def ci(self, alpha: float = 0.05, tol: float = 1e-6) -> tuple[float, float]:
        """Test inversion: the b0 where the p value crosses alpha, on each side of beta."""
        (lo, hi), = ci_many([self], alpha, tol)
        return lo, hi


def _x_parts(P: Prepared, k: int):
    """For coefficient k, what depends on X alone: the scores S_1 = H_g a / A_kk of x~
    (S~ = S + (beta_k - b0) S_1), c_1 = S_1'a = a'H_g a / A_kk (c_g = s_g'a + (beta_k - b0)
    c_1) and W (rows w_g' = a'H_g A)."""
    a = P.A[:, k]
    h = np.einsum("gij,j->gi", P.H, a)
    S1 = h / P.A[k, k]
    return S1, S1 @ a, h @ P.A


def test(P: Prepared, k: int, V: np.ndarray) -> Test:
    """WCR bootstrap of coefficient k with the cluster weights V (G x B), computed directly from
    the G x B score matrices (the reference form; :func:`test_many` is the fast one)."""
    S1, c1, W = _x_parts(P, k)
    cu = P.S @ P.A[:, k]
    b = float(P.beta[k])
    c0, S0 = cu + b * c1, P.S + b * S1
    Q0 = c0[:, None] * V - W @ (S0.T @ V)
    Q1 = c1[:, None] * V - W @ (S1.T @ V)
    return Test(b, float(P.se[k]), V.T @ c0, V.T @ c1, np.einsum("gb,gb->b", Q0, Q0),
                np.einsum("gb,gb->b", Q0, Q1), np.einsum("gb,gb->b", Q1, Q1), P.corr, P.G)


@dataclass
class XPart:
    """What :func:`test_many` needs that depends only on X, the clusters and the draws, not on
    y: cells that differ only in the link share it (per coefficient: c_1, W, W'W and the draw
    products n_1 = V'c_1, R_1 = S_1'V, T_1 = (W o c_1)'V, q_11)."""

    ks: tuple
    c1: np.ndarray  # len(ks) x G
    W: np.ndarray  # len(ks) x G x K
    WtW: np.ndarray  # len(ks) x K x K
    n1: np.ndarray  # len(ks) x B
    R1: np.ndarray  # len(ks) x K x B
    T1: np.ndarray  # len(ks) x K x B
    q11: np.ndarray  # len(ks) x B


def x_part(P: Prepared, ks: list[int], V: np.ndarray) -> XPart:
    K = P.X.shape[1]
    c1s, Ws, cols = [], [], []
    for k in ks:
        S1, c1, W = _x_parts(P, k)
        c1s.append(c1)
        Ws.append(W)
        cols += [c1[:, None], S1, W * c1[:, None]]
    Z = np.column_stack(cols).T @ V  # one product over all draws and coefficients
    Z = Z.reshape(len(ks), 1 + 2 * K, -1)
    c1, W = np.stack(c1s), np.stack(Ws)
    WtW = np.einsum("ngi,ngj->nij", W, W)
    n1, R1, T1 = Z[:, 0], Z[:, 1:1 + K], Z[:, 1 + K:]
    s11 = (c1 * c1).sum(1)[:, None] if _unit(V) else (c1 * c1) @ (V * V)
    q11 = (s11 - 2 * np.einsum("nkb,nkb->nb", R1, T1)
           + np.einsum("nkb,nkb->nb", R1, np.matmul(WtW, R1)))
    return XPart(tuple(ks), c1, W, WtW, n1, R1, T1, q11)


def _unit(V: np.ndarray) -> bool:
    return bool(np.all(np.abs(np.abs(V) - 1.0) < 1e-15))  # Rademacher: v^2 = 1


def test_many(P: Prepared, ks: list[int], V: np.ndarray,
              xpart: XPart | None = None) -> dict[int, Test]:
    """WCR bootstrap of several coefficients sharing one set of draws, with one matrix product
    over all draws for all of them. With R = S'V, R_1 = S_1'V, T = (W o c)'V,

        ||Q_b||^2 = sum_g c_g^2 v_gb^2 - 2 R_b.T_b + R_b' W'W R_b,

    and the same for the cross term, so no G x B matrix is formed per coefficient. The parts
    that depend only on X (`xpart`, from :func:`x_part`) may come from another cell with the
    same design."""
    K = P.X.shape[1]
    xp = xpart if xpart is not None and xpart.ks == tuple(ks) else x_part(P, ks, V)
    cu = np.stack([P.S @ P.A[:, k] for k in ks])  # len(ks) x G
    cols = [P.S, cu.T] + [xp.W[i] * cu[i][:, None] for i in range(len(ks))]
    Z = np.column_stack(cols).T @ V
    Ru, nu = Z[:K], Z[K:K + len(ks)]
    Tu = Z[K + len(ks):].reshape(len(ks), K, -1)
    unit = _unit(V)
    V2 = None if unit else V * V
    out = {}
    for i, k in enumerate(ks):
        b = float(P.beta[k])
        c0, c1, WtW = cu[i] + b * xp.c1[i], xp.c1[i], xp.WtW[i]
        R1, T1 = xp.R1[i], xp.T1[i]
        R0, T0 = Ru + b * R1, Tu[i] + b * T1
        WR0 = WtW @ R0
        if unit:
            s00, s01 = c0 @ c0, c0 @ c1
        else:
            s00, s01 = (c0 * c0) @ V2, (c0 * c1) @ V2
        q00 = s00 - 2 * np.einsum("kb,kb->b", R0, T0) + np.einsum("kb,kb->b", R0, WR0)
        q01 = (s01 - np.einsum("kb,kb->b", R1, T0) - np.einsum("kb,kb->b", R0, T1)
               + np.einsum("kb,kb->b", R1, WR0))
        out[k] = Test(b, float(P.se[k]), nu[i] + b * xp.n1[i], xp.n1[i], q00, q01, xp.q11[i],
                      P.corr, P.G)
    return out


def _abs_tstar(n0, n1, q00, q01, q11, corr, b0):
    """|t*| of each draw at the null b0 (0/0 is NaN: never extreme)."""
    num = n0 - b0 * n1
    var = np.maximum(q00 - 2 * b0 * q01 + b0 * b0 * q11, 0.0) * corr
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.abs(num / np.sqrt(var))


def _abs_t(beta, se, b0):
    return np.abs((beta - b0) / se)


_DRAW_FIELDS = ("n0", "n1", "q00", "q01", "q11")


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
        D[9][need] = _abs_tstar(*(x[need] for x in D[:5]), corr[rr], D[8][need])
    mn = np.where(zin, 0.0, np.minimum(np.minimum(D[5], D[6]), np.where(tin, D[9], np.inf)))
    mx = np.maximum(np.maximum(D[5], D[6]), np.where(tin, D[9], 0.0))
    t_near = _abs_t(beta, se, lo)[r]
    t_far = _abs_t(beta, se, hi)[r]
    always = mn >= _bar(t_far) + margin * (1 + t_far)
    never = mx < _bar(t_near) - margin * (1 + t_near)
    rows = np.broadcast_to(r, always.shape)
    fixed += np.bincount(rows[always], minlength=len(fixed))
    return ~(always | never) & open_[r]


def pvalues(tests: list[Test], b0: float = 0.0) -> np.ndarray:
    """The WCR p value of every test at the same null b0: the share of draws with
    |t*| >= |t| up to a relative TIE."""
    if not tests:
        return np.zeros(0)
    F = [np.stack([getattr(t, f) for t in tests]) for f in _DRAW_FIELDS]
    corr = np.array([t.corr for t in tests])[:, None]
    t = _abs_t(np.array([x.beta for x in tests]), np.array([x.se for x in tests]), b0)
    return np.mean(_abs_tstar(*F, corr, b0) >= _bar(t)[:, None], axis=1)


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
    F = {f: np.stack([getattr(t, f) for t in tests]) for f in _DRAW_FIELDS}
    corr = np.tile([t.corr for t in tests], 2)
    beta = np.tile([float(t.beta) for t in tests], 2)
    se = np.maximum(np.tile([float(t.se) for t in tests], 2), 1e-300)
    B = F["n0"].shape[1]
    sign = np.repeat([-1.0, 1.0], m)
    crit = stats.t.ppf(1 - alpha / 2, np.tile([max(t.G, 2) for t in tests], 2) - 1)
    bad = np.tile(~np.all(np.isfinite(np.stack(list(F.values()))), axis=(0, 2)), 2)
    bad |= ~(np.isfinite(beta) & np.isfinite(se) & (se > 1e-300))

    F2 = {f: np.concatenate([v, v]) for f, v in F.items()}

    def tstar(b0, rows):
        """|t*| of every draw of the given rows at their nulls b0 (one per row)."""
        if len(rows) == R:  # all rows: no gather
            return _abs_tstar(*F2.values(), corr[:, None], b0[:, None])
        return _abs_tstar(*(F2[f][rows] for f in _DRAW_FIELDS), corr[rows][:, None],
                          b0[rows][:, None])

    def p(b0, rows, ts=None):
        ts = tstar(b0, rows) if ts is None else ts
        return np.mean(ts >= _bar(_abs_t(beta[rows], se[rows], b0[rows]))[:, None], axis=1)

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
        n0, n1, q00, q01, q11 = (F2[f][r] if len(r) < R else F2[f] for f in _DRAW_FIELDS)
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
    D2 = np.stack([F2[f] if whole else F2[f][ro] for f in _DRAW_FIELDS]
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
        ts = _abs_tstar(*D[:5], corr[r_idx], mid[r_idx])
        ext = ts >= _bar(_abs_t(beta, se, mid))[r_idx]
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


# --------------------------------------------------------------------------------------------
# one grid cell


@dataclass(frozen=True)
class WCR:
    """Settings of the per-cell WCR bootstrap (config.yaml key ``wcr``)."""

    draws: int = 9999
    seed: int = 20260225
    weights: str = "auto"  # auto: webb when G <= webb_max_clusters, else rademacher
    webb_max_clusters: int = 12
    alpha: float = 0.05
    ci: bool = True
    enabled: bool = True

    @classmethod
    def from_config(cls, cfg: dict | None) -> WCR:
        cfg = {k: v for k, v in (cfg or {}).items() if k not in PRESENTATION_KEYS}
        unknown = set(cfg) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown wcr setting(s) {sorted(unknown)}")
        return cls(**cfg)

    def kind(self, G: int) -> str:
        return (choose_weights(G, self.webb_max_clusters) if self.weights == "auto"
                else self.weights)


def coerce_cli(section: dict) -> dict:
    """Snakemake's ``--config 'wcr={draws: 999}'`` gives nested values as strings: read each
    string value as YAML (999 -> 999, true -> True), so the schema sees typed values."""
    import yaml

    return {k: yaml.safe_load(v) if isinstance(v, str) else v for k, v in section.items()}


PRESENTATION_KEYS = {"table_line"}  # config keys of `wcr` that do not change any number
_DRAWS: dict = {}
_XPARTS: dict = {}


def cached_draws(G: int, B: int, kind: str, seed: int) -> tuple[np.ndarray, bool]:
    """:func:`draws`, kept for the last few (G, B, kind, seed): cells of a slice share G."""
    key = (G, B, kind, seed)
    if key not in _DRAWS:
        if len(_DRAWS) >= 4:
            _DRAWS.pop(next(iter(_DRAWS)))
        _DRAWS[key] = draws(G, B, kind, seed)
    return _DRAWS[key]


def cell(X: np.ndarray, y: np.ndarray, clusters, names: list[str], cfg: WCR,
         skip=("const",)) -> tuple[dict[str, tuple[float, float, float]], dict]:
    """WCR p value and test-inversion interval of every coefficient of one fitted cell except
    the constant: ({term: (p, ci_low, ci_high)}, {wcr_weights, wcr_draws, wcr_exact})."""
    P = prepare(X, y, clusters)
    kind = cfg.kind(P.G)
    V, exact = cached_draws(P.G, cfg.draws, kind, cfg.seed)
    ks = [i for i, n in enumerate(names) if n not in skip]
    h = hashlib.blake2b(digest_size=16)
    for part in (P.X, P.codes, np.array([P.G, V.shape[1], cfg.seed, *ks]), kind.encode()):
        h.update(np.ascontiguousarray(part).tobytes() if not isinstance(part, bytes) else part)
    key = h.hexdigest()
    if key not in _XPARTS:  # the last design only: cells of one design are visited together
        _XPARTS.clear()
        _XPARTS[key] = x_part(P, ks, V)
    tests = test_many(P, ks, V, _XPARTS[key])
    ts = [tests[k] for k in ks]
    ps = pvalues(ts, 0.0)
    cis = ci_many(ts, cfg.alpha) if cfg.ci else [(np.nan, np.nan)] * len(ts)
    out = {names[k]: (float(p), lo, hi) for k, p, (lo, hi) in zip(ks, ps, cis, strict=True)}
    return out, {"wcr_weights": kind, "wcr_draws": int(V.shape[1]), "wcr_exact": bool(exact)}
