"""Wild cluster restricted (WCR) bootstrap for OLS with CR1 cluster-robust t statistics.

For coefficient k and a null value b0, the bootstrap data are y* = X b~ + u~ * v_g, where b~ is
OLS with beta_k = b0 imposed, u~ its residuals, and v_g one weight per cluster and draw
(Rademacher, or Webb's six-point distribution for few clusters). The bootstrap t statistic is
(b*_k - b0) / se*_k with the same CR1 variance as the original fit, and the p value is the share
of draws with |t*| >= |t| (symmetric).

Every draw is computed at once, in the spirit of Roodman et al. (2019): with A = (X'X)^-1,
a = A e_k, s_g = X_g' u~_g and H_g = X_g'X_g,

    b*_k - b0        = sum_g v_g c_g,              c_g = s_g' a
    a' X_g' u^*_g    = v_g c_g - w_g' S' v,        w_g' = a' H_g A,  S' v = sum_h s_h v_h

so a draw costs a few matrix products over clusters, never a refit. Because u~ is linear in b0
(u~ = M_{-k} y - b0 M_{-k} x_k), numerator and variance of every draw are a line and a quadratic
in b0; a confidence interval by test inversion then costs O(B) per trial b0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WEBB = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])


def weights(G: int, B: int, kind: str, rng: np.random.Generator) -> np.ndarray:
    """G x B matrix of cluster weights: 'rademacher' or 'webb'."""
    if kind == "rademacher":
        return rng.choice(np.array([-1.0, 1.0]), size=(G, B))
    if kind == "webb":
        return rng.choice(WEBB, size=(G, B))
    raise ValueError(f"unknown weight distribution {kind!r}")


def all_rademacher(G: int) -> np.ndarray:
    """Every one of the 2^G Rademacher sign vectors, as a G x 2^G matrix."""
    grid = np.array(np.meshgrid(*[[-1.0, 1.0]] * G, indexing="ij")).reshape(G, -1)
    return grid


def choose_weights(G: int, webb_max_clusters: int = 12) -> str:
    return "webb" if G <= webb_max_clusters else "rademacher"


@dataclass
class Prepared:
    """Per-cell quantities shared by every coefficient and every null."""

    X: np.ndarray
    y: np.ndarray
    codes: np.ndarray
    G: int
    A: np.ndarray
    H: np.ndarray  # G x K x K
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
    scores = np.add.reduceat(Xs * u[order, None], starts, axis=0)
    corr = G / (G - 1) * (n - 1) / (n - k)
    V = A @ (scores.T @ scores) @ A * corr
    return Prepared(X, y, codes, G, A, H, beta, np.sqrt(np.diag(V)), corr)


def _cluster_sums(P: Prepared, M: np.ndarray) -> np.ndarray:
    """sum over rows of each cluster: (G x K) from an (n x K) matrix."""
    out = np.zeros((P.G, M.shape[1]))
    for j in range(M.shape[1]):
        out[:, j] = np.bincount(P.codes, weights=M[:, j], minlength=P.G)
    return out


@dataclass
class Test:
    """Bootstrap quantities of one coefficient, as functions of the null value b0."""

    beta: float
    se: float
    n0: np.ndarray
    n1: np.ndarray
    q00: np.ndarray
    q01: np.ndarray
    q11: np.ndarray
    corr: float

    def t(self, b0: float) -> float:
        return (self.beta - b0) / self.se

    def t_star(self, b0: float) -> np.ndarray:
        num = self.n0 - b0 * self.n1
        var = self.corr * (self.q00 - 2 * b0 * self.q01 + b0 * b0 * self.q11)
        with np.errstate(divide="ignore", invalid="ignore"):
            return num / np.sqrt(np.clip(var, 0, None))

    def pvalue(self, b0: float) -> float:
        return float(np.mean(np.abs(self.t_star(b0)) >= abs(self.t(b0)) - 1e-12))

    def ci(self, alpha: float = 0.05, tol: float = 1e-6) -> tuple[float, float]:
        """Test inversion: the b0 where the p value crosses alpha, on each side of beta."""
        if self.pvalue(self.beta) < alpha:  # degenerate: even the estimate is rejected
            return float("nan"), float("nan")

        def edge(sign: int) -> float:
            step = max(self.se, 1e-12)
            lo = self.beta
            hi = self.beta + sign * step
            for _ in range(60):
                if self.pvalue(hi) < alpha:
                    break
                lo, hi = hi, self.beta + sign * (abs(hi - self.beta) * 2)
            else:
                return float("inf") * sign
            for _ in range(200):
                mid = (lo + hi) / 2
                if self.pvalue(mid) < alpha:
                    hi = mid
                else:
                    lo = mid
                if abs(hi - lo) <= tol * max(self.se, 1e-12):
                    break
            return (lo + hi) / 2

        return edge(-1), edge(+1)


def _restricted(P: Prepared, k: int):
    """Cluster scores of the restricted residuals u~ = u0 - b0 u1 (S0, S1), their projections
    c = S a on coefficient k, and W (rows w_g' = a' H_g A)."""
    X, y = P.X, P.y
    keep = [j for j in range(X.shape[1]) if j != k]
    rhs = np.column_stack([y, X[:, k]])
    R = rhs - X[:, keep] @ np.linalg.lstsq(X[:, keep], rhs, rcond=None)[0]
    a = P.A[:, k]
    S0 = _cluster_sums(P, X * R[:, 0][:, None])
    S1 = _cluster_sums(P, X * R[:, 1][:, None])
    W = np.einsum("gij,i->gj", P.H, a) @ P.A
    return S0, S1, S0 @ a, S1 @ a, W


def test(P: Prepared, k: int, V: np.ndarray) -> Test:
    """WCR bootstrap of coefficient k with the cluster weights V (G x B)."""
    S0, S1, c0, c1, W = _restricted(P, k)
    Q0 = c0[:, None] * V - W @ (S0.T @ V)
    Q1 = c1[:, None] * V - W @ (S1.T @ V)
    return Test(float(P.beta[k]), float(P.se[k]), V.T @ c0, V.T @ c1,
                np.einsum("gb,gb->b", Q0, Q0), np.einsum("gb,gb->b", Q0, Q1),
                np.einsum("gb,gb->b", Q1, Q1), P.corr)


def test_many(P: Prepared, ks: list[int], V: np.ndarray) -> dict[int, Test]:
    """WCR bootstrap of several coefficients sharing one set of draws, with one matrix product
    over all draws for all of them. Uses

        ||Q_b||² = sum_g c_g² v_gb² - 2 R_b·T_b + R_b' W'W R_b,  R = S'V, T = (W ∘ c)'V,

    and the same for the cross term, so no G x B matrix is formed per coefficient."""
    K = P.X.shape[1]
    blocks, parts = [], {}
    for k in ks:
        S0, S1, c0, c1, W = _restricted(P, k)
        parts[k] = (c0, c1, W.T @ W)
        blocks += [c0[:, None], c1[:, None], S0, S1, W * c0[:, None], W * c1[:, None]]
    M = np.column_stack(blocks).T @ V  # one product over all draws and coefficients
    V2 = V * V
    out, i = {}, 0
    for k in ks:
        c0, c1, WtW = parts[k]
        n0, n1 = M[i], M[i + 1]
        R0, R1 = M[i + 2:i + 2 + K], M[i + 2 + K:i + 2 + 2 * K]
        T0, T1 = M[i + 2 + 2 * K:i + 2 + 3 * K], M[i + 2 + 3 * K:i + 2 + 4 * K]
        i += 2 + 4 * K
        WR0, WR1 = WtW @ R0, WtW @ R1
        q00 = (c0 * c0) @ V2 - 2 * np.einsum("kb,kb->b", R0, T0) + np.einsum("kb,kb->b", R0, WR0)
        q11 = (c1 * c1) @ V2 - 2 * np.einsum("kb,kb->b", R1, T1) + np.einsum("kb,kb->b", R1, WR1)
        q01 = ((c0 * c1) @ V2 - np.einsum("kb,kb->b", R1, T0) - np.einsum("kb,kb->b", R0, T1)
               + np.einsum("kb,kb->b", R0, WR1))
        out[k] = Test(float(P.beta[k]), float(P.se[k]), n0, n1, q00, q01, q11, P.corr)
    return out
