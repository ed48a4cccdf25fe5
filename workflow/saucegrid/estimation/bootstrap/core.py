"""The wild cluster restricted (WCR) bootstrap of one OLS fit: the per-draw quantities of every
coefficient and their p values.

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

from dataclasses import dataclass

import numpy as np

from saucegrid.estimation.bootstrap.tstats import DRAW_FIELDS, abs_t, abs_tstar, extreme_bar


@dataclass
class PreparedFit:
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


def prepare(X: np.ndarray, y: np.ndarray, clusters) -> PreparedFit:
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
    return PreparedFit(X, y, codes, G, A, H, S, beta, np.sqrt(np.clip(np.diag(V), 0, None)), corr)


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


def _x_parts(P: PreparedFit, k: int):
    """For coefficient k, what depends on X alone: the scores S_1 = H_g a / A_kk of x~
    (S~ = S + (beta_k - b0) S_1), c_1 = S_1'a = a'H_g a / A_kk (c_g = s_g'a + (beta_k - b0)
    c_1) and W (rows w_g' = a'H_g A)."""
    a = P.A[:, k]
    h = np.einsum("gij,j->gi", P.H, a)
    S1 = h / P.A[k, k]
    return S1, S1 @ a, h @ P.A


def test(P: PreparedFit, k: int, V: np.ndarray) -> Test:
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


def x_part(P: PreparedFit, ks: list[int], V: np.ndarray) -> XPart:
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


def test_many(P: PreparedFit, ks: list[int], V: np.ndarray,
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


def pvalues(tests: list[Test], b0: float = 0.0) -> np.ndarray:
    """The WCR p value of every test at the same null b0: the share of draws with
    |t*| >= |t| up to a relative TIE."""
    if not tests:
        return np.zeros(0)
    F = [np.stack([getattr(t, f) for t in tests]) for f in DRAW_FIELDS]
    corr = np.array([t.corr for t in tests])[:, None]
    t = abs_t(np.array([x.beta for x in tests]), np.array([x.se for x in tests]), b0)
    return np.mean(abs_tstar(*F, corr, b0) >= extreme_bar(t)[:, None], axis=1)
