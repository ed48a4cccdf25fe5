"""Beyond the paper: the baseline specification (Table C.1 column (1)) on all six benchmarks of
the Open LLM Leaderboard, and whether they rank the major developers alike.

The four benchmarks the paper does not use (IFEval, BBH, GPQA, MUSR) are scored on leaderboard
rows only (see :func:`saucegrid.data.sample.outcome`); MMLU-Pro and MATH Level 5 keep their
LifeArchitect and Epoch additions, as in the paper. Each benchmark's cell is fitted like a grid
cell (CR1, the wild cluster restricted bootstrap, randomization inference).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.data.constructions import construction_sample
from saucegrid.data.sample import ALL_BENCHMARKS
from saucegrid.estimation import rank_correlation, specs
from saucegrid.estimation.bootstrap import WCR
from saucegrid.estimation.randomization import RI
from saucegrid.formatting import fmt_number, fmt_p, markdown_table
from saucegrid.grid import fit
from saucegrid.report.paper import CELL_CLAIMS

LABELS = {"mmlu_pro": "MMLU-Pro", "math_l5": "MATH L5", "ifeval": "IFEval", "bbh": "BBH",
          "gpqa": "GPQA", "musr": "MUSR"}
PERMUTATION_DRAWS = 9999
SEED = 20261206


def fit_baselines(models: pd.DataFrame, sample_cfg: dict, majors, wcr: dict | None,
                  ri: dict | None, benchmarks=ALL_BENCHMARKS):
    """(cells, terms, samples): the baseline specification fitted on each benchmark."""
    quantiles = tuple(sample_cfg["size_group_quantiles"])
    rows, terms, samples = [], [], {}
    for b in benchmarks:
        s = construction_sample(models, b, sample_cfg, {}, majors)
        samples[b] = s
        row, tr = fit.fit_cell(specs.PreparedSample(s, majors, quantiles),
                               specs.Spec(benchmark=b), majors, quantiles,
                               wcr=WCR.from_config(wcr) if wcr else None,
                               ri=RI.from_config(ri) if ri else None)
        rows.append(row)
        terms += tr
    return pd.DataFrame(rows), pd.DataFrame(terms), samples


def side_by_side(cells: pd.DataFrame, terms: pd.DataFrame) -> pd.DataFrame:
    """Table C.1 column (1) per benchmark: estimate, CR1 SE and stars of every term; N, R²."""
    order = [t for t in dict.fromkeys(terms["term"]) if t != "const"]
    out = {}
    for _, c in cells.iterrows():
        t = terms[terms["cell_id"] == c["cell_id"]].set_index("term")
        col = {}
        for term in order:
            if term not in t.index or t.loc[term, "omitted"]:
                col[term] = "—"
            else:
                r = t.loc[term]
                col[term] = f"{r['estimate']:.3f}{r['stars']} ({r['std_error']:.3f})"
        col["N"] = str(int(c["n_obs"]))
        col["R²"] = fmt_number(c["r2"])
        out[LABELS[c["benchmark"]]] = col
    return pd.DataFrame(out).rename_axis("term").reset_index()


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


def _claim_value(claim: str, v: float) -> str:
    return f"{v:.0%}" if claim == "C1" else fmt_number(v, ".1f") + "×"


def claims_table(cells: pd.DataFrame) -> pd.DataFrame:
    """Each claim a single cell can test (report.paper.CELL_CLAIMS), on each benchmark's cell:
    holds / does not hold (its value), or undefined."""
    c = cells.reset_index(drop=True)
    rows = []
    for k, rule in CELL_CLAIMS.items():
        vals = pd.to_numeric(rule.value(c), errors="coerce").reset_index(drop=True)
        row = {"claim": k, "what": rule.what}
        for i, b in enumerate(c["benchmark"]):
            v = vals.iloc[i]
            row[LABELS[b]] = ("undefined" if not np.isfinite(v) else
                              ("holds" if bool(rule.holds(pd.Series([v])).iloc[0])
                               else "does not hold") + f" ({_claim_value(k, v)})")
        rows.append(row)
    return pd.DataFrame(rows)


def summary_markdown(cells, samples, models, table, corr) -> str:
    out = ["# Across benchmarks: the baseline specification on six leaderboard benchmarks", "",
           "Table C.1 column (1) (OLS of the logit of the score on log10 FLOPs, period and "
           "developer-group dummies, CR1 by developer) fitted on each benchmark of the Open LLM "
           "Leaderboard. IFEval, BBH, GPQA and MUSR take the leaderboard's normalized score "
           "(each subtask's random baseline removed) and only its rows: no LifeArchitect, "
           "Epoch or TIGER additions. Models at or below the floor cannot take a logit: "
           "excluded, never clipped.", "", "## Samples", ""]
    n = pd.DataFrame([{
        "benchmark": LABELS[b], "N": len(s),
        "major-developer models": int(s["developer_group"].isin(
            [g for g in s["developer_group"].unique() if not str(g).startswith("other")]).sum()),
        "excluded at the floor": int((models[f"exclusion_reason_{b}"]
                                      == "score_not_in_logit_domain").sum()),
        "sources": ", ".join(f"{k} {v}" for k, v in s["source"].value_counts().items()),
    } for b, s in samples.items()])
    out += [markdown_table(n), "", "## Headline numbers", ""]
    head = pd.DataFrame([{
        "benchmark": LABELS[c["benchmark"]], "β_c": fmt_number(c["beta_c"]),
        "β_c 95% (WCR)": f"[{fmt_number(c['beta_c_ci_wcr_low'])}, "
                         f"{fmt_number(c['beta_c_ci_wcr_high'])}]",
        "company share (Shapley)": fmt_number(c["shapley_company"]),
        "shared progress ×": fmt_number(c["shared_progress_factor"], ".2f"),
        "its 95% (Fieller, CR1)": f"[{fmt_number(c['shared_progress_factor_low'], '.2f')}, "
                                  f"{fmt_number(c['shared_progress_factor_high'], '.2f')}]",
        "joint RI p (majors vs size peers)": fmt_p(c["company_share_ri_p"]),
    } for _, c in cells.iterrows()])
    undefined = [f"{LABELS[c['benchmark']]}: {c['factors_note']}" for _, c in cells.iterrows()
                 if not np.isfinite(c["shared_progress_factor"])]
    out += [markdown_table(head, disable_numparse=True), "",
            "The company share is a point estimate (its bootstrap interval is built for "
            "MMLU-Pro and MATH L5 in the findings ledger only). A Fieller set for shared "
            "progress under-covers with few clusters (see docs/findings.md)."
            + ("" if not undefined else " Shared progress is undefined where β_c is not "
               "distinguishable from 0 — " + "; ".join(undefined) + "."), "",
            "## Does each claim hold on each benchmark?", "",
            "The paper's claims that one cell can test, on each benchmark's baseline cell "
            "(the rules the findings ledger counts over the grid; point estimates — the "
            "ledger gives MMLU-Pro's and MATH L5's intervals). Figures: "
            "`results/figures/benchmarks_forest.png` (each major against its size peers, with "
            "the inverted RI set, red where closed testing rejects, and the paper's MMLU-Pro "
            "estimates) and `results/figures/benchmarks_shapley.png`.", "",
            markdown_table(claims_table(cells), disable_numparse=True), "",
            *([("Undefined: every compute factor divides by β_c — " + "; ".join(undefined)
                + "."), ""] if undefined else []),
            "## Table C.1 column (1), six benchmarks", "",
            markdown_table(table, disable_numparse=True), "",
            "## Do the benchmarks rank the major developers alike?", "",
            "Null: the two benchmarks' rankings of the majors are unrelated. Spearman's ρ of "
            "their Table C.1 (1) effects over the majors estimated on both (OpenAI, Anthropic "
            "and xAI have no leaderboard models), permutation p (two-sided; exact over all "
            "pairings for up to eight developers), Bonferroni over the "
            f"{len(corr)} pairs, and the 95% Fisher-z set (undefined when ρ = ±1, where "
            "Fisher's z is infinite). With seven to ten developers the test has little power "
            "(with ten, ρ = 0.7 is detected about 58% of the time at 5%), so a non-rejection "
            "is not evidence of different rankings.", ""]
    show = corr.assign(
        pair=[f"{LABELS[a]} – {LABELS[b]}" for a, b in zip(corr["a"], corr["b"], strict=True)],
        ρ=[fmt_number(x, "+.2f") for x in corr["rho"]],
        p=[fmt_p(x) for x in corr["p_perm"]],
        bonferroni=[fmt_p(min(1.0, x * len(corr))) for x in corr["p_perm"]],
        set=[f"[{fmt_number(lo, '+.2f')}, {fmt_number(hi, '+.2f')}]"
             for lo, hi in zip(corr["ci_low"], corr["ci_high"], strict=True)],
    )[["pair", "developers", "ρ", "p", "bonferroni", "set"]]
    out += [markdown_table(show, disable_numparse=True), ""]
    return "\n".join(out)
