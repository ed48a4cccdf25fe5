"""A confidence set for a ratio of two coefficients, r = γ / β, by inverting the wild cluster
restricted bootstrap (the WCR analogue of Fieller's method).

H0(r): γ − r β = 0. Replacing the column x of β by z = x + r d, where d is the column of γ, the
model y = β x + γ d + ... becomes y = β z + θ d + ... with θ = γ − r β; so H0(r) is the single
restriction θ = 0, tested by the WCR bootstrap of d's coefficient in the transformed design. The
set {r : p(r) > α} is found on a grid around the estimate, widened until both ends reject and
each edge refined by bisection (:func:`saucegrid.estimation.ri_inversion.invert`). Like
Fieller's set it is unbounded when β is not distinguishable from 0 (the ends never reject):
NaN is returned then.
"""

from __future__ import annotations

import numpy as np

from saucegrid.estimation.bootstrap.core import prepare, pvalues, test
from saucegrid.estimation.bootstrap.draws import cached_draws, choose_weights
from saucegrid.estimation.ri_inversion import invert


def ratio_pvalue(X: np.ndarray, y: np.ndarray, codes: np.ndarray, i_beta: int, i_gamma: int,
                 r: float, V: np.ndarray) -> float:
    """The WCR p value of H0: γ − r β = 0 with cluster weights V (G x B)."""
    Xr = np.array(X, float)
    Xr[:, i_beta] = Xr[:, i_beta] + r * Xr[:, i_gamma]
    return float(pvalues([test(prepare(Xr, y, codes), i_gamma, V)], 0.0)[0])


def ratio_set(X: np.ndarray, y: np.ndarray, clusters, i_beta: int, i_gamma: int,
              draws: int = 9999, seed: int = 20260225, alpha: float = 0.05,
              webb_max_clusters: int = 12) -> tuple[float, float, float]:
    """(estimate, low, high) of γ/β, the columns i_gamma / i_beta of X; the set at 1 − alpha."""
    X = np.asarray(X, float)
    _, codes = np.unique(np.asarray(clusters), return_inverse=True)
    G = int(codes.max()) + 1
    V, _ = cached_draws(G, draws, choose_weights(G, webb_max_clusters), seed)
    P0 = prepare(X, y, codes)
    b, g = float(P0.beta[i_beta]), float(P0.beta[i_gamma])
    est = g / b

    def p(rs: np.ndarray) -> np.ndarray:
        return np.array([ratio_pvalue(X, y, codes, i_beta, i_gamma, r, V) for r in rs])

    # scale: the delta-method SE of the ratio from the CR1 covariance
    A, S = P0.A, P0.S
    Vc = A @ (S.T @ S) @ A * P0.corr
    grad = np.zeros(X.shape[1])
    grad[i_gamma], grad[i_beta] = 1 / b, -g / (b * b)
    scale = float(np.sqrt(max(grad @ Vc @ grad, 1e-12)))
    lo, hi, _ = invert(p, est, scale, alpha, points=41, widen=6, bisect=18)
    return est, lo, hi
