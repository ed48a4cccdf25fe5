"""Size and power of every test of the developer effects, on synthetic outcomes shaped like the
real sample, with developer-level shocks.

The design is a real cell's: the same models, clusters, compute, periods and developer groups.
Outcomes are drawn as

    y* = b0 + b_c log10 FLOPs + period effects + [effects of the majors]
         + tau_g * eta_g + sigma * s_i * eps_i,

with the coefficients of the real fit, eta standard normal, tau the between-developer and sigma
the within-developer residual sd of the real fit (method of moments). A scenario sets:

- ``developer_sd``: "zero" (tau = 0, sigma the total residual sd) or "fitted";
- ``major_ratio``: the majors' shock sd as a multiple of the placebos' (1, 1.5, 2: under 1.5
  and 2 the majors differ from their peers in *spread*, not in mean, which is what the RI null
  of exchangeability rules out);
- ``errors``: "normal"; "empirical" (the real fit's within-developer residuals, resampled and
  scaled to unit variance: their excess kurtosis is about 9); or "heavy", a stress test (t(5)
  scaled to unit variance, with an sd that grows with compute, s_i = exp(0.35 z_i), z the
  standardized log compute: a 16-fold variance range over ±2 sd, far more than the real
  residuals show);
- the majors' true effects (relative to their size peers: each major's effect is added to its
  models' outcomes).

Each replication tests one major in turn (CR1 with t(G-1), WCR with the null imposed, RI-β,
RI-t), all majors jointly (CR1 / WCR Bonferroni, the three RI joint statistics), the majors by
closed testing (a rejection of any major whose true effect is zero is a family-wise error),
the majors' mean effect (its inverted RI set misses the true mean), and whether developers
differ at all (the developer F test, classical and by the wild restricted bootstrap).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from saucegrid.estimation import bootstrap, estimate, heterogeneity, randomization
from saucegrid.estimation.estimate import bonferroni, one_cluster_terms
from saucegrid.estimation.specs import LOG_FLOPS


@dataclass
class Shape:
    """What a replication keeps from the real cell."""

    d: object  # the Design
    mean: np.ndarray  # the fitted outcome without any developer-group term
    tau: float
    sigma: float
    codes: np.ndarray
    majors: list[str]  # the one-cluster major-developer terms
    beta_c: float
    estimates: dict  # each major's CR1 coefficient in the real fit
    within: np.ndarray  # the real fit's within-developer residuals, unit variance


def shape(d) -> Shape:
    f = estimate.fit(d)
    company = set(d.groups["company"])
    keep = np.array([n not in company for n in f.names])
    mean = d.X[:, keep] @ f.coef[keep]
    _, codes = np.unique(d.clusters, return_inverse=True)
    e = f.resid
    n_g = np.bincount(codes)
    m_g = np.bincount(codes, weights=e) / n_g
    within = e - m_g[codes]
    sigma2 = float(within @ within / max(len(e) - len(n_g), 1))
    tau2 = max(0.0, float(np.var(m_g[n_g > 1])) - sigma2 * float(np.mean(1 / n_g[n_g > 1])))
    single = one_cluster_terms(d.X, f.names, d.clusters)
    majors = [t for t in d.groups["company"]
              if t in single and t.startswith("dev:") and t[4:] in d.prepared.majors]
    w = within[n_g[codes] > 1]
    return Shape(d, mean, np.sqrt(tau2), np.sqrt(sigma2), codes, majors, f[LOG_FLOPS],
                 {t: f[t] for t in majors}, (w - w.mean()) / w.std())


@dataclass(frozen=True)
class Scenario:
    developer_sd: str = "fitted"  # zero | fitted
    major_ratio: float = 1.0
    errors: str = "normal"  # normal | empirical | heavy


TESTS = ["CR1", "WCR", "RI-β", "RI-t", "joint CR1 (Bonferroni)", "joint WCR (Bonferroni)",
         "joint RI (company share)", "joint RI (Wald)", "joint RI (studentized)",
         "closed testing (the tested major)", "closed testing (a null major rejected)",
         "mean-major set misses the true mean", "mean-major set excludes 0",
         "developer F (classical)", "developer F (wild bootstrap)"]


def draw(sh: Shape, rng: np.random.Generator, sc: Scenario, effects: dict[str, float]
         ) -> np.ndarray:
    d = sh.d
    n, G = len(sh.codes), sh.codes.max() + 1
    if sc.developer_sd == "zero":
        tau, sigma = 0.0, float(np.hypot(sh.sigma, sh.tau))
    elif sc.developer_sd == "fitted":
        tau, sigma = sh.tau, sh.sigma
    else:
        raise ValueError(f"developer_sd must be zero or fitted, got {sc.developer_sd!r}")
    scale = np.full(G, tau)
    for t in sh.majors:
        scale[np.unique(sh.codes[d.X[:, d.names.index(t)] != 0])] *= sc.major_ratio
    if sc.errors == "heavy":
        z = (d.log10_flops - d.log10_flops.mean()) / d.log10_flops.std()
        s = np.exp(0.35 * z)
        eps = rng.standard_t(5, n) / np.sqrt(5 / 3) * s / np.sqrt(np.mean(s * s))
    elif sc.errors == "empirical":
        eps = rng.choice(sh.within, size=n)
    elif sc.errors == "normal":
        eps = rng.standard_normal(n)
    else:
        raise ValueError(f"errors must be normal, empirical or heavy, got {sc.errors!r}")
    y = sh.mean + scale[sh.codes] * rng.standard_normal(G)[sh.codes] + sigma * eps
    for t, b in effects.items():
        y = y + b * d.X[:, d.names.index(t)]
    return y


def replicate(sh: Shape, rng: np.random.Generator, tested: str, effects: dict[str, float],
              sc: Scenario, wcr: bootstrap.WCR, ri: randomization.RI,
              alpha: float = 0.05) -> dict[str, bool]:
    """One synthetic outcome; which tests reject at alpha (NaN where a test is undefined)."""
    d = sh.d
    y = draw(sh, rng, sc, effects)
    f = estimate.ols_cluster(y, d.X, d.clusters, names=d.names)
    k = d.names.index(tested)
    out = {"CR1": f.p[k] < alpha}
    P = bootstrap.prepare(d.X, y, d.clusters)
    V, _ = bootstrap.cached_draws(P.G, wcr.draws, wcr.kind(P.G), wcr.seed)
    ks = [d.names.index(t) for t in sh.majors]
    tests = bootstrap.test_many(P, ks, V)
    p_wcr = bootstrap.pvalues([tests[j] for j in ks])
    out["WCR"] = p_wcr[ks.index(k)] < alpha
    per, joint = randomization.ri_cell(replace(d, y=y, cross=None), d.names, set(sh.majors), ri,
                                    sets=False)
    out["RI-β"] = per[tested][1] < alpha
    out["RI-t"] = per[tested][2] < alpha
    out["joint CR1 (Bonferroni)"] = bonferroni([f.p[j] for j in ks]) < alpha
    out["joint WCR (Bonferroni)"] = bonferroni(p_wcr) < alpha
    out["joint RI (company share)"] = joint["company_share_ri_p"] < alpha
    out["joint RI (Wald)"] = joint["company_wald_ri_p"] < alpha
    out["joint RI (studentized)"] = joint["company_t2_ri_p"] < alpha
    out["closed testing (the tested major)"] = per[tested][6] <= alpha
    nulls = [t for t in sh.majors if effects.get(t, 0.0) == 0.0]
    out["closed testing (a null major rejected)"] = (
        any(per[t][6] <= alpha for t in nulls) if nulls else np.nan)
    truth = float(np.mean([effects.get(t, 0.0) for t in sh.majors]))
    lo, hi = joint.get("mean_major_ci_low", np.nan), joint.get("mean_major_ci_high", np.nan)
    out["mean-major set misses the true mean"] = (not lo <= truth <= hi) \
        if np.isfinite(lo) else np.nan
    out["mean-major set excludes 0"] = (not lo <= 0 <= hi) if np.isfinite(lo) else np.nan
    rest = [j for j, n in enumerate(d.names) if n not in d.groups["company"]]
    het = heterogeneity.developer_f(d.X[:, rest], y, sh.codes, draws=199,
                                    seed=int(rng.integers(1 << 30)))
    out["developer F (classical)"] = het["p"] < alpha
    out["developer F (wild bootstrap)"] = het["p_wild"] < alpha
    return out


def rates(sh: Shape, reps: int, sc: Scenario, effects: dict[str, float] | None = None,
          tested_effect: float | None = None, seed: int = 1, wcr: bootstrap.WCR | None = None,
          ri: randomization.RI | None = None, alpha: float = 0.05) -> pd.Series:
    """Rejection rates over `reps` replications. `effects`: every major's true effect (term ->
    logits; default none); `tested_effect`: the tested major's effect instead of its entry."""
    wcr = wcr or bootstrap.WCR(draws=199, ci=False, one_cluster=True)
    ri = ri or randomization.RI(draws=199)
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(reps):
        tested = sh.majors[r % len(sh.majors)]
        eff = {t: (effects or {}).get(t, 0.0) for t in sh.majors}
        if tested_effect is not None:
            eff[tested] = tested_effect
        rows.append(replicate(sh, rng, tested, eff, sc, wcr, ri, alpha))
    return pd.DataFrame(rows).astype(float).mean()


def size_power(d, reps: int = 500, seed: int = 1, scenario: Scenario = Scenario(),
               effects: dict | None = None, tested_effect: float | None = None) -> pd.Series:
    """Rejection rates of every test on the design of cell `d` (see the module docstring)."""
    return rates(shape(d), reps, scenario, effects, tested_effect, seed)
