"""In how many in-window grid cells does each claim hold (rules in :mod:`.claims`)?

Most rules read stored cell columns. C2 (the frontier's scaling share) re-evaluates each
full-sample cell's stored coefficients on its own sample (no refit); C6 reads the interaction
cells' terms; C7 (threshold reductions, which no regression enters) is computed on each sample
construction's sample. A cell where the quantity is undefined counts as not holding, and the
count of such cells is reported.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from saucegrid.estimation import estimate, specs
from saucegrid.findings.intervals import threshold_drop
from saucegrid.grid import fit
from saucegrid.grid.collate import dimension_columns
from saucegrid.report.paper import CELL_CLAIMS, frontier_pair, pair_rows

# a cell's levels (its benchmark and any non-spec dimension; the rest at baseline) -> its sample
Sampler = Callable[[dict], pd.DataFrame]


def _count(values: pd.Series, rule) -> dict:
    v = pd.to_numeric(values, errors="coerce")
    ok = v.notna()
    holds = int(rule(v[ok]).sum())
    return {"holds": holds, "cells": int(len(v)), "undefined": int((~ok).sum()),
            "share": holds / len(v) if len(v) else np.nan}


def _claim(cells: pd.DataFrame, claim: str) -> dict:
    rule = CELL_CLAIMS[claim]
    return _count(rule.value(cells), rule.holds)


def _frontier_shares(cells: pd.DataFrame, terms: pd.DataFrame, sampler: Sampler,
                     developer_sets: dict, quantiles) -> pd.Series:
    full = cells[(cells["sample"] == "full") & (cells["interaction"] == "none")]
    by_cell = dict(tuple(terms[terms["cell_id"].isin(full["cell_id"])].groupby("cell_id")))
    extra = [d for d in dimension_columns(cells) if d not in specs.DIMENSIONS]
    out = {}
    for r in full.itertuples(index=False):
        spec = specs.Spec(**{k: getattr(r, k) for k in specs.DIMENSIONS})
        s = sampler({"benchmark": r.benchmark, **{d: getattr(r, d) for d in extra}})
        d, coef, _, resid = fit.evaluate_cell(s, spec, developer_sets[r.devset],
                                            by_cell[r.cell_id], quantiles)
        row = pair_rows(d, coef, resid, {"f": frontier_pair(d)}).iloc[0]
        out[r.cell_id] = row["to_scaling_share"]
    return pd.Series(out, dtype=float)


def _interaction_p(cells: pd.DataFrame, terms: pd.DataFrame) -> pd.Series:
    ids = cells.loc[cells["interaction"] == "period_x_compute", "cell_id"]
    t = terms[terms["cell_id"].isin(ids) & terms["term"].str.contains(" x ")
              & (terms["omitted"] == "")]
    p = t.groupby("cell_id")["p_wcr"].agg(lambda x: estimate.bonferroni(list(x)))
    return p.reindex(ids.to_numpy())


def shares(cells: pd.DataFrame, terms: pd.DataFrame, benchmark: str, sampler: Sampler,
           developer_sets: dict, constructions: list[str], quantiles, majors) -> dict:
    """claim id -> {holds, cells, undefined, share} over the in-window ok cells of `benchmark`
    (`cells` already restricted to the in-window panel)."""
    c = cells[(cells["benchmark"] == benchmark) & (cells["status"] == "ok")]
    tri = c[(c["time"] == "tri") & (c["interaction"] == "none")]
    out = {
        "C1": _claim(c, "C1"),
        "C2": _count(_frontier_shares(c, terms, sampler, developer_sets, quantiles),
                     lambda v: v >= 0.5),
        "C3": _claim(tri, "C3"),
        "C4": _claim(c, "C4"),
        "C5": _claim(c, "C5"),
        "C6": _count(_interaction_p(c, terms), lambda v: v >= 0.05),
    }
    drops = {k: [] for k in ("C7a", "C7b")}
    for con in constructions:
        s = sampler({"benchmark": benchmark, "construction": con})
        drops["C7a"].append(threshold_drop(s, 0.15, majors))
        drops["C7b"].append(threshold_drop(s, 0.15))
    for k, v in drops.items():
        out[k] = _count(pd.Series(v, dtype=float), lambda x: x >= 10)
    return out
