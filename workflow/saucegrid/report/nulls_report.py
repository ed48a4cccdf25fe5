"""The summary's section on what each test tests: three named nulls, each with its test, its
result in the baseline cells, its confidence sets (in logits and as compute factors), and its
record across the grid counted only where the test is defined.

(a) Developers do not differ at all: every developer's effect is zero, given compute and period
    (:mod:`saucegrid.estimation.heterogeneity`).
(b) The size groups do not differ: other-medium and other-large against other-small (many
    clusters each: the WCR bootstrap is valid).
(c) A major developer is no different from non-major developers of similar size
    (:mod:`saucegrid.estimation.randomization`, :mod:`saucegrid.estimation.ri_inversion`): per
    major, jointly, and the majors' mean effect.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.formatting import fmt_number as _fmt
from saucegrid.formatting import fmt_p, markdown_table

NULL_A = "(a) developers do not differ at all (every developer's effect is zero)"
NULL_B = "(b) the size groups do not differ (other-medium, other-large vs other-small)"
NULL_C = "(c) a major is no different from non-major developers of similar size"
CAVEAT = ("Cells are not independent tests: they share most of their models, so a share of "
          "cells is a measure of robustness to specification, not a count of replications.")


def factor_set(lo: float, hi: float, beta_c: float) -> str:
    """A logit set as compute factors 10^(x/β_c) at the point β_c; '—' when β_c ≤ 0 and
    undefined beyond 1e6."""
    if not (np.isfinite(beta_c) and beta_c > 0):
        return "undefined (β_c ≤ 0)"

    def one(x):
        if not np.isfinite(x):
            return "∞" if x > 0 else "0"
        f = 10.0 ** (x / beta_c)
        if not 1e-6 <= f <= 1e6:
            return "> 1e6×" if f > 1 else "< 1e-6×"
        return f"{f:,.0f}×" if f >= 100 else f"{f:.2g}×"
    return f"{one(lo)} to {one(hi)}"


def logit_set(lo: float, hi: float) -> str:
    return f"[{_fmt(lo, '.2f')}, {_fmt(hi, '.2f')}]" if np.isfinite(lo) or np.isfinite(hi) \
        else "—"


def majors_table(cell: pd.Series, terms: pd.DataFrame) -> pd.DataFrame:
    """One row per major with RI in a cell, then the majors' mean effect."""
    t = terms[(terms["cell_id"] == cell["cell_id"]) & terms["n_placebo"].gt(0)]
    rows = []
    for r in t.itertuples(index=False):
        rows.append({"major": r.term.removeprefix("dev:"),
                     "effect vs size peers (logits)": _fmt(r.ri_estimate, ".2f"),
                     "95% set (logits)": logit_set(r.ri_ci_low, r.ri_ci_high),
                     "as compute factor": factor_set(r.ri_ci_low, r.ri_ci_high,
                                                     cell["beta_c"]),
                     "RI-t p": fmt_p(r.p_ri_t),
                     "closed-testing p": fmt_p(r.p_ri_closed),
                     "placebos": int(r.n_placebo)})
    if rows and np.isfinite(cell.get("mean_major_effect", np.nan)):
        lo, hi = cell["mean_major_ci_low"], cell["mean_major_ci_high"]
        rows.append({"major": "**mean of the majors**",
                     "effect vs size peers (logits)": _fmt(cell["mean_major_effect"], ".2f"),
                     "95% set (logits)": logit_set(lo, hi),
                     "as compute factor": factor_set(lo, hi, cell["beta_c"]),
                     "RI-t p": "", "closed-testing p": "", "placebos": rows[0]["placebos"]})
    return pd.DataFrame(rows)


def size_group_line(cell_id: str, terms: pd.DataFrame) -> str:
    t = terms[(terms["cell_id"] == cell_id) & terms["term"].str.startswith("dev:other-")]
    parts = [f"{r.term.removeprefix('dev:')} {r.estimate:.3f} (WCR p {fmt_p(r.p_wcr)}, "
             f"95% [{_fmt(r.ci_wcr_low, '.2f')}, {_fmt(r.ci_wcr_high, '.2f')}])"
             for r in t.itertuples(index=False)]
    return "; ".join(parts) if parts else "no size-group terms"


def _defined_share(p: pd.Series, alpha: float) -> str:
    p = p.to_numpy(float)
    p = p[np.isfinite(p)]
    return f"{(p < alpha).mean():.0%} of {len(p)}" if len(p) else "defined in none"


