"""Randomization inference (RI) for developer effects identified by one cluster.

Each major developer is one cluster, so its effect rests on that cluster alone: CR1 over-rejects
and the wild cluster bootstrap under-rejects (MacKinnon and Webb 2017, 2018). RI compares the
developer with placebo developers instead (Conley and Taber 2011; MacKinnon and Webb 2020).

**Per developer effect.** For major developer d of a full-sample cell:

- the *null design* X0 drops d's dummy and puts d's models in the size group its mean log10
  compute puts it in, with the cell's cut points held fixed (other developers never move);
- the statistic of a cluster c is the coefficient of its indicator z_c added to X0: d's effect
  relative to the developers of its own size group (for c = d), or a placebo's (for an eligible
  non-major cluster: at least ``min_models`` models in the cell). By Frisch-Waugh-Lovell,

      beta_c = sum_{i in c} r0_i / (n_c - s_c' A0 s_c),   A0 = (X0'X0)^-1, r0 = M0 y,
      s_c = sum_{i in c} x0_i,

  and its CR1 standard error needs M0 z_c = z_c - X0 A0 s_c only: a one-column change to the
  design, O(n + k^2) per placebo, never a refit;
- RI-beta: p = (1 + #{placebos with |beta_p| >= |beta_d|}) / (1 + P); RI-t the same on t.

**Joint test of the secret sauce.** Random sets of eligible clusters, as many as the cell has
major dummies, get their own dummies in place of the majors' (the majors' models join their
size groups). The company Shapley share and the Wald statistic of the company terms (classical
OLS covariance: the CR1 one is singular for one-cluster effects) are computed for each set, from
cluster-level sums only, and the observed values are ranked among them: p =
(1 + #{draws at least as large}) / (1 + R). Draws are seeded by (seed, m, number of eligible
clusters), so they are deterministic.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from math import factorial

import numpy as np

from saucegrid.estimation import ri_inversion
from saucegrid.estimation.ri_base import TIE, Clusters, rank_p  # noqa: F401  (re-exported)


@dataclass(frozen=True)
class RI:
    """Settings of randomization inference (config.yaml key ``ri``)."""

    enabled: bool = True
    min_models: int = 3
    draws: int = 999
    seed: int = 20260225

    @classmethod
    def from_config(cls, cfg: dict | None) -> RI:
        cfg = dict(cfg or {})
        unknown = set(cfg) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown ri setting(s) {sorted(unknown)}")
        return cls(**cfg)


def null_design(X: np.ndarray, names: list[str], moves: dict[str, str | None]) -> tuple:
    """X without the dummies of `moves` (term -> the size-group column its developer joins, None
    for the baseline group), each developer's rows moved into that group."""
    X0 = X.copy()
    for term, gcol in moves.items():
        rows = X[:, names.index(term)] != 0
        if gcol is not None:
            X0[rows, names.index(gcol)] = 1.0
    keep = [j for j, n in enumerate(names) if n not in moves]
    return X0[:, keep], [names[j] for j in keep]


def indicator_effects(X0: np.ndarray, y: np.ndarray, cl: Clusters, cands: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coefficient of the indicator of each cluster in `cands`, added to X0 one at a time, its
    FWL denominator delta_c = n_c - s_c' A0 s_c (so its classical variance is sigma^2 /
    delta_c), and the null model's residuals r0."""
    A0 = np.linalg.inv(X0.T @ X0)
    r0 = y - X0 @ (A0 @ (X0.T @ y))
    S = cl.sum(X0)[cands]  # C x k0
    delta = cl.n[cands] - np.einsum("ci,ij,cj->c", S, A0, S)
    beta = cl.sum(r0)[cands] / delta
    return beta, delta, r0


