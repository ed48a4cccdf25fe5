"""The grid's human summary (results/grid/summary.md): how far the headline numbers move per
dimension, the appendix's tables across the grid, the sample constructions side by side, and
CR1 against the wild cluster restricted bootstrap."""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.estimation import estimate, specs
from saucegrid.formatting import fmt_number as _fmt
from saucegrid.formatting import fmt_p, markdown_table
from saucegrid.grid.view import GridView
from saucegrid.report.nulls_report import CAVEAT, NULL_C, nulls_markdown

HEADLINES = {
    "beta_c": ("β_c", ".3f"),
    "shared_progress_factor": ("shared progress ×", ".2f"),
    "shapley_company": ("company share", ".3f"),
    "gap_90_10_factor": ("90–10 gap ×", ".1f"),
    "r2": ("R²", ".3f"),
}


def _md(df: pd.DataFrame) -> str:
    return markdown_table(df, disable_numparse=True)


def movement_table(view: GridView) -> pd.DataFrame:
    """For each dimension: the range of each headline across its levels, others at baseline."""
    rows = []
    for d, levels in view.dims.items():
        vals = {h: [] for h in HEADLINES}
        for lv in levels:
            c = view.cell(**{d: lv})
            if c is None:
                continue
            for h in HEADLINES:
                v = c.get(h, np.nan)
                if np.isfinite(v):
                    vals[h].append(float(v))
        row = {"dimension": d, "levels": len(levels)}
        for h, (lab, f) in HEADLINES.items():
            v = vals[h]
            row[lab] = f"{_fmt(min(v), f)} – {_fmt(max(v), f)}" if v else "—"
        rows.append(row)
    return pd.DataFrame(rows)


def in_window(cells: pd.DataFrame, dims: dict) -> pd.DataFrame:
    """The cells at the baseline panel (all of them when the grid has no panel dimension)."""
    if "panel" not in cells or not dims.get("panel"):
        return cells
    return cells[cells["panel"].astype(str) == str(dims["panel"][0])]


def across_cells(cells: pd.DataFrame) -> pd.DataFrame:
    ok = cells[cells["status"] == "ok"]
    rows = []
    for h, (lab, f) in HEADLINES.items():
        for b, g in ok.groupby("benchmark", sort=False):
            v = g[h].replace([np.inf, -np.inf], np.nan).dropna()
            if not len(v):
                continue
            same = (np.sign(v) == np.sign(v.median())).mean()
            rows.append({"quantity": lab, "benchmark": b, "cells": len(v),
                         "min": _fmt(v.min(), f), "median": _fmt(v.median(), f),
                         "max": _fmt(v.max(), f), "same sign as median": f"{same:.0%}"})
    return pd.DataFrame(rows)


def _coef_columns(view: GridView, variants: list[tuple[str, dict]], terms: list[str]):
    from saucegrid.report.tables import term_label

    rows = []
    t = view.terms
    for term in terms:
        row = {"term": term_label(term)}
        for label, lv in variants:
            sel = t[(t["cell_id"] == view.cid(**lv)) & (t["term"] == term)]
            if len(sel) and np.isfinite(sel["estimate"].iloc[0]):
                r = sel.iloc[0]
                row[label] = f"{r['estimate']:.3f}{r['stars']} ({r['std_error']:.3f})"
            else:
                row[label] = "—"
        rows.append(row)
    for key, lab, f in (("n_obs", "N", "d"), ("r2", "R²", ".3f")):
        row = {"term": lab}
        for label, lv in variants:
            c = view.cell(**lv)
            row[label] = "—" if c is None else format(c[key], f) if key != "n_obs" else \
                str(int(c[key]))
        rows.append(row)
    return pd.DataFrame(rows)