def across_cells(cells: pd.DataFrame, terms: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """Per benchmark and named null: in how many ok cells the test is defined, and the share
    of those that reject at alpha."""
    ok = cells[cells["status"] == "ok"]
    majors = terms[terms["n_placebo"].gt(0) & terms["cell_id"].isin(ok["cell_id"])]
    rows = []
    for b, g in ok.groupby("benchmark", sort=False):
        mt = majors[majors["cell_id"].isin(g["cell_id"])]
        any_ri_t = mt.groupby("cell_id")["p_ri_t"].min()
        closed = g["majors_ri_closed_reject"].where(g["majors_ri_tested"] > 0)
        mean_ex0 = g["mean_major_ci_low"].gt(0) | g["mean_major_ci_high"].lt(0)
        mean_def = g["mean_major_ci_low"].notna()
        rows += [
            {"benchmark": b, "null": NULL_A, "test": "F on (q, n−k), classical",
             "cells rejecting (of those where defined)": _defined_share(g["dev_het_p"], alpha)},
            {"benchmark": b, "null": NULL_A, "test": "F, wild restricted bootstrap",
             "cells rejecting (of those where defined)": _defined_share(g["dev_het_p_wild"],
                                                                        alpha)},
            {"benchmark": b, "null": NULL_C, "test": "jointly: RI, Σ t² over the majors",
             "cells rejecting (of those where defined)": _defined_share(g["company_t2_ri_p"],
                                                                        alpha)},
            {"benchmark": b, "null": NULL_C, "test": "some major, RI-t, uncorrected",
             "cells rejecting (of those where defined)": _defined_share(any_ri_t, alpha)},
            {"benchmark": b, "null": NULL_C, "test": "some major, closed testing (FWER 5%)",
             "cells rejecting (of those where defined)":
                 f"{(closed.dropna() > 0).mean():.0%} of {closed.notna().sum()}"
                 if closed.notna().any() else "defined in none"},
            {"benchmark": b, "null": "(c) the majors' mean effect is zero",
             "test": "inverted RI set excludes 0",
             "cells rejecting (of those where defined)":
                 f"{mean_ex0[mean_def].mean():.0%} of {int(mean_def.sum())}"
                 if mean_def.any() else "defined in none"},
        ]
    return pd.DataFrame(rows)


def nulls_markdown(view, window: pd.DataFrame, terms: pd.DataFrame, dims: dict,
                   alpha: float = 0.05) -> str:
    """The section, from the baseline cell of each benchmark (`view`, a
    saucegrid.grid.view.GridView) and the in-window cells (`window`)."""
    out = ["## What each test tests: three nulls", "",
           "The secret-sauce question has three nulls, and the tests here answer them "
           "separately; a result under one says nothing about the others.", "",
           f"- **{NULL_A}**, given compute and period. Test: the F test of one dummy per "
           "developer, beside the design without developer-group terms, with the F reference "
           "and by the wild restricted bootstrap (one Rademacher sign per model; valid with "
           "many small clusters, since under this null nothing ties a developer's residuals "
           "together, and with heteroskedastic errors; the one to read, see "
           "results/inference/size_power.md).",
           f"- **{NULL_B}**. Test: the WCR bootstrap of the size-group coefficients (each "
           "identified by dozens of clusters).",
           f"- **{NULL_C}**. Tests: randomization inference against placebo developers, per "
           "major (RI-t) and jointly (Σ t²); per-major 95% sets and the majors' mean effect by "
           "inverting them; closed testing across the majors (family-wise 5%). With fewer than "
           "19 placebos no RI p value is reported. Not rejecting (c) is not evidence that "
           "developers are alike: see (a).", ""]
    for b in dims.get("benchmark", []):
        c = view.cell(benchmark=b)
        if c is None:
            continue
        c = c.copy()
        c["cell_id"] = view.cid(benchmark=b)
        het = (f"F({int(c['dev_het_df1'])}, {int(c['dev_het_df2'])}) = {c['dev_het_F']:.2f}, "
               f"p = {c['dev_het_p']:.2g}, wild bootstrap p = {fmt_p(c['dev_het_p_wild'])}"
               if np.isfinite(c.get("dev_het_F", np.nan)) else "not defined")
        out += [f"### Baseline cell, {b}", "",
                f"- {NULL_A}: {het}.",
                f"- {NULL_B}: {size_group_line(c['cell_id'], terms)}.",
                f"- {NULL_C}, jointly (Σ t² against {int(c['ri_sets'])} random sets): RI p = "
                f"{fmt_p(c['company_t2_ri_p'])}; closed testing rejects "
                f"{int(c['majors_ri_closed_reject'])} of {int(c['majors_ri_tested'])} majors."
                + (f" {c['ri_note']}." if c.get("ri_note") else ""), ""]
        tab = majors_table(c, terms)
        if len(tab):
            out += [f"Majors against their size peers: effects relative to non-major "
                    f"developers of similar size, 95% sets by inverting RI-t (per major) and "
                    f"the shifted Σ t test (the mean), as compute factors 10^(x/β_c) at "
                    f"β_c = {c['beta_c']:.3f}:", "", markdown_table(tab, disable_numparse=True),
                    ""]
    out += ["### Across the grid (in-window cells)", "", CAVEAT, "",
            markdown_table(across_cells(window, terms, alpha), disable_numparse=True), ""]
    return "\n".join(out)
