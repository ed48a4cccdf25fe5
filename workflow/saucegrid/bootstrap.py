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

import itertools
from dataclasses import dataclass

import numpy as np
from scipy import stats

WEBB = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
RADEMACHER = np.array([-1.0, 1.0])
SUPPORT = {"rademacher": RADEMACHER, "webb": WEBB}
TIE = 1e-9  # |t*| >= |t| (1 - TIE) counts as "at least as extreme": a tie up to rounding,
# e.g. the all-ones draw, which rebuilds the data and so has t* = t exactly


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


def _parts(P: Prepared, k: int):
    """For coefficient k: c_u = s_g'a and c_1 = a'H_g a / A_kk (the two parts of c_g), the
    scores S_1 = H_g a / A_kk of x~ (S~ = S + (beta_k - b0) S_1) and W (rows w_g' = a'H_g A)."""
    a = P.A[:, k]
    h = np.einsum("gij,j->gi", P.H, a)
    S1 = h / P.A[k, k]
    return P.S @ a, S1 @ a, S1, h @ P.A


def test(P: Prepared, k: int, V: np.ndarray) -> Test:
    """WCR bootstrap of coefficient k with the cluster weights V (G x B), computed directly from
    the G x B score matrices (the reference form; :func:`test_many` is the fast one)."""
    cu, c1, S1, W = _parts(P, k)
    b = float(P.beta[k])
    c0, S0 = cu + b * c1, P.S + b * S1
    Q0 = c0[:, None] * V - W @ (S0.T @ V)
    Q1 = c1[:, None] * V - W @ (S1.T @ V)
    return Test(b, float(P.se[k]), V.T @ c0, V.T @ c1, np.einsum("gb,gb->b", Q0, Q0),
                np.einsum("gb,gb->b", Q0, Q1), np.einsum("gb,gb->b", Q1, Q1), P.corr, P.G)


def test_many(P: Prepared, ks: list[int], V: np.ndarray, chunk: int = 4096) -> dict[int, Test]:
    """WCR bootstrap of several coefficients sharing one set of draws, with one matrix product
    over the draws for all of them. With R = S'V, R_1 = S_1'V, T = (W o c)'V,

        ||Q_b||^2 = sum_g c_g^2 v_gb^2 - 2 R_b.T_b + R_b' W'W R_b,

    and the same for the cross term, so no G x B matrix is formed per coefficient. The draws
    are taken in chunks of `chunk` columns to bound memory."""
    K = P.X.shape[1]
    cols, parts = [P.S], []
    for k in ks:
        cu, c1, S1, W = _parts(P, k)
        parts.append((float(P.beta[k]), cu, c1, W.T @ W))
        cols += [cu[:, None], c1[:, None], S1, W * cu[:, None], W * c1[:, None]]
    M = np.column_stack(cols).T  # (K + len(ks) (2 + 3K)) x G
    unit = bool(np.all(np.abs(np.abs(V) - 1.0) < 1e-15))  # Rademacher: v^2 = 1
    B = V.shape[1]
    out = {k: np.empty((5, B)) for k in ks}
    for s in range(0, B, chunk):
        Vc = V[:, s:s + chunk]
        Z = M @ Vc  # the one product over all draws and coefficients
        V2 = None if unit else Vc * Vc
        Ru = Z[:K]
        i = K
        for k, (b, cu, c1, WtW) in zip(ks, parts, strict=True):
            nu, n1 = Z[i], Z[i + 1]
            R1 = Z[i + 2:i + 2 + K]
            Tu, T1 = Z[i + 2 + K:i + 2 + 2 * K], Z[i + 2 + 2 * K:i + 2 + 3 * K]
            i += 2 + 3 * K
            c0 = cu + b * c1
            R0, T0 = Ru + b * R1, Tu + b * T1
            WR0, WR1 = WtW @ R0, WtW @ R1
            if unit:
                s00, s01, s11 = c0 @ c0, c0 @ c1, c1 @ c1
            else:
                s00, s01, s11 = (c0 * c0) @ V2, (c0 * c1) @ V2, (c1 * c1) @ V2
            o = out[k][:, s:s + Vc.shape[1]]
            o[0] = nu + b * n1
            o[1] = n1
            o[2] = s00 - 2 * np.einsum("kb,kb->b", R0, T0) + np.einsum("kb,kb->b", R0, WR0)
            o[3] = (s01 - np.einsum("kb,kb->b", R1, T0) - np.einsum("kb,kb->b", R0, T1)
                    + np.einsum("kb,kb->b", R0, WR1))
            o[4] = s11 - 2 * np.einsum("kb,kb->b", R1, T1) + np.einsum("kb,kb->b", R1, WR1)
    return {k: Test(float(P.beta[k]), float(P.se[k]), *out[k], P.corr, P.G) for k in ks}