def identified(delta: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Clusters whose indicator is not (near) collinear with the design: delta_c > 1e-8 n_c
    (e.g. not the only member of its size group). The others have no effect to rank."""
    return delta > 1e-8 * n


def _within(r0: np.ndarray, cl: Clusters, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sizes and within-cluster sums of squared deviations of r0, for the clusters `codes`."""
    n = cl.n[codes]
    sums = cl.sum(r0)[codes]
    return n, cl.sum(r0 * r0)[codes] - sums * sums / n


def variance_components(beta: np.ndarray, delta: np.ndarray, r0: np.ndarray, cl: Clusters,
                        codes: np.ndarray) -> tuple[float, float]:
    """(tau^2, sigma^2) of var(beta_c) = tau^2 + sigma^2 / delta_c by moments over reference
    clusters `codes` with effects `beta` and denominators `delta`: sigma^2 the pooled
    within-cluster variance of the null model's residuals r0 in them, tau^2 = max(0,
    mean(beta_c^2 - sigma^2 / delta_c))."""
    n, within = _within(r0, cl, codes)
    sigma2 = float(within.sum() / max(n.sum() - len(codes), 1))
    tau2 = max(0.0, float(np.mean(beta * beta - sigma2 / delta)))
    return tau2, sigma2


def developer_ri(X: np.ndarray, y: np.ndarray, names: list[str], codes: np.ndarray,
                 moves: dict[str, str | None], eligible: np.ndarray, alpha: float = 0.05,
                 sets: bool = True) -> dict[str, tuple]:
    """{term: (within-group effect, RI-beta p, RI-t p, placebos, 95% set low, high)} for every
    developer term of `moves`, against the eligible clusters (integer codes of `codes`).

    The t form studentizes every effect, the developer's and each placebo's, by the variance
    of a one-cluster effect under developer-level shocks, tau^2 + sigma^2 / delta_c, with tau^2
    and sigma^2 estimated from the other candidates, leave one out (the heteroskedasticity
    correction of Ferman and Pinto 2019 for a few treated groups of unequal size). Placebos
    whose indicator is collinear with the design are left out. The CR1 standard error is no use
    here: a cluster's score on its own indicator is zero, so it measures leverage, not noise.

    With fewer than ``ri_inversion.MIN_PLACEBOS`` placebos no p value can fall below 0.05 and
    no set is bounded: the p values and the set are NaN (the effect and the count stay). The
    set inverts the RI-t test (``ri_inversion``)."""
    cl = Clusters(codes)
    out = {}
    none = (np.nan, np.nan, np.nan, 0, np.nan, np.nan)
    for term, gcol in moves.items():
        z = (X[:, names.index(term)] != 0).astype(float)
        own = np.unique(codes[z != 0])
        X0, _ = null_design(X, names, {term: gcol})
        if np.linalg.matrix_rank(X0) < X0.shape[1] or not len(eligible):
            out[term] = none
            continue
        cands = np.concatenate([own[:1], eligible])
        sh = ri_inversion.Shifted(X0, y, z, cl, cands)
        ok = identified(sh.delta, cl.n[cands])
        if not ok[0] or ok.sum() < 3:
            out[term] = none
            continue
        sh = sh.subset(ok)
        beta, placebos = float(sh.beta[0]), int(ok.sum() - 1)
        if placebos < ri_inversion.MIN_PLACEBOS:
            out[term] = (beta, np.nan, np.nan, placebos, np.nan, np.nan)
            continue
        t = ri_inversion.loo_t(sh.beta[None], sh.W0[None], sh.n, sh.delta)[0]
        lo, hi, _ = ri_inversion.developer_set(sh, alpha) if sets else (np.nan, np.nan, 0)
        out[term] = (beta, rank_p(abs(sh.beta[0]), np.abs(sh.beta[1:])),
                     rank_p(abs(t[0]), np.abs(t[1:])), placebos, lo, hi)
    return out


def studentize(beta, delta, r0, cl: Clusters, cands: np.ndarray) -> np.ndarray:
    """beta_c / sqrt(tau^2 + sigma^2 / delta_c) for every candidate, the tested developer
    (first) and its placebos alike: the components of cluster c come from all the other
    candidates (leave one out), so no statistic is scaled by its own value and the ranking is
    symmetric in the clusters (``ri_inversion.loo_t`` for one row)."""
    n, within = _within(r0, cl, cands)
    return ri_inversion.loo_t(np.asarray(beta)[None], within[None], n, delta)[0]


# --------------------------------------------------------------------------------------------
# the joint test


def _shapley_company(C: np.ndarray, gcols: dict[str, list[int]]) -> tuple:
    """Batched exact Shapley share of the group 'company' from centred cross-products C
    (R x K x K, the last row/column y), with R² of the full model and of the model without
    the company group."""
    names = list(gcols)
    K = len(names)
    kc = names.index("company")
    yy = C[:, -1, -1]
    r2 = {}
    for r in range(K + 1):
        for S in itertools.combinations(range(K), r):
            cols = [c for g in S for c in gcols[names[g]]]
            if not cols:
                r2[S] = np.zeros(len(C))
                continue
            b = C[:, cols, -1]
            sol = np.linalg.solve(C[:, cols][:, :, cols], b[..., None])[..., 0]
            r2[S] = np.einsum("ri,ri->r", b, sol) / yy
    phi = np.zeros(len(C))
    others = [j for j in range(K) if j != kc]
    for r in range(K):
        w = factorial(r) * factorial(K - r - 1) / factorial(K)
        for S in itertools.combinations(others, r):
            phi += w * (r2[tuple(sorted(S + (kc,)))] - r2[S])
    return phi, r2[tuple(range(K))], r2[tuple(others)]


def set_statistics(X0: np.ndarray, names0: list[str], y: np.ndarray, cl: Clusters,
                   sets: np.ndarray, groups: dict[str, list[str]], size_cols: list[str],
                   k: int) -> tuple[np.ndarray, np.ndarray]:
    """For each row of `sets` (R x m cluster codes): the company Shapley share, and the Wald
    statistic of the company terms (the size-group columns and the m set dummies) under the
    classical OLS covariance, as F = (ΔR² / q) / ((1 − R²) / (n − k)), when those clusters get
    their own dummies beside X0. From cluster-level sums only.

    (The CR1 Wald statistic is undefined here: a cluster's score on its own dummy is zero, so
    the CR1 covariance of one-cluster effects is singular. RI needs no correct variance: any
    statistic ranked against its own placebo distribution gives a valid test.)"""
    R, m = sets.shape
    n = len(y)
    k0 = X0.shape[1]
    # uncentred cross-products of [X0, Z, y] per draw
    Sx, Sy = cl.sum(X0), cl.sum(y)
    K = k0 + m + 1
    full = np.zeros((R, K, K))
    full[:, :k0, :k0] = X0.T @ X0
    Zx = Sx[sets]  # R x m x k0
    full[:, k0:k0 + m, :k0] = Zx
    full[:, :k0, k0:k0 + m] = Zx.transpose(0, 2, 1)
    full[:, k0:k0 + m, k0:k0 + m] = np.einsum("rm,mj->rmj", cl.n[sets], np.eye(m))
    full[:, :k0, -1] = full[:, -1, :k0] = X0.T @ y
    full[:, k0:k0 + m, -1] = full[:, -1, k0:k0 + m] = Sy[sets]
    full[:, -1, -1] = y @ y
    # a set whose dummy is collinear with the design (e.g. the only member of its size group)
    # is not a valid placebo: NaN, left out of the reference distribution
    ok = _well_conditioned(full[:, :-1, :-1], scaled=True)
    const = names0.index("const")
    sel = [j for j in range(K) if j != const]
    mean = full[:, const, :] / n  # column means: the constant's row holds the sums
    C = full[:, sel][:, :, sel] - n * np.einsum("ri,rj->rij", mean[:, sel], mean[:, sel])
    C[~ok] = np.eye(K - 1)
    pos = {nm: i for i, nm in enumerate(n for j, n in enumerate(names0) if j != const)}
    gcols = {g: [pos[c] for c in cols if c in pos] for g, cols in groups.items()}
    gcols["company"] = [pos[c] for c in size_cols if c in pos] + \
        list(range(k0 - 1, k0 - 1 + m))
    share, r2, r2_rest = _shapley_company(C, gcols)
    q = len(gcols["company"])
    F = ((r2 - r2_rest) / q) / ((1 - r2) / (n - k))
    return np.where(ok, share, np.nan), np.where(ok, F, np.nan)


def _well_conditioned(M: np.ndarray, tol: float = 1e-10, scaled: bool = False) -> np.ndarray:
    """Per symmetric matrix of a stack: finite, and its smallest eigenvalue above tol x its
    largest; `scaled`: of the matrix scaled to a unit diagonal (for cross-products of columns
    on different scales)."""
    finite = np.all(np.isfinite(M), axis=(1, 2))
    M = np.where(finite[:, None, None], M, 0.0)
    if scaled:
        d = np.sqrt(np.maximum(np.einsum("rii->ri", M), 1e-300))
        M = M / d[:, :, None] / d[:, None, :]
    ev = np.linalg.eigvalsh(M)
    return finite & (ev[:, 0] > tol * np.maximum(ev[:, -1], 1e-300))


def joint_ri(X: np.ndarray, y: np.ndarray, names: list[str], codes: np.ndarray,
             groups: dict[str, list[str]], moves: dict[str, str | None], size_cols: list[str],
             eligible: np.ndarray, cfg: RI, alpha: float = 0.05) -> dict[str, float]:
    """The joint RI test of the developer effects of one cell: observed company share and Wald
    F (recomputed through the same code with the majors as the set), their RI p values and the
    number of random sets; with at least ``ri_inversion.MIN_PLACEBOS`` placebos also the 95%
    set of the majors' common effect (``mean_major_*``) and each major's closed-testing
    adjusted p value (``closed_p``, term -> p)."""
    nan = {"company_share_ri_p": np.nan, "company_wald_ri_p": np.nan,
           "company_t2_ri_p": np.nan, "ri_sets": 0}
    m = len(moves)
    if m == 0 or len(eligible) < m:
        return nan
    cl = Clusters(codes)
    X0, names0 = null_design(X, names, moves)
    if np.linalg.matrix_rank(X0) < X0.shape[1]:
        return nan
    own = np.array([np.unique(codes[X[:, names.index(t)] != 0])[0] for t in moves])
    # the observed set is one draw among all sets of m clusters from the majors and the
    # eligible developers together: under the null they are exchangeable
    pool = np.union1d(own, eligible)
    rng = np.random.default_rng([cfg.seed, m, len(pool)])
    sets = np.stack([rng.choice(pool, size=m, replace=False) for _ in range(cfg.draws)])
    groups0 = {g: [c for c in cols if c in names0] for g, cols in groups.items()
               if g != "company" and any(c in names0 for c in cols)}
    all_sets = np.vstack([own[None, :], sets])
    share, F = set_statistics(X0, names0, y, cl, all_sets, groups0, size_cols, X.shape[1])
    # the studentized sum: each pool cluster's one-at-a-time effect beside X0, scaled by its
    # variance under developer shocks (components from the whole pool, so every set is scaled
    # alike), squared and summed over the set's members
    z = (X[:, [names.index(t) for t in moves]] != 0).any(axis=1).astype(float)
    sh = ri_inversion.Shifted(X0, y, z, cl, pool)
    ok = identified(sh.delta, cl.n[pool])  # a set with an unidentified member is no draw
    sh = sh.subset(ok)
    t = ri_inversion.pool_t(sh.beta[None], sh.W0[None], sh.n, sh.delta)[0]
    t2 = np.full(cl.G, np.nan)
    t2[pool[ok]] = t * t
    T = t2[all_sets].sum(axis=1)
    out = {"company_share_ri_p": rank_p(share[0], share[1:]),
           "company_wald_ri_p": rank_p(F[0], F[1:]),
           "company_t2_ri_p": rank_p(T[0], T[1:]), "ri_sets": int(cfg.draws),
           "company_share_obs": float(share[0]), "company_wald_obs": float(F[0]),
           "company_t2_obs": float(T[0])}
    # positions among the identified pool: the majors, the placebos and the random sets
    pos = np.full(cl.G, -1)
    pos[pool[ok]] = np.arange(ok.sum())
    obs, plc = pos[own], pos[np.setdiff1d(eligible, own)]
    plc = plc[plc >= 0]
    if (obs >= 0).all() and len(plc) >= ri_inversion.MIN_PLACEBOS:
        draws = pos[sets]
        draws = draws[(draws >= 0).all(axis=1)]
        est, lo, hi, _ = ri_inversion.mean_set(sh, obs, draws, alpha)
        out.update({"mean_major_effect": est, "mean_major_ci_low": lo,
                    "mean_major_ci_high": hi})
        adj = ri_inversion.closed_test(t * t, obs, plc, cfg.draws, cfg.seed)
        out["closed_p"] = dict(zip(moves, adj.tolist(), strict=True))
    return out


# --------------------------------------------------------------------------------------------
# one grid cell


def moves_and_eligible(d, names: list[str], single: set[str], cfg: RI
                       ) -> tuple[dict[str, str | None], np.ndarray, np.ndarray]:
    """The RI setting of a cell: each one-cluster major term and the size-group column its
    developer joins under the null (None: the baseline group); the eligible placebo clusters
    (non-major developers with at least ``cfg.min_models`` models); the cluster codes."""
    from saucegrid.data.sample.construct import size_group

    prep = d.prepared
    majors = set(prep.majors)
    major_terms = [t for t in d.groups["company"]
                   if t.startswith("dev:") and t[4:] in majors and t in single]
    _, codes = np.unique(d.clusters, return_inverse=True)
    nonmajor = prep.group_code[d.rows] >= len(prep.majors)
    n_c = np.bincount(codes, minlength=codes.max() + 1)
    n_nm = np.bincount(codes, weights=nonmajor, minlength=codes.max() + 1)
    eligible = np.flatnonzero((n_nm == n_c) & (n_c >= cfg.min_models))
    moves = {}
    for t in major_terms:
        rows = d.X[:, names.index(t)] != 0
        grp = str(size_group(d.log10_flops[rows].mean(), prep.size_cuts))
        gcol = None if grp == d.baseline_group else f"dev:{grp}"
        if gcol is None or gcol in names:
            moves[t] = gcol
    return moves, eligible, codes


def ri_cell(d, names: list[str], single: set[str], cfg: RI, sets: bool = True
         ) -> tuple[dict, dict]:
    """RI of one fitted cell (a Design `d` whose baseline is a non-major size group): per
    major-developer term (within-group effect, RI-beta p, RI-t p, placebos, 95% set low and
    high, closed-testing adjusted p), and the joint tests. A major whose size group has no
    column in the cell (an empty group) gets no RI; with fewer than 19 placebo developers no
    RI p value is reported (``ri_note`` says so). sets=False skips the per-major sets (the
    simulation's replications do not need them)."""
    moves, eligible, codes = moves_and_eligible(d, names, single, cfg)
    per = developer_ri(d.X, d.y, names, codes, moves, eligible, sets=sets)
    size_cols = [c for c in d.groups["company"] if c.startswith("dev:other-")]
    joint = joint_ri(d.X, d.y, names, codes, d.groups, moves, size_cols, eligible, cfg)
    if moves and len(eligible) < ri_inversion.MIN_PLACEBOS:
        joint = {**joint, "company_share_ri_p": np.nan, "company_wald_ri_p": np.nan,
                 "company_t2_ri_p": np.nan,
                 "ri_note": f"{len(eligible)} placebo developers (< {ri_inversion.MIN_PLACEBOS}"
                            "): no RI p value could fall below 0.05, none is reported"}
    closed = joint.pop("closed_p", {})
    per = {t: (*v, closed.get(t, np.nan)) for t, v in per.items()}
    return per, joint
