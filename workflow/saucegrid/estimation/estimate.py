"""OLS with developer-clustered standard errors, as Stata's ``regress, vce(cluster dev)``.

    V = (X'X)^-1 [ sum_g X_g' u_g u_g' X_g ] (X'X)^-1 * G/(G-1) * (N-1)/(N-K)

K counts the constant and the retained columns only. p values come from t with G-1 degrees of
freedom. The engine is numpy on the normal equations; statsmodels is the reference in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from saucegrid.estimation.specs import Design


def stars(p: float) -> str:
    if not np.isfinite(p):
        return ""
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.10 else ""


@dataclass
class Fit:
    names: list[str]
    coef: np.ndarray
    se: np.ndarray
    t: np.ndarray
    p: np.ndarray
    vcov: np.ndarray
    r2: float
    n: int
    g: int
    k: int
    resid: np.ndarray
    fitted: np.ndarray
    omitted: dict

    def __getitem__(self, name: str) -> float:
        return float(self.coef[self.names.index(name)])

    def table(self) -> pd.DataFrame:
        return pd.DataFrame({"term": self.names, "estimate": self.coef, "std_error": self.se,
                             "t": self.t, "p_value": self.p,
                             "stars": [stars(x) for x in self.p]})


def cluster_codes(clusters) -> tuple[np.ndarray, int]:
    _, codes = np.unique(np.asarray(clusters), return_inverse=True)
    return codes, int(codes.max()) + 1 if len(codes) else 0


def ols_cluster(y: np.ndarray, X: np.ndarray, clusters, names=None, omitted=None,
                xtx=None, xty=None) -> Fit:
    """OLS of y on X (X includes the constant) with CR1 cluster-robust inference.

    xtx, xty: X'X and X'y when the caller already has them."""
    y = np.asarray(y, float)
    X = np.asarray(X, float)
    n, k = X.shape
    codes, g = cluster_codes(clusters)
    if n <= k:
        raise ValueError(f"{n} observations cannot identify {k} coefficients")
    xtx = X.T @ X if xtx is None else xtx
    xty = X.T @ y if xty is None else xty
    bread = np.linalg.inv(xtx)
    beta = bread @ xty
    fitted = X @ beta
    u = y - fitted
    S = X * u[:, None]
    scores = np.column_stack([np.bincount(codes, weights=S[:, j], minlength=g)
                              for j in range(k)]) if g else np.zeros((0, k))
    meat = scores.T @ scores
    c = (g / (g - 1)) * ((n - 1) / (n - k)) if g > 1 else np.nan
    V = bread @ meat @ bread * c
    se = np.sqrt(np.clip(np.diag(V), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = beta / se
    # t(G-1) two-sided p: scipy.stats.t.sf is special.stdtr(df, -|t|) (lighter import)
    p = 2 * special.stdtr(g - 1, -np.abs(t)) if g > 1 else np.full(k, np.nan)
    yc = y - y.mean()
    r2 = 1.0 - float(u @ u) / float(yc @ yc)
    return Fit(list(names) if names is not None else [f"x{i}" for i in range(k)], beta, se, t,
               p, V, r2, n, g, k, u, fitted, dict(omitted or {}))


def fit(d: Design) -> Fit:
    if d.cross is not None:
        C = d.cross[0]
        return ols_cluster(d.y, d.X, d.clusters, d.names, d.omitted, C[:-1, :-1], C[:-1, -1])
    return ols_cluster(d.y, d.X, d.clusters, d.names, d.omitted)


def wald(f: Fit, terms: list[str], rtol: float = 1e-10) -> tuple[float, int, int, float]:
    """Joint test that the given coefficients are all zero, as Stata's ``test`` after
    ``regress, vce(cluster)``: W = b' V^-1 b with the CR1 covariance, F = W / q on (q, G-1)
    degrees of freedom. Returns (F, q, G-1, p); p is NaN when the terms' covariance is
    singular (e.g. more restrictions than the clusters can identify) or no term is present."""
    idx = [f.names.index(t) for t in terms if t in f.names]
    q, df2 = len(idx), f.g - 1
    if not q or df2 < 1:
        return np.nan, q, df2, np.nan
    b = f.coef[idx]
    Vr = f.vcov[np.ix_(idx, idx)]
    ev = np.linalg.eigvalsh(Vr)
    if not np.all(np.isfinite(ev)) or ev.min() <= rtol * max(ev.max(), 0.0):
        return np.nan, q, df2, np.nan
    F = float(b @ np.linalg.solve(Vr, b)) / q
    return F, q, df2, float(special.fdtrc(q, df2, F))  # = scipy.stats.f.sf(F, q, df2)


def one_cluster_terms(X: np.ndarray, names: list[str], clusters: np.ndarray) -> set[str]:
    """The coefficients whose regressor is non-zero within a single cluster only: identified by
    that one cluster (every major-developer dummy, since each developer is a cluster)."""
    out = set()
    for j, n in enumerate(names):
        if n == "const":
            continue
        nz = X[:, j] != 0
        if nz.any() and np.unique(clusters[nz]).size == 1:
            out.add(n)
    return out


def bonferroni(ps) -> float:
    """Global p value of "all these effects are zero" from their individual p values:
    min(1, q * min p). NaN when there are none or any is NaN."""
    ps = np.asarray(ps, float)
    if not len(ps) or not np.all(np.isfinite(ps)):
        return np.nan
    return float(min(1.0, len(ps) * ps.min()))