def summary_markdown(cells: pd.DataFrame, terms: pd.DataFrame, dims: dict,
                     developer_sets: dict, paper: dict | None = None,
                     alpha: float = 0.05) -> str:
    view = GridView(cells, terms, dims)
    base = view.base
    st = cells["status"].value_counts()
    out = ["# Robustness grid summary", "",
           f"{len(cells)} cells ({', '.join(f'{k} {v}' for k, v in st.items())}) over "
           + ", ".join(f"{k} ({len(v)})" for k, v in dims.items()) + ".",
           "", "Baseline (first level of each dimension): "
           + ", ".join(f"`{k}={v}`" for k, v in base.items()) + ".", ""]

    out += ["## How far the headline numbers move, one dimension at a time", "",
            "Each row varies one dimension over its levels with every other dimension at the "
            "baseline, and gives the min – max of each headline across those levels.", "",
            _md(movement_table(view)), ""]
    inw = in_window(cells, dims)
    out += ["## Across all cells", "",
            *(["In-window cells only: the out-of-sample panels (`panel` other than "
               f"`{dims['panel'][0]}`) compare other periods; `results/out_of_sample.md` reads "
               "them.", ""] if len(inw) < len(cells) else []),
            _md(across_cells(inw)), ""]

    majors = developer_sets[base.get("devset", "paper")]
    key_terms = ([specs.LOG_FLOPS] + [f"period:{p}" for p in list(specs.PERIOD3)[1:]]
                 + [f"dev:{m}" for m in majors])
    variants = [("baseline", {})]
    variants += [(f"link {v}", {"link": v}) for v in dims.get("link", [])[1:]]
    variants += [(f"time {v}", {"time": v}) for v in dims.get("time", [])[1:]]
    variants += [(f"devset {v}", {"devset": v}) for v in dims.get("devset", [])[1:]]
    out += ["## Table C.1, column (1), across link, time and developer-set variants", "",
            "Coefficient with stars, clustered SE in parentheses; — = not in that "
            "specification.", "", _md(_coef_columns(view, variants, key_terms)), ""]

    rows = []
    for m in majors:
        row = {"developer": m}
        for t in dims.get("time", []):
            c = view.cell(time=t)
            row[f"time={t}"] = _fmt(c.get(f"factor_dev:{m}", np.nan) if c is not None
                                    else np.nan, ".1f")
        rows.append(row)
    out += ["## Figure E.9: developer compute factors under three time structures", "",
            "M = 10^(ν_j/β_c), relative to other-small developers.", "",
            _md(pd.DataFrame(rows)), ""]

    rows = []
    for label, lv in [("baseline", {})] + [(f"link {v}", {"link": v}) for v in
                                          dims.get("link", [])[1:]] + \
            [(f"time {v}", {"time": v}) for v in dims.get("time", [])[1:]]:
        for b in dims.get("benchmark", []):
            c = view.cell(benchmark=b, **lv)
            if c is None:
                continue
            rows.append({"variant": label, "benchmark": b, "N": int(c["n_obs"]),
                         **{k: _fmt(c[f"shapley_{k}"], ".3f") for k in
                            ("scale", "time", "company", "residual")}})
    out += ["## Figures 1, E.2, E.6, E.10, D.2: Shapley shares", "", _md(pd.DataFrame(rows)),
            ""]

    inter = [specs.LOG_FLOPS] + [f"period:{p} x {specs.LOG_FLOPS}" for p in list(specs.PERIOD3)[1:]]
    variants = [(b, {"benchmark": b, "interaction": "period_x_compute"})
                for b in dims.get("benchmark", [])  # a sub-grid's benchmark may lack it
                if view.cell(benchmark=b, interaction="period_x_compute") is not None]
    if "period_x_compute" in dims.get("interaction", []):
        out += ["## Table E.1: compute × period interactions", "",
                _md(_coef_columns(view, variants, inter)), ""]

    rows = []
    for b in dims.get("benchmark", []):
        c = view.cell(benchmark=b)
        if c is None:
            continue
        rows.append({"benchmark": b, "N": int(c["n_obs"]), "G": int(c["n_clusters"]),
                     **{lab: _fmt(c[h], f) for h, (lab, f) in HEADLINES.items()}})
    out += ["## MATH L5 beside MMLU-Pro, and every other benchmark fitted (baseline "
            "specification)", "",
            _md(pd.DataFrame(rows)), ""]

    if len(dims.get("construction", [])) > 1:
        rows = []
        for b in dims["benchmark"]:
            for con in dims["construction"]:
                c = view.cell(benchmark=b, construction=con)
                if c is None:
                    continue
                rows.append({"benchmark": b, "construction": con, "N": int(c["n_obs"]),
                             "G": int(c["n_clusters"]),
                             **{lab: _fmt(c[h], f) for h, (lab, f) in HEADLINES.items()}})
        out += ["## Sample constructions (baseline specification)", "",
                "Each construction variant of `constructions:` in config.yaml; "
                "`results/fidelity.md` sets their counts and estimates against the paper's.", "",
                _md(pd.DataFrame(rows)), ""]
    inf = inference_markdown(cells, terms, dims, developer_sets, paper, alpha)
    if inf:
        out += [inf]
    if "dev_het_F" in cells:
        out += [nulls_markdown(GridView(cells, terms, dims), in_window(cells, dims), terms,
                               dims, alpha)]
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# inference: CR1 against the wild cluster restricted bootstrap