def _abs_tstar(n0, n1, q00, q01, q11, corr, b0):
    """|t*| of each draw at the null b0 (0/0 is NaN: never extreme)."""
    num = n0 - b0 * n1
    var = np.maximum(q00 - 2 * b0 * q01 + b0 * b0 * q11, 0.0) * corr
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.abs(num / np.sqrt(var))


def _abs_t(beta, se, b0):
    return np.abs((beta - b0) / se)


_DRAW_FIELDS = ("n0", "n1", "q00", "q01", "q11")


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
              max_widenings: int = 12) -> list[tuple[float, float]]:
    """Test-inversion intervals of many tests at once: each end is the b0 where the WCR p value
    falls below alpha, bracketed from the CR1 t(G-1) interval (widened x8 while not rejected)
    and bisected until the bracket [lo, hi] is narrower than tol * se, always with
    p(lo) >= alpha > p(hi) exactly. An end not rejected even FAR (1e5) standard errors away
    is +-inf; a test with non-finite draws gets NaN.

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
    # 3. ends still not rejected: unbounded, or widen (x4) until rejected
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
    r_idx, b_idx = np.nonzero(np.broadcast_to(open_[:, None], (R, B)))
    A = {f: F2[f][r_idx, b_idx] for f in _DRAW_FIELDS}
    with np.errstate(divide="ignore", invalid="ignore"):
        zero = A["n0"] / A["n1"]
        turn = ((A["n1"] * A["q00"] - A["n0"] * A["q01"])
                / (A["n1"] * A["q01"] - A["n0"] * A["q11"]))
    t_turn = np.full(len(turn), np.nan)  # |t*| at the turning point, filled when needed
    a_lo, a_hi = t_lo[r_idx, b_idx], t_hi[r_idx, b_idx]
    fixed = np.zeros(R)
    margin = 1e-9
    for _ in range(200):
        if True:  # settle the draws that cannot change status inside [lo, hi]
            left, right = np.minimum(lo, hi)[r_idx], np.maximum(lo, hi)[r_idx]
            zin = (zero >= left) & (zero <= right)
            tin = (turn >= left) & (turn <= right)
            need = tin & np.isnan(t_turn)
            if need.any():
                t_turn[need] = _abs_tstar(*(v[need] for v in A.values()), corr[r_idx[need]],
                                          turn[need])
            mn = np.where(zin, 0.0, np.minimum(np.minimum(a_lo, a_hi),
                                               np.where(tin, t_turn, np.inf)))
            mx = np.maximum(np.maximum(a_lo, a_hi), np.where(tin, t_turn, 0.0))
            t_near = _abs_t(beta, se, lo)[r_idx]
            t_far = _abs_t(beta, se, hi)[r_idx]
            always = mn >= _bar(t_far) + margin * (1 + t_far)
            never = mx < _bar(t_near) - margin * (1 + t_near)
            fixed += np.bincount(r_idx[always], minlength=R)
            keep = ~(always | never) & open_[r_idx]
            r_idx, a_lo, a_hi, zero, turn, t_turn = (x[keep] for x in (r_idx, a_lo, a_hi,
                                                                        zero, turn, t_turn))
            A = {f: v[keep] for f, v in A.items()}
        if not open_.any():
            break
        mid = (lo + hi) / 2
        ts = _abs_tstar(*A.values(), corr[r_idx], mid[r_idx])
        ext = ts >= _bar(_abs_t(beta, se, mid))[r_idx]
        rej = (fixed + np.bincount(r_idx, weights=ext, minlength=R)) / B < alpha
        rd = rej[r_idx]
        a_hi = np.where(rd, ts, a_hi)
        a_lo = np.where(rd, a_lo, ts)
        hi = np.where(open_ & rej, mid, hi)
        lo = np.where(open_ & ~rej, mid, lo)
        open_ &= np.abs(hi - lo) > tol * se
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
    tests = test_many(P, ks, V)
    ts = [tests[k] for k in ks]
    ps = pvalues(ts, 0.0)
    cis = ci_many(ts, cfg.alpha) if cfg.ci else [(np.nan, np.nan)] * len(ts)
    out = {names[k]: (float(p), lo, hi) for k, p, (lo, hi) in zip(ks, ps, cis, strict=True)}
    return out, {"wcr_weights": kind, "wcr_draws": int(V.shape[1]), "wcr_exact": bool(exact)}
