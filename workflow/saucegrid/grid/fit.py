"""Fitting cells: one specification on one analysis sample -> one summary row and its terms.

A cell never raises for a degenerate sample: it returns ``status='degenerate'`` and a ``reason``,
so a grid never dies because one cell is degenerate. A cell is degenerate when

- it has no more observations than coefficients, or log compute is omitted (no variation);
- its residual degrees of freedom, n - k, are fewer than ``MIN_DF_PER_COEF`` (3) per coefficient
  identified by several clusters (the constant included; a major developer's own dummy is
  identified by its one cluster and does not count): with fewer, the residuals that the CR1
  covariance and the bootstrap are built from are nearly all leverage (e.g. 5 models, 4
  coefficients, 3 clusters: beta_c = 17 with SE 1e-7);
- it has fewer than ``MIN_CLUSTERS`` (4) clusters: t(G-1) has at most 2 degrees of freedom and
  the wild bootstrap at most 6^3 = 216 distinct draws, so no inference is worth printing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from saucegrid.estimation import bootstrap, decompose, estimate, heterogeneity, randomization, specs
from saucegrid.estimation.estimate import bonferroni, one_cluster_terms
from saucegrid.grid.cells import cell_id, id_at  # noqa: F401  (re-exported)
from saucegrid.grid.collate import order_cell_columns, terms_frame

RI_TERM_COLUMNS = ("ri_estimate", "p_ri_beta", "p_ri_t", "n_placebo", "ri_ci_low", "ri_ci_high",
                   "p_ri_closed")
MIN_DF_PER_COEF = 3
MIN_CLUSTERS = 4


def degenerate_reason(n: int, k: int, g: int, has_log_flops: bool, n_single: int) -> str:
    """Why a cell cannot support what it would print ('' when it can); see the module doc."""
    k_multi = k - n_single
    if n <= k:
        return f"{n} observations for {k} coefficients"
    if not has_log_flops:
        return "log compute is omitted (no variation)"
    if g < MIN_CLUSTERS:
        return (f"{g} cluster(s): clustered inference needs at least {MIN_CLUSTERS} "
                f"(t(G-1) with G-1 = {max(g - 1, 0)})")
    if n - k < MIN_DF_PER_COEF * k_multi:
        return (f"{n - k} residual degrees of freedom for {k_multi} coefficients identified by "
                f"several clusters: fewer than {MIN_DF_PER_COEF} each")
    return ""


def fit_cell(sample: pd.DataFrame, spec: specs.Spec, majors, quantiles=(1 / 3, 2 / 3),
             extra: dict | None = None, wcr: bootstrap.WCR | None = None,
             ri: randomization.RI | None = None):
    """Return (summary dict, list of term dicts) for one cell. With `wcr` (enabled), every
    coefficient but the constant (and, by default, the one-cluster ones) also gets its wild
    cluster restricted bootstrap p value and test-inversion interval (columns p_wcr,
    ci_wcr_low, ci_wcr_high, stars_wcr). With `ri` (enabled), every major-developer effect of a
    cell with non-major developers gets its randomization-inference p values (ri_estimate,
    p_ri_beta, p_ri_t, n_placebo) and the cell its joint RI test (company_share_ri_p,
    company_wald_ri_p, company_t2_ri_p, ri_sets)."""
    extra = dict(extra or {})
    cid = cell_id({**spec.as_dict(), **extra})
    row = {"cell_id": cid, **spec.as_dict(), **extra, "status": "ok", "reason": ""}
    terms: list[dict] = []
    try:
        d = specs.design(sample, spec, majors, quantiles)
    except ValueError as e:
        return {**row, "status": "degenerate", "reason": str(e)}, terms
    g = len(np.unique(d.clusters)) if d.n else 0  # integer codes: cheap
    single = one_cluster_terms(d.X, d.names, d.clusters) if d.n else set()
    reason = degenerate_reason(d.n, d.X.shape[1], g, specs.LOG_FLOPS in d.names, len(single))
    if reason:
        return {**row, "status": "degenerate", "reason": reason, "n_obs": d.n,
                "n_clusters": g}, terms
    f = estimate.fit(d)
    phi = decompose.shapley(d)
    bc = f[specs.LOG_FLOPS]
    i = f.names.index(specs.LOG_FLOPS)
    factors = decompose.compute_factors(f)
    last = f"period:{d.prepared.periods[-1]}"
    majors_mask = d.is_major
    skip = {"const"} | (set() if wcr is None or wcr.one_cluster else single)
    boot, info = ({}, {}) if wcr is None or not wcr.enabled else \
        bootstrap.wcr_cell(d.X, d.y, d.clusters, f.names, wcr, skip=skip)
    nan3 = (np.nan, np.nan, np.nan)
    ri_on = ri is not None and ri.enabled and d.baseline_group == specs.BASE_GROUP_FULL
    per_ri, joint_ri = randomization.ri_cell(d, f.names, single, ri) if ri_on else ({}, {})
    nan7 = (np.nan, np.nan, np.nan, 0, np.nan, np.nan, np.nan)
    # the period effect is a level shift only without period x compute interactions
    level_shift = spec.time == "tri" and spec.interaction == "none" and last in f.names
    F, _, _, pF = estimate.wald(f, d.groups["company"])
    # global test of "no company effect" from the individual developer effects: Bonferroni
    p_cr1 = [float(f.p[f.names.index(t)]) for t in d.groups["company"]]
    p_wcr = [boot.get(t, nan3)[0] for t in d.groups["company"]]
    bc_p_wcr, bc_lo_wcr, bc_hi_wcr = boot.get(specs.LOG_FLOPS, nan3)
    crit = float(special.stdtrit(f.g - 1, 0.975))
    bc_lo, bc_hi = (bc_lo_wcr, bc_hi_wcr) if np.isfinite(bc_lo_wcr) else \
        (bc - crit * f.se[i], bc + crit * f.se[i])
    factors_note = decompose.factors_defined(bc_lo, bc_hi)

    def factor(x: float) -> float:
        return np.nan if factors_note else decompose.bounded_factor(x)

    sp_lo = sp_hi = np.nan
    if level_shift and not factors_note:  # Fieller's set for the period effect over β_c
        j = f.names.index(last)
        lo, hi = decompose.fieller(f.coef[j], bc, f.vcov[j, j], f.vcov[j, i], f.vcov[i, i], crit)
        sp_lo, sp_hi = decompose.bounded_factor(10.0 ** lo), decompose.bounded_factor(10.0 ** hi)
    _, codes = np.unique(d.clusters, return_inverse=True)
    rest = [j for j, n in enumerate(f.names) if n not in d.groups["company"]]
    het = heterogeneity.developer_f(d.X[:, rest], d.y, codes,  # bootstrap: RI cells only
                                    draws=ri.draws if ri_on else 0,
                                    seed=ri.seed if ri_on else 0)
    closed = [v[6] for v in per_ri.values()]
    row.update({
        "n_obs": f.n, "n_clusters": f.g, "r2": f.r2,
        "shapley_scale": phi["scale"], "shapley_time": phi["time"],
        "shapley_company": phi["company"], "shapley_residual": phi["residual"],
        "shapley_source": phi.get("source", np.nan),
        "beta_c": bc, "beta_c_se": float(f.se[i]), "beta_c_p": float(f.p[i]),
        "beta_c_p_wcr": bc_p_wcr, "beta_c_ci_wcr_low": bc_lo_wcr,
        "beta_c_ci_wcr_high": bc_hi_wcr,
        "factors_note": factors_note,
        "shared_progress_factor": factor(factors.get(last, np.nan)) if level_shift
        else np.nan,
        "shared_progress_factor_low": sp_lo, "shared_progress_factor_high": sp_hi,
        "shared_progress_p": float(f.p[f.names.index(last)]) if level_shift else np.nan,
        "shared_progress_p_wcr": boot.get(last, nan3)[0] if level_shift else np.nan,
        "dev_het_F": het["F"], "dev_het_df1": het["df1"], "dev_het_df2": het["df2"],
        "dev_het_p": het["p"], "dev_het_p_wild": het["p_wild"],
        "company_wald_F": F, "company_wald_p": pF,
        "company_p_bonf": bonferroni(p_cr1), "company_p_bonf_wcr": bonferroni(p_wcr),
        "company_share_ri_p": joint_ri.get("company_share_ri_p", np.nan),
        "company_wald_ri_p": joint_ri.get("company_wald_ri_p", np.nan),
        "company_t2_ri_p": joint_ri.get("company_t2_ri_p", np.nan),
        "ri_sets": joint_ri.get("ri_sets", 0),
        "ri_note": joint_ri.get("ri_note", ""),
        "mean_major_effect": joint_ri.get("mean_major_effect", np.nan),
        "mean_major_ci_low": joint_ri.get("mean_major_ci_low", np.nan),
        "mean_major_ci_high": joint_ri.get("mean_major_ci_high", np.nan),
        "majors_ri_tested": int(np.isfinite(closed).sum()) if closed else 0,
        "majors_ri_closed_reject": int(np.sum(np.array(closed) <= 0.05)) if closed else 0,
        "gap_90_10_factor": (factor(decompose.gap_factor(f.resid[majors_mask], bc))
                             if majors_mask.any() else np.nan),
        "compute_spread_95_5": decompose.compute_spread(d.log10_flops),
        **info,
    })
    for k, v in factors.items():
        if k.startswith(("dev:", "period:", "quarter:")):
            row[f"factor_{k}"] = factor(v)
    tab = f.table()
    for r in tab.itertuples(index=False):
        pw, lo, hi = boot.get(r.term, nan3)
        terms.append({"cell_id": cid, **spec.as_dict(), **extra, "term": r.term,
                      "estimate": r.estimate, "std_error": r.std_error, "p_value": r.p_value,
                      "stars": r.stars, "p_wcr": pw, "ci_wcr_low": lo, "ci_wcr_high": hi,
                      "stars_wcr": estimate.stars(pw), "one_cluster": r.term in single,
                      **dict(zip(RI_TERM_COLUMNS, per_ri.get(r.term, nan7), strict=True)),
                      "omitted": ""})
    for t, why in d.omitted.items():
        terms.append({"cell_id": cid, **spec.as_dict(), **extra, "term": t,
                      "estimate": np.nan, "std_error": np.nan, "p_value": np.nan,
                      "stars": "", "p_wcr": np.nan, "ci_wcr_low": np.nan,
                      "ci_wcr_high": np.nan, "stars_wcr": "", "one_cluster": False,
                      **dict(zip(RI_TERM_COLUMNS, nan7, strict=True)), "omitted": why})
    return row, terms


def fit_cells(samples: dict[str, pd.DataFrame], specs_: list[specs.Spec], developer_sets: dict,
              quantiles=(1 / 3, 2 / 3), extra: dict | None = None,
              wcr: bootstrap.WCR | None = None):
    """Fit many cells; samples maps benchmark -> analysis sample."""
    rows, terms = [], []
    for s in specs_:
        r, t = fit_cell(samples[s.benchmark], s, developer_sets[s.devset], quantiles, extra,
                        wcr)
        rows.append(r)
        terms.extend(t)
    dims = [*specs.DIMENSIONS, *(extra or {})]
    return order_cell_columns(pd.DataFrame(rows), dims), terms_frame(terms, dims)


def fit_from_terms(terms: pd.DataFrame, cells: pd.DataFrame, cell_id: str) -> estimate.Fit:
    """Rebuild a light Fit (names, coef, se, p, n, g, r2, omitted) from stored results."""
    t = terms[terms["cell_id"] == cell_id]
    c = cells.set_index("cell_id").loc[cell_id]
    live = t[t["omitted"] == ""]
    om = dict(zip(t.loc[t["omitted"] != "", "term"], t.loc[t["omitted"] != "", "omitted"],
                  strict=True))
    k = len(live)
    return estimate.Fit(list(live["term"]), live["estimate"].to_numpy(float),
                 live["std_error"].to_numpy(float), (live["estimate"] / live["std_error"])
                 .to_numpy(float), live["p_value"].to_numpy(float), np.full((k, k), np.nan),
                 float(c["r2"]), int(c["n_obs"]), int(c["n_clusters"]), k, np.array([]),
                 np.array([]), om)


def evaluate_cell(sample, spec: specs.Spec, majors, terms_cell: pd.DataFrame,
                  quantiles=(1 / 3, 2 / 3)):
    """Rebuild a fitted cell's design and apply its stored coefficients (no refit).

    Returns (design, coef dict, fitted, residuals)."""
    d = specs.design(sample, spec, majors, quantiles)
    live = terms_cell[terms_cell["omitted"] == ""].set_index("term")["estimate"]
    if list(live.index) != d.names:
        raise ValueError(f"stored terms of {spec.cell_id} do not match its design "
                         f"({list(live.index)} vs {d.names}): the sample changed since the fit")
    b = live.to_numpy(float)
    fitted = d.X @ b
    return d, dict(live), fitted, d.y - fitted
