"""The grid's result tables: the column order of ``cells`` and ``terms``, and the collation of
the slices into them (light: the collate job needs pandas and the spec vocabulary only)."""

from __future__ import annotations

import pandas as pd

from saucegrid.estimation import specs

SUMMARY_COLUMNS = [
    "cell_id", *specs.DIMENSIONS, "status", "reason", "n_obs", "n_clusters", "r2",
    "shapley_scale", "shapley_time", "shapley_company", "shapley_residual", "shapley_source",
    "beta_c",
    "beta_c_se", "beta_c_p", "beta_c_p_wcr", "beta_c_ci_wcr_low", "beta_c_ci_wcr_high",
    "factors_note", "shared_progress_factor", "shared_progress_factor_low",
    "shared_progress_factor_high", "shared_progress_p", "shared_progress_p_wcr",
    "dev_het_F", "dev_het_df1", "dev_het_df2", "dev_het_p", "dev_het_p_wild", "company_wald_F",
    "company_wald_p", "company_p_bonf", "company_p_bonf_wcr", "company_share_ri_p",
    "company_wald_ri_p", "company_t2_ri_p", "ri_sets", "ri_note", "mean_major_effect",
    "mean_major_ci_low", "mean_major_ci_high", "majors_ri_tested", "majors_ri_closed_reject",
    "gap_90_10_factor",
    "compute_spread_95_5", "wcr_weights", "wcr_draws", "wcr_exact",
]
COUNT_COLUMNS = ("n_obs", "n_clusters", "ri_sets", "wcr_draws", "dev_het_df1", "dev_het_df2",
                 "majors_ri_tested", "majors_ri_closed_reject")
TERM_COLUMNS = ["term", "estimate", "std_error", "p_value", "stars", "p_wcr", "ci_wcr_low",
                "ci_wcr_high", "stars_wcr", "one_cluster", "ri_estimate", "p_ri_beta", "p_ri_t",
                "n_placebo", "ri_ci_low", "ri_ci_high", "p_ri_closed", "omitted"]


def dimension_columns(cells: pd.DataFrame) -> list[str]:
    """The dimension columns of a cells table: those between cell_id and status."""
    cols = list(cells.columns)
    return cols[cols.index("cell_id") + 1: cols.index("status")] if "status" in cols else []


def order_cell_columns(cells: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    """cell_id, the dimensions, status, reason, the summary statistics, then the compute
    factors sorted by name."""
    lead = ["cell_id", *dims, "status", "reason"]
    rest = [c for c in cells.columns if c not in lead]
    fixed = [c for c in SUMMARY_COLUMNS if c in rest]
    others = sorted(c for c in rest if c not in fixed)
    out = cells[lead + fixed + others].copy()
    for c in COUNT_COLUMNS:  # counts stay integers where skipped cells leave them empty
        if c in out and out[c].dtype.kind == "f":
            out[c] = out[c].astype("Int64")
    return out


def terms_frame(terms: list[dict], dims: list[str]) -> pd.DataFrame:
    cols = ["cell_id", *dims, *TERM_COLUMNS]
    return pd.DataFrame(terms, columns=cols) if terms else pd.DataFrame(columns=cols)


def _in_order(df: pd.DataFrame, pos: dict) -> pd.DataFrame:
    return df.assign(_o=df["cell_id"].map(pos)).sort_values("_o", kind="mergesort") \
        .drop(columns="_o").reset_index(drop=True)


def collate_cells(parts: list[pd.DataFrame], order: pd.DataFrame) -> pd.DataFrame:
    """The slices' cell rows in the grid's enumeration order, columns in their fixed order."""
    cells = _in_order(pd.concat(parts, ignore_index=True),
                      {cid: i for i, cid in enumerate(order["cell_id"])})
    dims = list(cells.columns[1:cells.columns.get_loc("status")])
    return order_cell_columns(cells, dims).reset_index(drop=True)


def collate(parts: list[tuple[pd.DataFrame, pd.DataFrame]], order: pd.DataFrame):
    """Concatenate slice results (cells, terms) in the grid's enumeration order."""
    terms = pd.concat([t for _, t in parts if len(t)], ignore_index=True)
    return (collate_cells([c for c, _ in parts], order),
            _in_order(terms, {cid: i for i, cid in enumerate(order["cell_id"])}))
