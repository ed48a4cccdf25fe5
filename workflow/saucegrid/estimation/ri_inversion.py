"""Confidence sets for the major developers' effects by inverting the randomization tests, and
a closed-testing procedure across the majors of a cell.

Every test here has the same null: *a major developer's models are no different, given compute
and period, from those of non-major developers of similar size* (its size group, placebos with
at least ``ri.min_models`` models). It is not the null that developers do not differ at all
(see :mod:`saucegrid.estimation.heterogeneity`).

**Shifting the null.** H0(δ): major d's effect relative to its size peers is δ (logits). Under
it, y − δ z_d is a null outcome, and since the null model's residual maker M0 is linear,

    r0(δ) = r0 − δ m,   m = M0 z_d,   beta_c(δ) = beta_c − δ · (Σ_{i∈c} m_i) / delta_c,

and each cluster's within sum of squares is a quadratic in δ. So the RI-t statistic of every
candidate at any δ costs O(clusters), never a refit; :func:`developer_pfun` returns p(δ) for an
array of δ. The 95% set {δ : p(δ) > α} is found by :func:`invert`: a grid around the estimate,
widened until both ends reject, each edge refined by bisection on the accept/reject indicator.
It is bounded only when the smallest attainable p, 1/(P+1), is ≤ α: at least 19 placebos.

**The mean major effect.** H0(δ): every major's effect is δ. The statistic is the sum of the
majors' studentized effects beside the null design with all majors moved into their size
groups, ranked against random sets of as many clusters from the majors and placebos together
(the joint RI test's sets); inverted the same way, it bounds the common (mean) effect.

**Closed testing.** H_I: the majors in I have no effect, for every non-empty subset I of the
majors. Each H_I is tested by the sum of the squared studentized effects of I, ranked against
random |I|-sets from the placebos and I together; major d is rejected at family-wise level α
when every H_I with d in I is (Marcus, Peritz and Gabriel 1976), and its adjusted p value is the
largest p_I over those I. The sum can reject where the maximum cannot: with P placebos and m
majors a max-|t| statistic never gets below m/(P+m) (0.16 for 10 majors and 53 placebos).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable

import numpy as np

from saucegrid.estimation.ri_base import TIE, Clusters

MIN_PLACEBOS = 19  # 1/(P+1) <= 0.05: a 5% test can reject, and its confidence set is bounded


def cross_within(a: np.ndarray, b: np.ndarray, cl: Clusters, codes: np.ndarray) -> np.ndarray:
    """Within-cluster cross sums Σ_{i∈c}(a_i − ā_c)(b_i − b̄_c) of the clusters `codes`."""
    n = cl.n[codes]
    return cl.sum(a * b)[codes] - cl.sum(a)[codes] * cl.sum(b)[codes] / n


class Shifted:
    """The candidates' effects and within sums of squares as functions of a shift δ of the
    outcome along z (the tested clusters' indicator): beta(δ) = beta − δ g, W(δ) = W0 − 2δ W1 +
    δ² W2 (arrays over the candidates)."""

    def __init__(self, X0: np.ndarray, y: np.ndarray, z: np.ndarray, cl: Clusters,
                 cands: np.ndarray):
        A0 = np.linalg.inv(X0.T @ X0)
        r0 = y - X0 @ (A0 @ (X0.T @ y))
        m = z - X0 @ (A0 @ (X0.T @ z))
        S = cl.sum(X0)[cands]
        self.delta = cl.n[cands] - np.einsum("ci,ij,cj->c", S, A0, S)
        self.beta = cl.sum(r0)[cands] / self.delta
        self.g = cl.sum(m)[cands] / self.delta
        self.n = cl.n[cands]
        self.W0 = cross_within(r0, r0, cl, cands)
        self.W1 = cross_within(r0, m, cl, cands)
        self.W2 = cross_within(m, m, cl, cands)

    def subset(self, keep: np.ndarray) -> Shifted:
        out = object.__new__(Shifted)
        for k in ("delta", "beta", "g", "n", "W0", "W1", "W2"):
            setattr(out, k, getattr(self, k)[keep])
        return out

    def at(self, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(beta, within SS), each (len(d) x candidates)."""
        d = np.asarray(d, float)[:, None]
        return self.beta - d * self.g, np.maximum(self.W0 - 2 * d * self.W1 + d * d * self.W2,
                                                  0.0)


def loo_t(beta: np.ndarray, within: np.ndarray, n: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """Row-wise :func:`saucegrid.estimation.randomization.studentize`: each candidate's effect over
    sqrt(tau² + sigma²/delta_c), the components from all the other candidates."""
    others = beta.shape[1] - 1
    sigma2 = (within.sum(1, keepdims=True) - within) / np.maximum((n.sum() - n) - others, 1)
    b2, inv = beta * beta, 1 / delta
    tau2 = np.maximum(0.0, ((b2.sum(1, keepdims=True) - b2) - sigma2 * (inv.sum() - inv))
                      / others)
    return beta / np.sqrt(tau2 + sigma2 / delta)


def rank_p_rows(obs: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Per row: (1 + #{ref >= obs, up to TIE}) / (1 + columns of ref)."""
    return (1 + np.sum(ref >= obs[:, None] * (1 - TIE) - TIE, axis=1)) / (1 + ref.shape[1])


def developer_pfun(sh: Shifted) -> Callable[[np.ndarray], np.ndarray]:
    """p(δ) of the RI-t test of H0: the first candidate's effect is δ."""
    def p(d):
        beta, within = sh.at(d)
        t = np.abs(loo_t(beta, within, sh.n, sh.delta))
        return rank_p_rows(t[:, 0], t[:, 1:])
    return p


def invert(pfun: Callable[[np.ndarray], np.ndarray], center: float, scale: float,
           alpha: float = 0.05, points: int = 101, widen: int = 8, bisect: int = 24
           ) -> tuple[float, float, bool]:
    """The hull (lo, hi) of {δ : pfun(δ) > alpha} around `center` (where the set must hold),
    and whether the grid found it connected. An end still accepted after `widen` doublings of
    the range is ±inf. Edges are exact to scale · 2^-bisect beyond the grid step."""
    half = 8.0 * max(scale, 1e-8)
    for _ in range(widen + 1):
        grid = center + np.linspace(-half, half, points)
        acc = pfun(grid) > alpha
        if not (acc[0] or acc[-1]):
            break
        half *= 2
    idx = np.flatnonzero(acc)
    if not len(idx):  # not even the centre: an empty set reported as the centre alone
        return float(center), float(center), False
    i, j = idx[0], idx[-1]
    connected = bool(acc[i:j + 1].all())

    def edge(inside: float, outside: float) -> float:
        for _ in range(bisect):
            mid = 0.5 * (inside + outside)
            if pfun(np.array([mid]))[0] > alpha:
                inside = mid
            else:
                outside = mid
        return inside

    lo = -np.inf if i == 0 else edge(grid[i], grid[i - 1])
    hi = np.inf if j == points - 1 else edge(grid[j], grid[j + 1])
    return float(lo), float(hi), connected


def developer_set(sh: Shifted, alpha: float = 0.05) -> tuple[float, float, bool]:
    """95% set for the first candidate's effect (its RI-t test inverted)."""
    beta, within = sh.at(np.zeros(1))
    t = loo_t(beta, within, sh.n, sh.delta)[0, 0]
    scale = abs(beta[0, 0] / t) if t else 1.0
    return invert(developer_pfun(sh), float(sh.beta[0]), scale, alpha)


# --------------------------------------------------------------------------------------------
# the joint tests: pool-scaled statistics


def pool_t(beta: np.ndarray, within: np.ndarray, n: np.ndarray, delta: np.ndarray
           ) -> np.ndarray:
    """Row-wise studentized effects with components from the whole pool (every set scaled
    alike), as :func:`saucegrid.estimation.randomization.variance_components`."""
    C = beta.shape[1]
    sigma2 = within.sum(1, keepdims=True) / max(n.sum() - C, 1)
    tau2 = np.maximum(0.0, np.mean(beta * beta - sigma2 / delta, axis=1, keepdims=True))
    return beta / np.sqrt(tau2 + sigma2 / delta)


def mean_pfun(sh: Shifted, obs: np.ndarray, sets: np.ndarray
              ) -> Callable[[np.ndarray], np.ndarray]:
    """p(δ) of H0: every major's effect is δ. obs: the majors' positions among the pool
    candidates; sets: R x m random positions. Statistic |Σ t| over a set."""
    def p(d):
        beta, within = sh.at(d)
        t = pool_t(beta, within, sh.n, sh.delta)
        return rank_p_rows(np.abs(t[:, obs].sum(1)), np.abs(t[:, sets].sum(2)))
    return p


def mean_set(sh: Shifted, obs: np.ndarray, sets: np.ndarray, alpha: float = 0.05
             ) -> tuple[float, float, float, bool]:
    """(estimate, lo, hi, connected) for the common effect of the majors: the estimate is the
    shift at which the majors' studentized sum is zero."""
    def total(d):
        beta, within = sh.at(d)
        return pool_t(beta, within, sh.n, sh.delta)[:, obs].sum(1)
    est = float(np.mean(sh.beta[obs]))
    scale = float(np.std(sh.beta) / np.sqrt(len(obs))) or 1.0
    a, b = est - 20 * scale, est + 20 * scale
    fa, fb = total(np.array([a, b]))
    if fa > 0 > fb:  # the sum falls with δ: bisect to its zero
        for _ in range(60):
            mid = 0.5 * (a + b)
            if total(np.array([mid]))[0] > 0:
                a = mid
            else:
                b = mid
        est = 0.5 * (a + b)
    lo, hi, connected = invert(mean_pfun(sh, obs, sets), est, scale, alpha)
    return est, lo, hi, connected


@functools.lru_cache(maxsize=64)
def random_subsets(pool: int, k: int, draws: int, seed: int) -> np.ndarray:
    """draws x k positions, each row k distinct of range(pool), seeded by (seed, pool, k)."""
    rng = np.random.default_rng([seed, 7, pool, k])
    return np.argsort(rng.random((draws, pool)), axis=1)[:, :k]


def closed_test(t2: np.ndarray, majors: np.ndarray, placebos: np.ndarray, draws: int,
                seed: int) -> np.ndarray:
    """Closed-testing adjusted p value of each major (positions into t2): the largest RI p
    over the subsets I containing it, each H_I tested by Σ_{I} t² against `draws` random
    |I|-sets from the placebos and I together (seeded by (seed, |I|, placebos))."""
    m, P = len(majors), len(placebos)
    adj = np.zeros(m)
    tp = t2[placebos]
    for k in range(1, m + 1):
        idx = random_subsets(P + k, k, draws, seed)
        # a draw's sum: its placebo members (shared by every I) plus the I members it took
        base = np.where(idx < P, tp[np.minimum(idx, P - 1)], 0.0).sum(1)
        used = np.zeros((k, draws))
        r, c = np.nonzero(idx >= P)
        used[idx[r, c] - P, r] = 1.0
        subsets = np.array(list(itertools.combinations(range(m), k)))
        own = t2[majors[subsets]]  # nI x k
        p = rank_p_rows(own.sum(1), base[None, :] + own @ used)
        for j in range(m):
            adj[j] = max(adj[j], p[(subsets == j).any(1)].max())
    return adj
