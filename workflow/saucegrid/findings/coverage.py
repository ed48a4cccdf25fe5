"""Do the ledger's 95% intervals cover? A simulation on the real design (named target
``results/inference/interval_coverage.md``).

The outcome is drawn as the real fit's linear predictor (every coefficient, the majors' effects
included, held fixed: the ledger's claims are about these named majors) plus a developer shock
τ·η for each non-major developer and σ·ε for each model (τ, σ: the real fit's between- and
within-developer residual sd; ε normal). Each replication computes every interval the ledger
uses and checks it against the truth of this DGP:

- C1, the company share: the share on a population of ``POP`` stacked copies of the design,
  the majors' effects fixed and every non-major developer and model drawn afresh in each copy;
- C2, the frontier models' scaling shares: the shares with the true coefficients on the
  replication's own outcome (the claim is about those two models);
- C3, shared progress: 10^(γ_last/β_c) of the true coefficients (the WCR ratio set the ledger
  uses, and Fieller's CR1 set the grid stores, for comparison);
- C4, the named major's factor: 10^(δ/β_c) of the true coefficients (projection);
- C5, the majors' 90-10 gap: 10^(2 · 1.2816 σ / β_c), the gap of normal within-major errors.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import special

from saucegrid.estimation import decompose, estimate, randomization, specs
from saucegrid.estimation.simulate import shape
from saucegrid.findings import intervals
from saucegrid.findings.resample import percentile
from saucegrid.report.paper import frontier_pair, pair_rows

POP = 30  # copies stacked for the population company share
Z90 = 1.2815515655446004  # the standard normal's 90th percentile


def truths(d: specs.Design, coef: np.ndarray, sigma: float, named: str) -> dict:
    names = d.names
    b = dict(zip(names, coef, strict=True))
    bc = b[specs.LOG_FLOPS]
    last = f"period:{d.prepared.periods[-1]}"
    return {"C3": 10 ** (b[last] / bc), "C4": 10 ** (b.get(f"dev:{named}", np.nan) / bc),
            "C5": 10 ** (2 * Z90 * sigma / bc)}


def draw(d: specs.Design, mean: np.ndarray, tau: float, sigma: float, codes: np.ndarray,
         rng: np.random.Generator) -> np.ndarray:
    shock = tau * rng.standard_normal(codes.max() + 1)
    shock[np.unique(codes[d.is_major])] = 0.0  # the majors' effects are fixed
    return mean + shock[codes] + sigma * rng.standard_normal(d.n)


def population_share(d: specs.Design, mean, tau, sigma, codes, rng) -> float:
    ys = np.concatenate([draw(d, mean, tau, sigma, codes, rng) for _ in range(POP)])
    X = np.tile(d.X, (POP, 1))
    groups = {g: d.groups.get(g, []) for g in decompose.GROUPS}
    return decompose.shapley_r2(ys, X, d.names, groups)["company"]


def replicate(d: specs.Design, f: estimate.Fit, tau: float, sigma: float, codes: np.ndarray,
              rng: np.random.Generator, draws: int, ri: randomization.RI, named: str) -> dict:
    """One outcome: is each truth inside its interval? (NaN where an interval is undefined)."""
    mean = d.X @ f.coef
    y = draw(d, mean, tau, sigma, codes, rng)
    dr = replace(d, y=y, cross=None)
    fr = estimate.fit(dr)
    h = intervals.hybrid_draws(dr, draws, int(rng.integers(1 << 30)))
    truth = truths(d, f.coef, sigma, named)
    truth["C1"] = population_share(d, mean, tau, sigma, codes, rng)
    tp = pair_rows(dr, dict(zip(d.names, f.coef, strict=True)), y - mean,
                   {"f": frontier_pair(dr)}).iloc[0]
    truth["C2"] = float(tp["to_scaling_share"])
    out = {}
    for claim, col in (("C1", "company_share"), ("C2", "to_scaling_share"),
                       ("C5", "gap_90_10_factor")):
        lo, hi, _ = percentile(h[col])
        out[claim] = float(lo <= truth[claim] <= hi) if np.isfinite(lo) else np.nan
    i = fr.names.index(specs.LOG_FLOPS)
    j = fr.names.index(f"period:{d.prepared.periods[-1]}")
    crit = float(special.stdtrit(fr.g - 1, 0.975))
    lo, hi = decompose.fieller(fr.coef[j], fr.coef[i], fr.vcov[j, j], fr.vcov[j, i],
                               fr.vcov[i, i], crit)
    out["C3 (Fieller, CR1)"] = (float(10 ** lo <= truth["C3"] <= 10 ** hi)
                                if np.isfinite(lo) else np.nan)
    lo, hi = intervals.shared_progress_set(dr, draws, int(rng.integers(1 << 30)))
    out["C3"] = float(lo <= truth["C3"] <= hi) if np.isfinite(lo) and np.isfinite(hi) else np.nan
    m = intervals.major_factor_set(dr, f"dev:{named}", ri)
    out["C4"] = float(m["low"] <= truth["C4"] <= m["high"]) if np.isfinite(m["low"]) else np.nan
    return out


def coverage(d: specs.Design, reps: int, draws: int = 199, seed: int = 1,
             ri: randomization.RI | None = None, named: str = "Microsoft") -> pd.DataFrame:
    """Per claim: coverage over `reps` replications, its Monte Carlo SE and the count of
    replications where the interval was undefined."""
    sh = shape(d)
    f = estimate.fit(d)
    _, codes = np.unique(d.clusters, return_inverse=True)
    rng = np.random.default_rng(seed)
    ri = ri or randomization.RI(draws=199)
    rows = [replicate(d, f, sh.tau, sh.sigma, codes, rng, draws, ri, named)
            for _ in range(reps)]
    r = pd.DataFrame(rows)
    cov = r.mean()
    n = r.notna().sum()
    return pd.DataFrame({"coverage": cov, "mc_se": np.sqrt(cov * (1 - cov) / n.clip(lower=1)),
                         "replications": n, "undefined": reps - n})


METHODS = {"C1": "hybrid bootstrap, percentile", "C2": "hybrid bootstrap, percentile",
           "C3": "WCR bootstrap inverted for the ratio",
           "C3 (Fieller, CR1)": "Fieller, CR1 with t(G−1) (the grid's; not used by the ledger)",
           "C4": "projection of the 97.5% RI-t set and the "
           "97.5% CR1 interval of β_c", "C5": "hybrid bootstrap, percentile"}


def markdown(table: pd.DataFrame, reps: int, draws: int) -> str:
    rows = [[c, METHODS.get(c, ""), f"{r.coverage:.1%}", f"{r.mc_se:.1%}",
             int(r.replications), int(r.undefined)] for c, r in table.iterrows()]
    t = pd.DataFrame(rows, columns=["claim", "interval", "coverage", "Monte Carlo SE",
                                    "replications", "undefined"])
    return "\n".join([
        "# Do the findings ledger's 95% intervals cover?", "",
        f"{reps} synthetic outcomes on the real MMLU-Pro design (`saucegrid.findings.coverage`"
        f"; bootstrap intervals with {draws} draws each). The nominal coverage is 95%; a "
        "projection (C4) is conservative by construction. The truths and the DGP are in the "
        "module's docstring; C7 has no sampling model and no simulated truth.", "",
        t.to_markdown(index=False), ""])
