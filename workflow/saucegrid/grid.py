"""Fitting cells: one specification on one analysis sample -> one summary row and its terms.

A cell never raises for a degenerate sample: it returns ``status='degenerate'`` and a ``reason``
(too few observations, log compute omitted, a single cluster, ...), so a grid never dies because
one cell is degenerate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import bootstrap as WB
from . import decompose as D
from . import estimate as E
from . import randomization as RI
from . import specs as P
from .cells import cell_id  # noqa: F401  (re-exported)
from .collate import (  # noqa: F401  (re-exported)
    SUMMARY_COLUMNS,
    TERM_COLUMNS,
    order_cell_columns,
    terms_frame,
)


def one_cluster_terms(X: np.ndarray, names: list[str], clusters: np.ndarray) -> set[str]:
    """The coefficients whose regressor is non-zero within a single cluster only: identified by
    that one cluster (every major-developer dummy, since each developer is a cluster)."""
    out = set()
    for j, n in enumerate(names):
        if n == "const":
            continue
        nz = X[:, j] != 0
        if nz.any() and np.unique(clusters[nz]).size == 1:
            out.add(n)
    return out


def bonferroni(ps) -> float:
    """Global p value of "all these effects are zero" from their individual p values:
    min(1, q * min p). NaN when there are none or any is NaN."""
    ps = np.asarray(ps, float)
    if not len(ps) or not np.all(np.isfinite(ps)):
        return np.nan
    return float(min(1.0, len(ps) * ps.min()))


def fit_cell(sample: pd.DataFrame, spec: P.Spec, majors, quantiles=(1 / 3, 2 / 3),
             extra: dict | None = None, wcr: WB.WCR | None = None, ri: RI.RI | None = None):
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
        d = P.design(sample, spec, majors, quantiles)
    except ValueError as e:
        return {**row, "status": "degenerate", "reason": str(e)}, terms
    g = len(np.unique(d.clusters)) if d.n else 0  # integer codes: cheap
    reason = ""
    if d.n <= d.X.shape[1]:
        reason = f"{d.n} observations for {d.X.shape[1]} coefficients"
    elif P.LOG_FLOPS not in d.names:
        reason = "log compute is omitted (no variation)"
    elif g < 2:
        reason = f"{g} cluster(s): clustered inference needs at least 2"
    if reason:
        return {**row, "status": "degenerate", "reason": reason, "n_obs": d.n,
                "n_clusters": g}, terms
    f = E.fit(d)
    phi = D.shapley(d)
    bc = f[P.LOG_FLOPS]
    i = f.names.index(P.LOG_FLOPS)
    factors = D.compute_factors(f)
    last = f"period:{d.prepared.periods[-1]}"
    majors_mask = d.is_major
    single = one_cluster_terms(d.X, f.names, d.clusters)
    skip = {"const"} | (set() if wcr is None or wcr.one_cluster else single)
    boot, info = ({}, {}) if wcr is None or not wcr.enabled else \
        WB.cell(d.X, d.y, d.clusters, f.names, wcr, skip=skip)
    nan3 = (np.nan, np.nan, np.nan)
    ri_on = ri is not None and ri.enabled and d.baseline_group == P.BASE_GROUP_FULL
    per_ri, joint_ri = RI.cell(d, f.names, single, ri) if ri_on else ({}, {})
    nan4 = (np.nan, np.nan, np.nan, 0)
    # the period effect is a level shift only without period x compute interactions
    level_shift = spec.time == "tri" and spec.interaction == "none" and last in f.names
    F, _, _, pF = E.wald(f, d.groups["company"])
    # global test of "no company effect" from the individual developer effects: Bonferroni
    p_cr1 = [float(f.p[f.names.index(t)]) for t in d.groups["company"]]
    p_wcr = [boot.get(t, nan3)[0] for t in d.groups["company"]]
    bc_p_wcr, bc_lo_wcr, bc_hi_wcr = boot.get(P.LOG_FLOPS, nan3)
    row.update({
        "n_obs": f.n, "n_clusters": f.g, "r2": f.r2,
        "shapley_scale": phi["scale"], "shapley_time": phi["time"],
        "shapley_company": phi["company"], "shapley_residual": phi["residual"],
        "shapley_source": phi.get("source", np.nan),
        "beta_c": bc, "beta_c_se": float(f.se[i]), "beta_c_p": float(f.p[i]),
        "beta_c_p_wcr": bc_p_wcr, "beta_c_ci_wcr_low": bc_lo_wcr,
        "beta_c_ci_wcr_high": bc_hi_wcr,
        "shared_progress_factor": factors.get(last, np.nan) if level_shift else np.nan,
        "shared_progress_p": float(f.p[f.names.index(last)]) if level_shift else np.nan,
        "shared_progress_p_wcr": boot.get(last, nan3)[0] if level_shift else np.nan,
        "company_wald_F": F, "company_wald_p": pF,
        "company_p_bonf": bonferroni(p_cr1), "company_p_bonf_wcr": bonferroni(p_wcr),
        "company_share_ri_p": joint_ri.get("company_share_ri_p", np.nan),
        "company_wald_ri_p": joint_ri.get("company_wald_ri_p", np.nan),
        "company_t2_ri_p": joint_ri.get("company_t2_ri_p", np.nan),
        "ri_sets": joint_ri.get("ri_sets", 0),
        "gap_90_10_factor": (D.gap_factor(f.resid[majors_mask], bc) if majors_mask.any()
                             else np.nan),
        "compute_spread_95_5": D.compute_spread(d.log10_flops),
        **info,
    })
    for k, v in factors.items():
        if k.startswith("dev:"):
            row[f"factor_{k}"] = v
        elif k.startswith(("period:", "quarter:")):
            row[f"factor_{k}"] = v
    tab = f.table()
    for r in tab.itertuples(index=False):
        pw, lo, hi = boot.get(r.term, nan3)
        terms.append({"cell_id": cid, **spec.as_dict(), **extra, "term": r.term,
                      "estimate": r.estimate, "std_error": r.std_error, "p_value": r.p_value,
                      "stars": r.stars, "p_wcr": pw, "ci_wcr_low": lo, "ci_wcr_high": hi,
                      "stars_wcr": E.stars(pw), "one_cluster": r.term in single,
                      **dict(zip(("ri_estimate", "p_ri_beta", "p_ri_t", "n_placebo"),
                                 per_ri.get(r.term, nan4), strict=True)),
                      "omitted": ""})
    for t, why in d.omitted.items():
        terms.append({"cell_id": cid, **spec.as_dict(), **extra, "term": t,
                      "estimate": np.nan, "std_error": np.nan, "p_value": np.nan,
                      "stars": "", "p_wcr": np.nan, "ci_wcr_low": np.nan,
                      "ci_wcr_high": np.nan, "stars_wcr": "", "one_cluster": False,
                      "ri_estimate": np.nan, "p_ri_beta": np.nan, "p_ri_t": np.nan,
                      "n_placebo": 0, "omitted": why})
    return row, terms


def fit_cells(samples: dict[str, pd.DataFrame], specs_: list[P.Spec], developer_sets: dict,
              quantiles=(1 / 3, 2 / 3), extra: dict | None = None,
              wcr: WB.WCR | None = None):
    """Fit many cells; samples maps benchmark -> analysis sample."""
    rows, terms = [], []
    for s in specs_:
        r, t = fit_cell(samples[s.benchmark], s, developer_sets[s.devset], quantiles, extra,
                        wcr)
        rows.append(r)
        terms.extend(t)
    dims = [*P.DIMENSIONS, *(extra or {})]
    return order_cell_columns(pd.DataFrame(rows), dims), terms_frame(terms, dims)


def fit_from_terms(terms: pd.DataFrame, cells: pd.DataFrame, cell_id: str) -> E.Fit:
    """Rebuild a light Fit (names, coef, se, p, n, g, r2, omitted) from stored results."""
    t = terms[terms["cell_id"] == cell_id]
    c = cells.set_index("cell_id").loc[cell_id]
    live = t[t["omitted"] == ""]
    om = dict(zip(t.loc[t["omitted"] != "", "term"], t.loc[t["omitted"] != "", "omitted"],
                  strict=True))
    k = len(live)
    return E.Fit(list(live["term"]), live["estimate"].to_numpy(float),
                 live["std_error"].to_numpy(float), (live["estimate"] / live["std_error"])
                 .to_numpy(float), live["p_value"].to_numpy(float), np.full((k, k), np.nan),
                 float(c["r2"]), int(c["n_obs"]), int(c["n_clusters"]), k, np.array([]),
                 np.array([]), om)


def evaluate_cell(sample, spec: P.Spec, majors, terms_cell: pd.DataFrame,
                  quantiles=(1 / 3, 2 / 3)):
    """Rebuild a fitted cell's design and apply its stored coefficients (no refit).

    Returns (design, coef dict, fitted, residuals)."""
    d = P.design(sample, spec, majors, quantiles)
    live = terms_cell[terms_cell["omitted"] == ""].set_index("term")["estimate"]
    if list(live.index) != d.names:
        raise ValueError(f"stored terms of {spec.cell_id} do not match its design "
                         f"({list(live.index)} vs {d.names}): the sample changed since the fit")
    b = live.to_numpy(float)
    fitted = d.X @ b
    return d, dict(live), fitted, d.y - fitted
