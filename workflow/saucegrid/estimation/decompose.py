"""Decompositions: exact group Shapley R², compute factors, and model-effect spreads.

Shapley R² follows Stata's ``shapley2`` semantics: every subset S of the K groups is fitted (with
a constant), R²(∅) = 0, and group k receives

    phi_k = sum_{S ⊆ K \\ {k}} |S|! (K - |S| - 1)! / K! * (R²(S ∪ {k}) - R²(S)).

The shares sum to the full model's R² (efficiency); the residual share is 1 - R². Sub-models are
solved from sub-blocks of one centred cross-product matrix, so a cell costs one X'X.
"""

from __future__ import annotations

import itertools
from math import factorial

import numpy as np

from saucegrid.estimation.estimate import Fit
from saucegrid.estimation.specs import LOG_FLOPS, Design

GROUPS = ("scale", "time", "company")
OPTIONAL_GROUPS = ("source",)  # a player only where the design has its columns


def subset_r2(xtx: np.ndarray, xty: np.ndarray, yy: float, cols: list[int]) -> float:
    """R² of y on a constant and the given columns, from centred cross-products."""
    if not cols:
        return 0.0
    b = xty[cols]
    coef = np.linalg.lstsq(xtx[np.ix_(cols, cols)], b, rcond=None)[0]
    return float(b @ coef) / yy


def shapley_r2(y, X, names: list[str], groups: dict[str, list[str]],
               cross: tuple | None = None) -> dict[str, float]:
    """Exact Shapley decomposition of R² over groups of columns (X may include 'const').

    cross: optional ([X, y]'[X, y], column means of [X, y]) to skip the pass over the data."""
    y = np.asarray(y, float)
    idx = {n: i for i, n in enumerate(names)}
    gnames = list(groups)
    K = len(gnames)
    keep = [i for i, n in enumerate(names) if n != "const"]
    pos = {names[i]: j for j, i in enumerate(keep)}
    # centred cross-products: C = Z'Z - n m m' for Z = [X without the constant, y]
    if cross is None:
        Z = np.column_stack([X[:, keep], y])
        ZZ, m = Z.T @ Z, Z.mean(axis=0)
    else:
        sel = keep + [len(names)]
        ZZ, m = cross[0][np.ix_(sel, sel)], cross[1][sel]
    C = ZZ - len(y) * np.outer(m, m)
    xtx, xty, yy = C[:-1, :-1], C[:-1, -1], float(C[-1, -1])
    gcols = {g: [pos[n] for n in groups[g] if n in idx] for g in gnames}
    r2 = {}
    for r in range(K + 1):
        for S in itertools.combinations(range(K), r):
            cols = [c for k in S for c in gcols[gnames[k]]]
            r2[S] = subset_r2(xtx, xty, yy, cols)
    phi = {}
    for k in range(K):
        others = [j for j in range(K) if j != k]
        total = 0.0
        for r in range(K):
            w = factorial(r) * factorial(K - r - 1) / factorial(K)
            for S in itertools.combinations(others, r):
                with_k = tuple(sorted(S + (k,)))
                total += w * (r2[with_k] - r2[S])
        phi[gnames[k]] = total
    phi["residual"] = 1.0 - r2[tuple(range(K))]
    return phi


def shapley(d: Design) -> dict[str, float]:
    groups = {g: d.groups.get(g, []) for g in GROUPS}
    groups.update({g: d.groups[g] for g in OPTIONAL_GROUPS if d.groups.get(g)})
    return shapley_r2(d.y, d.X, d.names, groups, d.cross)


def compute_factor(coef: float, beta_c: float) -> float:
    """M = 10^(coef / beta_c): the effective-compute factor of Eq. (3) (inf on overflow)."""
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        return float(np.power(10.0, coef / beta_c))


def compute_factors(f: Fit, prefix: tuple[str, ...] = ("period:", "quarter:", "dev:")) -> dict:
    bc = f[LOG_FLOPS]
    return {n: compute_factor(c, bc) for n, c in zip(f.names, f.coef, strict=True)
            if n.startswith(prefix) and " x " not in n}


