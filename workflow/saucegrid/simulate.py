"""Size and power of CR1, the wild cluster restricted bootstrap and randomization inference for
the developer effects, on synthetic outcomes shaped like the real sample.

The design is a real cell's: the same models, clusters, compute, periods and developer groups.
Outcomes are drawn as

    y* = b0 + b_c log10 FLOPs + period effects + [effect of the tested developer(s)]
         + tau * eta_g + sigma * eps_i,

with the coefficients of the real fit and eta, eps standard normal. Two nulls:

- ``developer_sd="zero"``: developer effects truly zero (tau = 0; sigma the real fit's total
  residual standard deviation);
- ``developer_sd="fitted"``: every developer, major or not, has a random effect tau * eta_g, with
  tau and sigma the between- and within-developer residual standard deviations of the real fit
  (method of moments). Majors are then no different from other developers, but a cluster shock
  is exactly what a single-cluster effect cannot be told apart from, and larger developers
  explain more variance.

Each replication tests one major developer (in turn) with CR1 (t(G-1)), WCR (null imposed) and
RI (-beta and -t), and all of them jointly with CR1 and WCR Bonferroni and the two RI joint
tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import bootstrap as WB
from . import estimate as E
from . import randomization as RI
from .grid import bonferroni, one_cluster_terms


@dataclass
class Shape:
    """What a replication keeps from the real cell."""

    d: object  # the Design
    mean: np.ndarray  # the fitted outcome without any developer-group term
    tau: float
    sigma: float
    codes: np.ndarray
    majors: list[str]  # the one-cluster major-developer terms


def shape(d) -> Shape:
    f = E.fit(d)
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
    return Shape(d, mean, np.sqrt(tau2), np.sqrt(sigma2), codes, majors)


def replicate(sh: Shape, rng: np.random.Generator, tested: str, effects: dict[str, float],
              wcr: WB.WCR, ri: RI.RI, alpha: float = 0.05) -> dict[str, bool]:
    """One synthetic outcome; which tests reject at alpha."""
    d = sh.d
    y = sh.mean + sh.tau * rng.standard_normal(sh.codes.max() + 1)[sh.codes] \
        + sh.sigma * rng.standard_normal(len(sh.codes))
    for t, b in effects.items():
        y = y + b * d.X[:, d.names.index(t)]
    f = E.ols_cluster(y, d.X, d.clusters, names=d.names)
    k = d.names.index(tested)
    out = {"CR1": f.p[k] < alpha}
    P = WB.prepare(d.X, y, d.clusters)
    V, _ = WB.cached_draws(P.G, wcr.draws, wcr.kind(P.G), wcr.seed)
    ks = [d.names.index(t) for t in sh.majors]
    tests = WB.test_many(P, ks, V)
    p_wcr = WB.pvalues([tests[j] for j in ks])
    out["WCR"] = p_wcr[ks.index(k)] < alpha
    d_y = _with_y(d, y)
    per, joint = RI.cell(d_y, d.names, set(sh.majors), ri)
    out["RI-β"] = per[tested][1] < alpha
    out["RI-t"] = per[tested][2] < alpha
    out["joint CR1 (Bonferroni)"] = bonferroni([f.p[j] for j in ks]) < alpha
    out["joint WCR (Bonferroni)"] = bonferroni(p_wcr) < alpha
    out["joint RI (company share)"] = joint["company_share_ri_p"] < alpha
    out["joint RI (Wald)"] = joint["company_wald_ri_p"] < alpha
    out["joint RI (studentized)"] = joint["company_t2_ri_p"] < alpha
    return out


def _with_y(d, y):
    from dataclasses import replace

    return replace(d, y=y, cross=None)


def size_power(d, reps: int = 500, effect: float | None = None, paper_effects: dict | None = None,
               wcr: WB.WCR | None = None, ri: RI.RI | None = None, seed: int = 1,
               alpha: float = 0.05, developer_sd: str = "zero") -> pd.Series:
    """Rejection rate of every test over `reps` replications. Null (effect None): no major
    developer effect. Power: the tested developer has `effect` (or its paper value from
    `paper_effects`, term -> effect), and for the joint tests every major has its paper
    value. `developer_sd`: "zero" or "fitted" (see the module docstring)."""
    sh = shape(d)
    if developer_sd == "zero":
        sh.sigma, sh.tau = float(np.hypot(sh.sigma, sh.tau)), 0.0
    elif developer_sd != "fitted":
        raise ValueError(f"developer_sd must be zero or fitted, got {developer_sd!r}")
    wcr = wcr or WB.WCR(draws=199, ci=False, one_cluster=True)
    ri = ri or RI.RI(draws=199)
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(reps):
        tested = sh.majors[r % len(sh.majors)]
        if effect is None and paper_effects is None:
            eff = {}
        else:
            eff = {t: (paper_effects or {}).get(t, effect or 0.0) for t in sh.majors}
            if effect is not None:
                eff[tested] = effect
        rows.append(replicate(sh, rng, tested, eff, wcr, ri, alpha))
    return pd.DataFrame(rows).mean()


TESTS = ["CR1", "WCR", "RI-β", "RI-t", "joint CR1 (Bonferroni)", "joint WCR (Bonferroni)",
         "joint RI (company share)", "joint RI (Wald)", "joint RI (studentized)"]


def table(d, paper_effects: dict, reps: int = 500, seed: int = 1) -> pd.DataFrame:
    """Rejection rates at 5% under both nulls and with the paper's effects."""
    cols = {
        "size: no developer effects": size_power(d, reps, seed=seed, developer_sd="zero"),
        "size: random developer effects, majors not special": size_power(
            d, reps, seed=seed + 1, developer_sd="fitted"),
        "power: the paper's Table C.1 (1) effects": size_power(
            d, reps, paper_effects=paper_effects, seed=seed + 2, developer_sd="zero"),
    }
    return pd.DataFrame(cols).loc[TESTS]


def markdown(tab: pd.DataFrame, d, reps: int) -> str:
    sh = shape(d)
    return "\n".join([
        "# Size and power of the developer-effect tests", "",
        f"{reps} replications per column on outcomes simulated on the baseline MMLU-Pro cell's "
        f"design ({d.n} models, {len(np.unique(d.clusters))} developers; each of the "
        f"{len(sh.majors)} majors tested in turn): the real fit's compute slope and period "
        f"effects, residual sd {np.hypot(sh.sigma, sh.tau):.3f} (between developers "
        f"{sh.tau:.3f}, within {sh.sigma:.3f}). Rejection rates of 5% tests; the size target "
        "is [2%, 9%]. WCR: B = 199 (Rademacher); RI: every non-major developer with at least "
        "3 models as a placebo, joint tests over 199 random sets. Module `saucegrid.simulate`.",
        "", tab.map(lambda x: f"{100 * x:.1f}%").to_markdown(), ""])