# headline -> (label, p value under CR1, under WCR, under RI, how its sign is read)
INFERENCE = [
    ("beta_c", "β_c", "beta_c_p", "beta_c_p_wcr", None, "sign of β_c"),
    ("shared_progress_factor", "shared progress ×", "shared_progress_p", "shared_progress_p_wcr",
     None, "above or below 1×; test: last period effect = 0"),
    ("shapley_company", "company share", "company_p_bonf", "company_p_bonf_wcr",
     "company_share_ri_p", "CR1, WCR: null: every developer-group effect (majors and size "
     "groups) is zero, Bonferroni over them; RI: null " + NULL_C + ", the company share "
     "against random sets of placebo developers"),
    ("shapley_company", "company share", "company_wald_p", None, "company_wald_ri_p",
     "CR1: null: every developer-group effect is zero, Wald F on (q, G−1); RI: null "
     + NULL_C + ", classical Wald F against random sets of placebo developers"),
    ("shapley_company", "company share", None, None, "company_t2_ri_p",
     "RI only: null " + NULL_C + ", jointly: the sum of squared studentized effects against "
     "random sets of developers"),
]


def _share(mask) -> str:
    mask = np.asarray(mask, bool)
    return f"{mask.mean():.0%} of {len(mask)}" if len(mask) else "—"


