"""Across benchmarks: the headline numbers' intervals on each of the six leaderboard benchmarks,
and the findings page's section "Across benchmarks" (built by the named target
``results/benchmarks.md``; the page includes it whenever that target has run).

Intervals use the ledger's methods (:mod:`.intervals`): the company share (C1) the hybrid
bootstrap's percentile interval; shared progress (C3) the WCR bootstrap inverted for the ratio
γ_last/β_c, and undefined where β_c's interval holds 0 (the factor divides by β_c).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.estimation import specs
from saucegrid.findings import intervals as ivs
from saucegrid.findings.resample import percentile
from saucegrid.formatting import fmt_number, markdown_table
from saucegrid.report.benchmarks import LABELS, claim_values, verdict
from saucegrid.report.paper import CELL_CLAIMS

COLUMNS = ["benchmark", "company_share", "company_share_low", "company_share_high",
           "shared_progress", "shared_progress_low", "shared_progress_high",
           "shared_progress_note"]


def intervals(samples: dict, cells: pd.DataFrame, majors, quantiles, draws: int,
              wcr_draws: int, seed: int) -> pd.DataFrame:
    """Per benchmark (`cells`: its baseline cell, `samples`: its analysis sample): the company
    share and shared progress with their 95% intervals."""
    rows = []
    for c in cells.itertuples():
        d = specs.design(samples[c.benchmark], specs.Spec(benchmark=c.benchmark), majors,
                         quantiles)
        lo, hi, _ = percentile(ivs.hybrid_draws(d, draws, seed)["company_share"])
        sp = float(c.shared_progress_factor)
        slo, shi = ivs.shared_progress_set(d, wcr_draws, seed) if np.isfinite(sp) else (np.nan,
                                                                                      np.nan)
        rows.append(dict(zip(COLUMNS, [c.benchmark, float(c.shapley_company), lo, hi, sp, slo,
                                       shi, "" if np.isfinite(sp) else str(c.factors_note)],
                             strict=True)))
    return pd.DataFrame(rows, columns=COLUMNS)


def _interval(x, lo, hi, fmt) -> str:
    if not np.isfinite(x):
        return "undefined"
    return f"{fmt(x)} [{fmt(lo) if np.isfinite(lo) else '—'}, " \
           f"{fmt(hi) if np.isfinite(hi) else '—'}]"


def _baseline(claim: str, v: float, ints: pd.Series) -> str:
    """The verdict on the baseline cell, with C1's and C3's interval inside its parentheses."""
    text = verdict(claim, v)
    if claim == "C1" and np.isfinite(v):
        text = text[:-1] + (f"; [{ints['company_share_low']:.0%}, "
                            f"{ints['company_share_high']:.0%}])")
    if claim == "C3" and np.isfinite(v):
        lo, hi = ints["shared_progress_low"], ints["shared_progress_high"]
        text = text[:-1] + f"; [{fmt_number(lo, '.1f')}×, {fmt_number(hi, '.1f')}×])"
    return text


def section(base: pd.DataFrame, robust: pd.DataFrame, ints: pd.DataFrame,
            corr: pd.DataFrame, cross: list[str]) -> str:
    """The findings page's section: per claim a single cell can test, on each benchmark, its
    baseline verdict with the interval, and the share of the benchmark's cells where it holds."""
    ints = ints.set_index("benchmark")
    rob = robust.set_index("benchmark")
    vals = claim_values(base)
    rows = []
    for k in vals.index:
        row = {"claim": k, "what": CELL_CLAIMS[k].what}
        for b, v in vals.loc[k].items():
            h, n = int(rob.loc[b, f"{k}_holds"]), int(rob.loc[b, f"{k}_defined"])
            share = f"{h} of {n}" if n else "no cell defines it"
            row[LABELS[b]] = f"{_baseline(k, v, ints.loc[b])}; cells: {share}"
        rows.append(row)
    bonf = corr.assign(adj=np.minimum(1.0, corr["p_perm"] * len(corr)))
    survive = [f"{LABELS[a]}–{LABELS[b]} (ρ = {r:+.2f})" for a, b, r, p in
               zip(bonf["a"], bonf["b"], bonf["rho"], bonf["adj"], strict=True) if p < 0.05]
    n_cells = "×".join(cross)
    return "\n".join([
        "## Across benchmarks", "",
        "Does each claim that one cell can test hold on each of the Open LLM Leaderboard's six "
        "benchmarks? Per benchmark: the verdict on its baseline cell (Table C.1 column (1)) with "
        "the value, and for C1 and C3 the 95% interval (C1: hybrid bootstrap; C3: inverted WCR "
        "bootstrap); then in how many of its fitted cells across "
        f"{n_cells} the claim holds, of those where it is defined. A verdict compares the point "
        "estimate with the claim's threshold: it is borne out by the data only where the 95% "
        "interval lies wholly on the same side of it. IFEval, BBH, GPQA and MUSR "
        "use leaderboard rows only. Claims C2, C6 and C7 rest on the paper's MMLU-Pro frontier, "
        "interaction and threshold tables and are not repeated here. Details: "
        "`results/benchmarks.md`.", "",
        markdown_table(pd.DataFrame(rows), disable_numparse=True), "",
        "**Is the secret sauce one ranking of developers?** Null: two benchmarks rank the "
        "majors unrelatedly (Spearman, permutation p, Bonferroni over the "
        f"{len(corr)} pairs). ρ ranges over [{corr['rho'].min():+.2f}, "
        f"{corr['rho'].max():+.2f}]; "
        + (f"rejected after Bonferroni for {', '.join(survive)} only" if survive
           else "no pair rejects after Bonferroni")
        + ". The test is weak: with ten majors, ρ = 0.7 is detected about 58% of the time at "
        "5%, and less often with the seven of a pair that includes a leaderboard-only "
        "benchmark, so the non-rejections do not show different rankings.", ""])