def pctile(x, p: float) -> float:
    """Stata's ``_pctile``/``summarize, detail`` percentile (default definition).

    With x sorted and n*p/100 = i + h: if h > 0 the result is x[i+1], else (x[i] + x[i+1]) / 2
    (1-based), which differs from numpy's default interpolation.
    """
    x = np.sort(np.asarray(x, float))
    n = len(x)
    if n == 0:
        return float("nan")
    npos = n * p / 100.0
    i = int(np.floor(npos))
    if npos - i > 1e-12:
        return float(x[min(i, n - 1)])
    if i <= 0:
        return float(x[0])
    if i >= n:
        return float(x[-1])
    return float((x[i - 1] + x[i]) / 2.0)


def gap_factor(resid, beta_c: float, hi: float = 90, lo: float = 10) -> float:
    """Model-effect spread as a compute factor: 10^((p_hi - p_lo) / beta_c)."""
    return compute_factor(pctile(resid, hi) - pctile(resid, lo), beta_c)


def compute_spread(log10_flops, hi: float = 95, lo: float = 5) -> float:
    """Training-compute spread between percentiles, as a factor (paper: 1,321x for 95/5)."""
    return float(10.0 ** (pctile(log10_flops, hi) - pctile(log10_flops, lo)))


def components(d: Design, coef: dict, resid: np.ndarray) -> dict[str, np.ndarray]:
    """Each model's log-odds split into the parts of Eq. (1): constant, scaling (log compute and
    its interactions), shared progress (time terms), company (developer terms), model (residual).
    The parts add up to the fitted logit plus the residual, i.e. to y, exactly."""
    part_of = {"scale": "scaling", "time": "shared", "company": "company", "source": "source"}
    out = {"constant": np.zeros(d.n)}
    for g in GROUPS + tuple(g for g in OPTIONAL_GROUPS if d.groups.get(g)):
        out[part_of[g]] = np.zeros(d.n)
    where = {n: g for g, names in d.groups.items() for n in names}
    for j, n in enumerate(d.names):
        part = "constant" if n == "const" else part_of[where[n]]
        out[part] = out[part] + d.X[:, j] * coef[n]
    out["model"] = np.asarray(resid, float)
    return out


def change(d: Design, coef: dict, resid: np.ndarray, i: int, j: int) -> dict[str, float]:
    """Table B.1: the change in each component, in log-odds, from model i to model j; the
    changes add up to y_j - y_i."""
    comp = components(d, coef, resid)
    out = {k: float(v[j] - v[i]) for k, v in comp.items() if k != "constant"}
    out["total"] = float(d.y[j] - d.y[i])
    return out


FACTOR_MAX = 1e6  # a compute factor beyond 1e6 (or below 1e-6) is reported as undefined


def factors_defined(beta_c_low: float, beta_c_high: float) -> str:
    """'' when compute factors 10^(coef/β_c) are defined, else why not: β_c's 95% interval
    includes 0 (or is missing), so the factor's denominator may be 0 and the factor anything."""
    if not (np.isfinite(beta_c_low) and np.isfinite(beta_c_high)):
        return "β_c has no 95% interval"
    if beta_c_low <= 0 <= beta_c_high:
        return f"β_c's 95% interval [{beta_c_low:.3g}, {beta_c_high:.3g}] includes 0"
    return ""


def bounded_factor(x: float) -> float:
    """x where FACTOR_MAX^-1 <= x <= FACTOR_MAX, else NaN (never printed as a number)."""
    return float(x) if np.isfinite(x) and 1 / FACTOR_MAX <= x <= FACTOR_MAX else np.nan


def fieller(theta: float, beta: float, v_tt: float, v_tb: float, v_bb: float, crit: float
            ) -> tuple[float, float]:
    """Fieller's confidence set for the ratio theta/beta: every r with
    (theta - r beta)^2 <= crit^2 (v_tt - 2 r v_tb + r^2 v_bb). Bounded, (lo, hi), when beta is
    significant at the same level (beta^2 > crit^2 v_bb); otherwise (-inf, inf)."""
    c2 = crit * crit
    a = beta * beta - c2 * v_bb
    b = -2 * (theta * beta - c2 * v_tb)
    c = theta * theta - c2 * v_tt
    disc = b * b - 4 * a * c
    if a <= 0 or disc < 0:
        return -np.inf, np.inf
    r = np.sqrt(disc)
    return float((-b - r) / (2 * a)), float((-b + r) / (2 * a))
