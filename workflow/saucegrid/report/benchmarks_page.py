"""results/benchmarks.md: the six leaderboard benchmarks side by side (the tables are
:mod:`saucegrid.report.benchmarks`'; this module only writes them out)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.formatting import fmt_number, fmt_p, markdown_table
from saucegrid.report.benchmarks import LABELS, claims_table
from saucegrid.report.paper import CELL_CLAIMS

FIGURES = ("`results/figures/benchmarks_forest.png` (each major against its size peers, with the "
           "inverted RI set, red where closed testing rejects, and the paper's MMLU-Pro "
           "estimates) and `results/figures/benchmarks_shapley.png`")


def _samples(tab: pd.DataFrame) -> str:
    t = tab.assign(benchmark=tab["benchmark"].map(LABELS)).rename(columns={
        "n": "N", "major_models": "major-developer models",
        "floor_excluded": "excluded at the floor"})
    return markdown_table(t)


def _headline(base: pd.DataFrame, ints: pd.DataFrame) -> str:
    ints = ints.set_index("benchmark")
    rows = []
    for _, c in base.iterrows():
        i = ints.loc[c["benchmark"]]
        sp = c["shared_progress_factor"]
        rows.append({
            "benchmark": LABELS[c["benchmark"]], "β_c": fmt_number(c["beta_c"]),
            "β_c 95% (WCR)": f"[{fmt_number(c['beta_c_ci_wcr_low'])}, "
                             f"{fmt_number(c['beta_c_ci_wcr_high'])}]",
            "company share": fmt_number(c["shapley_company"]),
            "its 95% (hybrid bootstrap)": f"[{fmt_number(i['company_share_low'])}, "
                                          f"{fmt_number(i['company_share_high'])}]",
            "shared progress ×": fmt_number(sp, ".2f") if np.isfinite(sp) else "undefined",
            "its 95% (inverted WCR)": (f"[{fmt_number(i['shared_progress_low'], '.2f')}, "
                                       f"{fmt_number(i['shared_progress_high'], '.2f')}]"
                                       if np.isfinite(sp) else "undefined"),
            "joint RI p (majors vs size peers)": fmt_p(c["company_share_ri_p"]),
        })
    return markdown_table(pd.DataFrame(rows), disable_numparse=True)


def _robustness(rob: pd.DataFrame) -> str:
    rows = []
    for r in rob.itertuples():
        row = {"benchmark": LABELS[r.benchmark], "cells": f"{r.cells}" + (
            f" ({r.not_fitted} not fitted)" if r.not_fitted else ""),
            "β_c median [min, max]": f"{fmt_number(r.beta_c_median)} "
                                     f"[{fmt_number(r.beta_c_min)}, {fmt_number(r.beta_c_max)}]",
            "company share median [min, max]":
                f"{fmt_number(r.company_share_median)} [{fmt_number(r.company_share_min)}, "
                f"{fmt_number(r.company_share_max)}]"}
        for k in CELL_CLAIMS:
            h, d = getattr(r, f"{k}_holds"), getattr(r, f"{k}_defined")
            row[k] = f"{h} of {d}" if d else "undefined"
        rows.append(row)
    return markdown_table(pd.DataFrame(rows), disable_numparse=True)


def _correlations(corr: pd.DataFrame) -> str:
    show = corr.assign(
        pair=[f"{LABELS[a]} – {LABELS[b]}" for a, b in zip(corr["a"], corr["b"], strict=True)],
        ρ=[fmt_number(x, "+.2f") for x in corr["rho"]],
        p=[fmt_p(x) for x in corr["p_perm"]],
        bonferroni=[fmt_p(min(1.0, x * len(corr))) for x in corr["p_perm"]],
        set=[f"[{fmt_number(lo, '+.2f')}, {fmt_number(hi, '+.2f')}]"
             for lo, hi in zip(corr["ci_low"], corr["ci_high"], strict=True)],
    )[["pair", "developers", "ρ", "p", "bonferroni", "set"]]
    return markdown_table(show, disable_numparse=True)


def markdown(base: pd.DataFrame, samples: pd.DataFrame, ints: pd.DataFrame,
             robust: pd.DataFrame, table_md: str, corr: pd.DataFrame, cross: list[str]) -> str:
    undefined = [f"{LABELS[c['benchmark']]}: {c['factors_note']}" for _, c in base.iterrows()
                 if not np.isfinite(c["shared_progress_factor"])]
    why = ("" if not undefined else "Undefined: every compute factor divides by β_c — "
           + "; ".join(undefined) + ".")
    return "\n".join([
        "# Across benchmarks: the paper's specifications on six leaderboard benchmarks", "",
        "Eq. (1) (OLS of the logit of the score on log10 FLOPs, period and developer-group "
        "dummies, CR1 by developer) fitted on each benchmark of the Open LLM Leaderboard. "
        "IFEval, BBH, GPQA and MUSR are the grid's named sub-grid `leaderboard` "
        f"({' × '.join(cross)}); they take the leaderboard's normalized score (each subtask's "
        "random baseline removed) and only its rows: no LifeArchitect, Epoch or TIGER "
        "additions. Models at or below the floor cannot take a logit: excluded, never "
        "clipped, and counted below.", "",
        "## Samples", "", _samples(samples), "",
        "## Headline numbers (baseline cell, Table C.1 column (1))", "",
        _headline(base, ints), "",
        "Intervals by the findings ledger's methods (docs/findings.md). " + why, "",
        "## Does each claim hold on each benchmark?", "",
        "The paper's claims that one cell can test, on each benchmark's baseline cell (the "
        "rules the findings ledger counts over the grid). Each verdict compares the point "
        "estimate with the claim's threshold; it is borne out by the data only where the "
        "interval above lies wholly on the same side (C1, C3). "
        f"Figures: {FIGURES}.", "",
        markdown_table(claims_table(base), disable_numparse=True), "",
        f"## Across {' × '.join(cross)}", "",
        "The same specifications on every benchmark (every other dimension at its baseline): "
        "the cells fitted, the range of β_c and of the company share, and in how many cells "
        "each claim holds, of those where it is defined.", "",
        _robustness(robust), "",
        "## Table C.1 column (1), six benchmarks", "",
        table_md,
        "## Do the benchmarks rank the major developers alike?", "",
        "Null: the two benchmarks' rankings of the majors are unrelated. Spearman's ρ of "
        "their Table C.1 (1) effects over the majors estimated on both (OpenAI, Anthropic "
        "and xAI have no leaderboard models), permutation p (two-sided; exact over all "
        "pairings for up to eight developers), Bonferroni over the "
        f"{len(corr)} pairs, and the 95% Fisher-z set (undefined when ρ = ±1, where "
        "Fisher's z is infinite). With seven to ten developers the test has little power "
        "(with ten, ρ = 0.7 is detected about 58% of the time at 5%), so a non-rejection "
        "is not evidence of different rankings.", "",
        _correlations(corr), ""])
