"""Each claim's number on the default sample, with a 95% interval by a method that is valid for
it (the ledger states the method beside the number):

- **C1** company share, **C2** the frontier models' scaling shares, **C5** the 90-10 gap: the
  hybrid bootstrap of :mod:`.resample` (percentile interval). Shares and quantile spreads are
  not ratios of one coefficient, so neither Fieller nor an inverted test applies.
- **C3** shared progress, 10^(γ_last / β_c): the WCR bootstrap inverted for the ratio
  (:func:`saucegrid.estimation.bootstrap.ratio.ratio_set`), which needs no normal approximation
  for the CR1 covariance of the ratio's two coefficients. Fieller's CR1 set, which the grid stores,
  under-covers in :mod:`.coverage`'s simulation (results/inference/interval_coverage.md).
- **C4** a major's compute factor over its size peers, 10^(δ / β_c): δ is identified by one
  cluster, so its set inverts the randomization test (RI-t,
  :mod:`saucegrid.estimation.ri_inversion`), at 97.5%; β_c gets its 97.5% CR1 interval; the
  factor's set is their projection (Bonferroni: at least 95%). It is the set for the developer
  the paper names, not for "the largest": a set for a maximum over ten majors would need
  simultaneous sets, which 53 placebos cannot bound.
- **C6** the period × compute interaction: the WCR test-inversion interval of the grid cell.
- **C7** the threshold compute reductions: a ratio of two observed models' compute, with no
  sampling model; its interval carries measurement error only: each score redrawn with its
  binomial error (the benchmark's question count), each estimated compute with the spread of
  LifeArchitect's revisions (:func:`saucegrid.out_of_sample.uncertainty.snapshot_spread`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from saucegrid.estimation import decompose, estimate, randomization, specs
from saucegrid.estimation.bootstrap.ratio import ratio_set
from saucegrid.estimation.estimate import one_cluster_terms
from saucegrid.findings import resample
from saucegrid.report.paper import frontier_pair, pair_rows


def _fit_rows(X, y, names, rows, groups):
    cols = resample.live_columns(X[rows], protect=names.index("const"))
    Xr, yr = X[rows][:, cols], y[rows]
    b = np.linalg.lstsq(Xr, yr, rcond=None)[0]
    full = np.zeros(len(names))
    full[cols] = b
    kept = [names[c] for c in cols]
    gr = {g: [n for n in v if n in kept] for g, v in groups.items()}
    return full, decompose.shapley_r2(yr, Xr, kept, gr), yr - Xr @ b


def hybrid_draws(d: specs.Design, draws: int, seed: int) -> pd.DataFrame:
    """Per draw: the company share, the frontier pair's scaling shares (the same two models,
    components evaluated on the real sample with the draw's coefficients) and the majors'
    90-10 gap factor."""
    _, codes = np.unique(d.clusters, return_inverse=True)
    groups = {g: d.groups.get(g, []) for g in decompose.GROUPS}
    pair = {"frontier": frontier_pair(d)}
    rng = np.random.default_rng(seed)
    i_bc = d.names.index(specs.LOG_FLOPS)
    out = []
    for _ in range(draws):
        rows = resample.draw_rows(codes, d.is_major, rng)
        b, phi, resid = _fit_rows(d.X, d.y, d.names, rows, groups)
        coef = dict(zip(d.names, b, strict=True))
        fr = pair_rows(d, coef, d.y - d.X @ b, pair).iloc[0]
        maj = d.is_major[rows]
        gap = decompose.gap_factor(resid[maj], b[i_bc]) if maj.any() and b[i_bc] > 0 else np.nan
        out.append({"company_share": phi["company"], "from_scaling_share":
                    fr["from_scaling_share"], "to_scaling_share": fr["to_scaling_share"],
                    "gap_90_10_factor": decompose.bounded_factor(gap)})
    return pd.DataFrame(out)


def shared_progress_set(d: specs.Design, draws: int, seed: int) -> tuple[float, float]:
    """C3's 95% set for 10^(γ_last/β_c) by the inverted WCR bootstrap (NaN where unbounded or
    beyond the factor bounds)."""
    i = d.names.index(specs.LOG_FLOPS)
    j = d.names.index(f"period:{d.prepared.periods[-1]}")
    _, lo, hi = ratio_set(d.X, d.y, d.clusters, i, j, draws, seed)
    return decompose.bounded_factor(10.0 ** lo), decompose.bounded_factor(10.0 ** hi)


def major_factor_set(d: specs.Design, term: str, ri: randomization.RI, level: float = 0.95) -> dict:
    """C4: the developer's effect over its size peers (δ), its compute factor 10^(δ/β_c), and
    the projection of the RI-t set for δ and the CR1 interval for β_c, each at 1 − (1 − level)/2.
    """
    f = estimate.fit(d)
    single = one_cluster_terms(d.X, f.names, d.clusters)
    moves, eligible, codes = randomization.moves_and_eligible(d, f.names, single, ri)
    if term not in moves:
        return {"estimate": np.nan, "low": np.nan, "high": np.nan,
                "note": f"{term} has no randomization test in this cell"}
    a = (1 - level) / 2
    per = randomization.developer_ri(d.X, d.y, f.names, codes, {term: moves[term]}, eligible,
                                     alpha=a)
    delta, _, _, placebos, lo, hi = per[term]
    bc, se = f[specs.LOG_FLOPS], float(f.se[f.names.index(specs.LOG_FLOPS)])
    crit = float(special.stdtrit(f.g - 1, 1 - a / 2))
    b_lo, b_hi = bc - crit * se, bc + crit * se
    est = decompose.bounded_factor(10 ** (delta / bc))
    if not (np.isfinite(lo) and np.isfinite(hi)) or b_lo <= 0:
        why = (f"β_c's {1 - a:.1%} interval includes 0" if b_lo <= 0 else
               f"{placebos} placebos cannot bound the set")
        return {"estimate": est, "low": np.nan, "high": np.nan, "delta": delta, "note": why}
    corners = [x / b for x in (lo, hi) for b in (b_lo, b_hi)]
    return {"estimate": est, "low": decompose.bounded_factor(10 ** min(corners)),
            "high": decompose.bounded_factor(10 ** max(corners)), "delta": delta,
            "delta_low": lo, "delta_high": hi, "beta_low": b_lo, "beta_high": b_hi,
            "placebos": placebos, "note": ""}


def threshold_drop(sample: pd.DataFrame, threshold: float, majors=None) -> float:
    """C7: the compute of the first model (by release) to reach the threshold over that of the
    least-compute model reaching it (majors only, or all developers)."""
    s = sample[sample["score"] >= threshold]
    if majors is not None:
        s = s[s["developer_group"].isin(list(majors))]
    if s.empty:
        return np.nan
    first = s.sort_values(["release_date", "model_id"]).iloc[0]
    return float(10 ** (first["log10_flops"] - s["log10_flops"].min()))


def threshold_draws(sample: pd.DataFrame, threshold: float, majors, questions: int,
                    guess: float, sd_compute: float, draws: int, seed: int) -> pd.DataFrame:
    """C7 under measurement error: raw scores redrawn as binomial proportions over `questions`
    (mapped through the guess correction), estimated compute (token_is_estimate) shifted by
    N(0, sd_compute) in log10."""
    rng = np.random.default_rng(seed)
    raw = sample["score_raw"].to_numpy(float)
    est = sample["token_is_estimate"].fillna(False).to_numpy(bool)
    out = []
    for _ in range(draws):
        r = rng.binomial(questions, np.clip(raw, 0, 1)) / questions
        s = sample.assign(score=(r - guess) / (1 - guess),
                          log10_flops=sample["log10_flops"].to_numpy(float)
                          + np.where(est, rng.normal(0, sd_compute, len(est)), 0.0))
        out.append({"majors": threshold_drop(s, threshold, majors),
                    "all": threshold_drop(s, threshold)})
    return pd.DataFrame(out)
