"""Beyond the paper: the six benchmarks of the Open LLM Leaderboard side by side, read off the
grid (the four the paper does not use, IFEval, BBH, GPQA and MUSR, are the named sub-grid
``leaderboard`` of config.yaml), and whether they rank the major developers alike.

The four are scored on leaderboard rows only (see :func:`saucegrid.data.sample.outcome`);
MMLU-Pro and MATH Level 5 keep their LifeArchitect and Epoch additions, as in the paper. Every
cell is a grid cell: CR1, the wild cluster restricted bootstrap, randomization inference.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.estimation import rank_correlation
from saucegrid.formatting import fmt_number
from saucegrid.grid import fit
from saucegrid.grid.view import GridView
from saucegrid.report import paper, tables
from saucegrid.report.paper import CELL_CLAIMS

LABELS = {"mmlu_pro": "MMLU-Pro", "math_l5": "MATH L5", "ifeval": "IFEval", "bbh": "BBH",
          "gpqa": "GPQA", "musr": "MUSR"}
PERMUTATION_DRAWS = 9999
SEED = 20261206


def baseline_cells(view: GridView, benchmarks) -> pd.DataFrame:
    """Each benchmark's baseline cell (Table C.1 column (1), every other dimension at its
    baseline); raises naming the target to build when one is missing or not fitted."""
    rows = []
    for b in benchmarks:
        c = view.cell(benchmark=b)
        if c is None:
            raise ValueError(f"the grid has no fitted baseline cell for {b!r} "
                             f"({view.cid(benchmark=b)}); build it with "
                             "`snakemake --cores 2 results/benchmarks.md`")
        rows.append(c)
    return pd.DataFrame(rows).rename_axis("cell_id").reset_index()


def cross_cells(cells: pd.DataFrame, dims: dict, benchmarks, cross) -> pd.DataFrame:
    """The cells of `benchmarks` at every level of the `cross` dimensions, every other
    dimension at its baseline: the same specifications on each benchmark."""
    m = cells["benchmark"].isin(benchmarks).to_numpy().copy()
    for d, lv in dims.items():
        if d != "benchmark" and d not in cross and d in cells:
            m &= (cells[d].astype(str) == str(lv[0])).to_numpy()
    return cells[m].reset_index(drop=True)


def six_table(cells: pd.DataFrame, terms: pd.DataFrame, majors) -> pd.DataFrame:
    """Table C.1 column (1) per benchmark as a long table (report.tables), with the WCR and RI
    columns of each benchmark's cell."""
    cols = {LABELS[b]: cid for b, cid in zip(cells["benchmark"], cells["cell_id"], strict=True)}
    fits = {lab: fit.fit_from_terms(terms, cells, cid) for lab, cid in cols.items()}
    return tables.with_wcr(tables.long_table(fits, paper.term_order(majors)), terms, cols)


def developer_effects(cells: pd.DataFrame, terms: pd.DataFrame, majors) -> pd.DataFrame:
    """Major developer × benchmark: the Table C.1 (1) coefficient (NaN where not estimated)."""
    eff = {}
    for _, c in cells.iterrows():
        t = terms[terms["cell_id"] == c["cell_id"]].set_index("term")
        eff[c["benchmark"]] = {m: (float(t.loc[f"dev:{m}", "estimate"])
                                   if f"dev:{m}" in t.index and not t.loc[f"dev:{m}", "omitted"]
                                   else np.nan) for m in majors}
    return pd.DataFrame(eff)


def correlations(effects: pd.DataFrame, draws: int = PERMUTATION_DRAWS,
                 seed: int = SEED) -> pd.DataFrame:
    """Spearman's ρ of the majors' effects for every pair of benchmarks, over the majors
    estimated on both, with the permutation p and the 95% confidence set."""
    rows = []
    cols = list(effects.columns)
    for i, a in enumerate(cols):
        for b in cols[i + 1:]:
            both = effects[[a, b]].dropna()
            rho, p, n_perm, exact = rank_correlation.permutation_p(
                both[a], both[b], draws=draws, seed=seed)
            lo, hi = rank_correlation.confidence_set(rho, len(both))
            rows.append({"a": a, "b": b, "developers": len(both), "rho": rho, "p_perm": p,
                         "permutations": n_perm, "exact": exact, "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows)


def claim_value(claim: str, v: float) -> str:
    return f"{v:.0%}" if claim == "C1" else fmt_number(v, ".1f") + "×"


def claim_values(cells: pd.DataFrame) -> pd.DataFrame:
    """Claim (report.paper.CELL_CLAIMS) × benchmark: the claim's quantity in each benchmark's
    cell (NaN where undefined)."""
    c = cells.reset_index(drop=True)
    return pd.DataFrame({k: pd.to_numeric(rule.value(c), errors="coerce").to_numpy(float)
                         for k, rule in CELL_CLAIMS.items()}, index=list(c["benchmark"])).T


def verdict(claim: str, v: float) -> str:
    """'holds (value)', 'does not hold (value)' or 'undefined' under the claim's rule."""
    if not np.isfinite(v):
        return "undefined"
    holds = bool(CELL_CLAIMS[claim].holds(pd.Series([v])).iloc[0])
    return ("holds" if holds else "does not hold") + f" ({claim_value(claim, v)})"


def claims_table(cells: pd.DataFrame) -> pd.DataFrame:
    """Each claim a single cell can test, on each benchmark's cell: its verdict."""
    vals = claim_values(cells)
    return pd.DataFrame([{"claim": k, "what": CELL_CLAIMS[k].what,
                          **{LABELS[b]: verdict(k, v) for b, v in vals.loc[k].items()}}
                         for k in vals.index])


def robustness(cells: pd.DataFrame, benchmarks) -> pd.DataFrame:
    """Per benchmark, over its fitted cells (`cells`: the same cross of specifications on each
    benchmark): how many, β_c and the company share (median, min, max), and per claim of
    CELL_CLAIMS the cells where it holds, where it does not, and where it is undefined."""
    rows = []
    for b in benchmarks:
        g = cells[(cells["benchmark"] == b) & (cells["status"] == "ok")].reset_index(drop=True)
        row = {"benchmark": b, "cells": len(g),
               "not_fitted": int(((cells["benchmark"] == b) & (cells["status"] != "ok")).sum())}
        for col, key in (("beta_c", "beta_c"), ("shapley_company", "company_share")):
            v = pd.to_numeric(g[col], errors="coerce")
            row |= {f"{key}_median": v.median(), f"{key}_min": v.min(), f"{key}_max": v.max()}
        for k, rule in CELL_CLAIMS.items():
            v = pd.to_numeric(rule.value(g), errors="coerce").replace([np.inf, -np.inf], np.nan)
            ok = v.notna()
            row |= {f"{k}_holds": int(rule.holds(v[ok]).sum()), f"{k}_defined": int(ok.sum())}
        rows.append(row)
    return pd.DataFrame(rows)


def samples_table(samples: dict, models: pd.DataFrame) -> pd.DataFrame:
    """Per benchmark: N, the major developers' models, the rows excluded at the floor (a score
    at or below the benchmark's chance level, which no logit takes), and N by source."""
    return pd.DataFrame([{
        "benchmark": b, "n": len(s),
        "major_models": int((~s["developer_group"].astype(str).str.startswith("other")).sum()),
        "floor_excluded": int((models[f"exclusion_reason_{b}"]
                               == "score_not_in_logit_domain").sum()),
        "sources": ", ".join(f"{k} {v}" for k, v in s["source"].value_counts().items()),
    } for b, s in samples.items()])