def inference_across_cells(cells: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Per headline quantity and benchmark: median, range, share of cells with the median's
    sign, and the share significant at alpha under CR1, WCR and RI, each as 'x% of n': among
    the n cells where that test is defined ('—' where it is defined in none)."""
    ok = cells[cells["status"] == "ok"]
    rows = []
    for h, lab, p1, p2, p3, how in INFERENCE:
        if h not in ok or (p1 not in ok and (p3 is None or p3 not in ok)):
            continue
        f = HEADLINES[h][1]
        for b, g in ok.groupby("benchmark", sort=False):
            v = g[h].replace([np.inf, -np.inf], np.nan)
            keep = v.notna()
            v, g = v[keep], g[keep]
            if not len(v):
                continue
            signed = np.log10(v) if h == "shared_progress_factor" else v
            same = np.sign(signed) == np.sign(signed.median())
            pc = g[p1].to_numpy(float) if p1 and p1 in g else np.full(len(g), np.nan)
            pw = g[p2].to_numpy(float) if p2 and p2 in g else np.full(len(g), np.nan)
            pr = g[p3].to_numpy(float) if p3 and p3 in g else np.full(len(g), np.nan)
            rows.append({
                "quantity": lab, "test": how, "benchmark": b, "cells": len(v),
                "median": _fmt(v.median(), f), "min – max": f"{_fmt(v.min(), f)} – "
                f"{_fmt(v.max(), f)}", "same sign as median": _share(same),
                f"significant at {alpha:.0%}, CR1": _share(pc[np.isfinite(pc)] < alpha),
                f"significant at {alpha:.0%}, WCR": _share(pw[np.isfinite(pw)] < alpha),
                f"significant at {alpha:.0%}, RI": _share(pr[np.isfinite(pr)] < alpha)})
    return pd.DataFrame(rows)


def _verdicts(v: pd.Series) -> str:
    return ", ".join(f"{(v == x).sum()} {x}" for x in ("kept", "weaker", "lost"))


def stars_verdict(paper: str, ours: str) -> str:
    """Does a published star level survive our test: kept (as many stars or more), weaker
    (fewer, still < 0.10), lost (none left), new (we find significance the paper did not)."""
    a, b = len(paper or ""), len(ours or "")
    if a == 0:
        return "new" if b else ""
    return "kept" if b >= a else "weaker" if b else "lost"


def table_c1_inference(view: GridView, paper: dict | None, majors) -> pd.DataFrame:
    """Table C.1's four columns at the baseline levels: per term, the estimate, the paper's
    stars, our CR1 p value and stars, our WCR p value, stars and 95% interval, and whether the
    paper's stars survive under WCR."""
    from saucegrid.report.paper import C1_SAMPLES, term_order
    from saucegrid.report.tables import term_label

    ref = (paper or {}).get("table_c1", {}).get("stars", {})
    rows = []
    for i, smp in enumerate(C1_SAMPLES):
        t = view.terms[view.terms["cell_id"] == view.cid(sample=smp)].set_index("term")
        for term in term_order(majors):
            if term == "const" or term not in t.index or t.loc[term, "omitted"] != "":
                continue
            r = t.loc[term]
            ps = (ref.get(term) or [""] * 4)[i] or ""
            lo, hi = r.get("ci_wcr_low", np.nan), r.get("ci_wcr_high", np.nan)
            rows.append({
                "column": f"({i + 1})", "term": term_label(term),
                "estimate": f"{r['estimate']:.3f}", "paper": ps or "·",
                "CR1 p": f"{r['p_value']:.3f}{r['stars']}",
                "WCR p": (f"{fmt_p(r['p_wcr'])}{r['stars_wcr']}"
                          if np.isfinite(r.get("p_wcr", np.nan)) else "—"),
                "WCR 95% interval": f"[{_fmt(lo, '.3f')}, {_fmt(hi, '.3f')}]",
                "RI-β p": (f"{fmt_p(r['p_ri_beta'])}{estimate.stars(r['p_ri_beta'])}"
                           if np.isfinite(r.get("p_ri_beta", np.nan)) else "—"),
                "RI-t p": _fmt(r.get("p_ri_t", np.nan), ".3f"),
                "paper's stars under CR1": stars_verdict(ps, r["stars"]),
                "under WCR": (stars_verdict(ps, r.get("stars_wcr", ""))
                              if np.isfinite(r.get("p_wcr", np.nan)) else "n/a"),
                "under RI-β": (stars_verdict(ps, estimate.stars(r["p_ri_beta"]))
                               if np.isfinite(r.get("p_ri_beta", np.nan)) else ""),
            })
    return pd.DataFrame(rows)


def inference_markdown(cells: pd.DataFrame, terms: pd.DataFrame, dims: dict,
                       developer_sets: dict, paper: dict | None = None,
                       alpha: float = 0.05) -> str:
    view = GridView(cells, terms, dims)
    ok = cells[cells["status"] == "ok"]
    if "beta_c_p_wcr" not in ok or not np.isfinite(ok["beta_c_p_wcr"].to_numpy(float)).any():
        return ""
    by = ok.groupby("wcr_weights")["wcr_draws"].agg(["count", "min", "max"]) \
        if "wcr_weights" in ok else pd.DataFrame()
    how = "; ".join(f"{w} weights in {int(r['count'])} cells" for w, r in by.iterrows())
    exact = int(ok.get("wcr_exact", pd.Series(dtype=bool)).astype(bool).sum())
    draws = sorted({int(x) for x in ok["wcr_draws"].dropna()}) if "wcr_draws" in ok else []
    out = ["## Inference: CR1 against the wild cluster restricted bootstrap", "",
           "CR1: developer-clustered standard errors with Stata's small-sample factor and "
           "t(G−1) p values. WCR: wild cluster restricted bootstrap (null imposed) of the same "
           "t statistic, symmetric p values; intervals by test inversion. "
           f"{how}; draws per cell: {', '.join(map(str, draws))}"
           + (f"; {exact} cells use every weight vector (exact)" if exact else "") + ".", "",
           "Every major developer is a single cluster, so each developer effect rests on one "
           "cluster: CR1 is known to over-reject such effects and the WCR bootstrap to "
           "under-reject them, often never rejecting at all (MacKinnon and Webb 2017, 2018). "
           + ("Such coefficients (`one_cluster` in terms) therefore get no WCR p value or "
              "interval by default (`wcr.one_cluster: true` computes them anyway), so the WCR "
              "column of every major-developer effect, and the Bonferroni WCR test of the "
              "developer effects, are empty. "
              if "one_cluster" in terms and not terms.loc[terms["one_cluster"].astype(bool),
                                                          "p_wcr"].notna().any() else "")
           + "β_c and the period effects vary within clusters and are where the two agree or "
           "disagree most informatively.", "",
           "### Across all cells", "", "Each share counts only the cells where that test is "
           "defined, and says how many. " + CAVEAT, "",
           _md(inference_across_cells(in_window(cells, dims), alpha)), ""]
    majors = developer_sets[view.base.get("devset", "paper")]
    for b in dims.get("benchmark", []):
        if view.cell(benchmark=b) is None:
            continue
        tab = table_c1_inference(GridView(cells, terms, {**dims, "benchmark": [b]}),
                                 paper if b == "mmlu_pro" else None, majors)
        if not len(tab):
            continue
        if b != "mmlu_pro":
            tab = tab.drop(columns=["paper", "paper's stars under CR1", "under WCR",
                                    "under RI-β"])
        out += [f"### Table C.1 columns, CR1 against WCR ({b})", "",
                "Baseline levels of every other dimension. Stars: * p<0.10, ** p<0.05, "
                "*** p<0.01." + (" `paper`: the published stars; kept / weaker / lost / new "
                                 "compares them with ours." if b == "mmlu_pro" else ""), "",
                _md(tab), ""]
        if b == "mmlu_pro" and paper:
            n = tab[tab["paper"] != "·"]
            wcr_v, cr1_v = n["under WCR"], n["paper's stars under CR1"]
            ri_v = n["under RI-β"]
            out += [f"Of the paper's {len(n)} starred coefficients in Table C.1: under our CR1 "
                    f"{_verdicts(cr1_v)}; under WCR, where defined ({(wcr_v != 'n/a').sum()}), "
                    f"{_verdicts(wcr_v)}; under RI-β, where defined ({(ri_v != '').sum()}: the "
                    f"developer effects of column (1)), {_verdicts(ri_v)}.", ""]
    return "\n".join(out)


