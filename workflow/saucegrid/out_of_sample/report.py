"""``results/out_of_sample.md``: does compute still explain the frontier after March 2025?

Everything is read off the fitted grid (the panel levels at the baseline of every other
dimension: MMLU-Pro, v = 1, three periods, the paper's developer set, the full sample, no
interaction) except the panel samples' counts, which are rebuilt from the candidates with the
same code the grid uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from saucegrid.data.constructions import construction_sample
from saucegrid.data.panel.build import panel_rows
from saucegrid.data.panel.options import PanelOptions
from saucegrid.data.panel.rescale import fit_rescale
from saucegrid.estimation import specs
from saucegrid.formatting import fmt_number as _fmt
from saucegrid.formatting import markdown_table
from saucegrid.grid import cells as grid_cells
from saucegrid.grid import fit
from saucegrid.out_of_sample.frontier import frontier

HEADLINE_PANELS = {"post": "(a) post-window", "extended": "(b) extended",
                   "single": "(c) single-source"}
SHARES = [("shapley_scale", "scale"), ("shapley_time", "time"),
          ("shapley_company", "company"), ("shapley_residual", "residual")]
THREATS = [
    ("LifeArchitect's closed-model figures are guesses", "no_estimates"),
    ("they moved up to ±0.9 orders of magnitude between its 2025-02 and 2026-03 snapshots; "
     "only models in both snapshots can be re-read with the older figures, and no post-window "
     "model is in the 2025-02 one, so this level moves panel (c) only", "la_2025_02"),
    ("about a third of the post-window models are MoE: total-parameter compute sits about 0.9 "
     "orders above 6·active·D", "active"),
    ("params of family rows come from the name, tokens from a sibling", "no_family"),
    ("hybrids' non-thinking modes may still reason more than a pure non-reasoning model",
     "no_hybrids"),
]


@dataclass
class OutOfSample:
    levels: dict[str, PanelOptions]
    base: dict  # the baseline level of every grid dimension
    cells: pd.DataFrame  # the baseline-spec cell of every panel level, by level
    terms: dict[str, pd.DataFrame]
    samples: dict[str, pd.DataFrame]
    flows: dict[str, pd.Series]
    frontiers: dict[str, pd.DataFrame] = field(default_factory=dict)
    rescale: object = None
    in_window: pd.Series | None = None  # the paper-faithful baseline cell


def collect(models, cells, terms, dims: dict, panels: dict, sample_cfg: dict, majors,
            constructions: dict | None = None) -> OutOfSample:
    dims = {k: [str(v) for v in vals] for k, vals in dims.items()}
    base = {k: v[0] for k, v in dims.items()}
    by_id = cells.set_index("cell_id")
    levels, rows, tr, samples, flows, fronts = {}, {}, {}, {}, {}, {}
    guess = sample_cfg["mmlu_pro_guess_rate"]
    for lv in dims.get("panel", [])[1:]:
        opts = PanelOptions.from_level(panels, lv)
        levels[lv] = opts
        cid = grid_cells.id_at(dims, panel=lv)
        rows[lv] = by_id.loc[cid]
        tr[lv] = terms[terms["cell_id"] == cid]
        s = construction_sample(models, "mmlu_pro", sample_cfg, {"panel": lv}, majors,
                                constructions, panels)
        samples[lv] = s
        flows[lv] = panel_rows(models, opts, guess)[1]
        if rows[lv]["status"] == "ok":
            d, coef, _, resid = fit.evaluate_cell(s, specs.Spec(), majors, tr[lv],
                                                tuple(sample_cfg["size_group_quantiles"]))
            fronts[lv] = frontier(d, coef, resid)
    out = OutOfSample(levels, base, pd.DataFrame(rows).T, tr, samples, flows, fronts,
                      fit_rescale(models, guess))
    out.in_window = by_id.loc[grid_cells.id_at(dims)]
    return out


def counts_table(o: OutOfSample) -> pd.DataFrame:
    """N per period (quarters for the post-window panel) and the majors' share, per panel."""
    rows = []
    for lv in o.levels:
        s = o.samples[lv]
        per = s.groupby("period3").size()
        rows.append({"panel": lv, "N": len(s), "developers": s["developer"].nunique(),
                     "major-developer models": int((~s["developer_group"].str.startswith(
                         "other-")).sum()),
                     **{p: int(per.get(p, 0)) for p in specs.PERIODS if p in per.index}})
    out = pd.DataFrame(rows)
    return out.fillna(0).astype({c: int for c in out.columns if c != "panel"})


def estimates_table(o: OutOfSample, which) -> pd.DataFrame:
    rows = []
    for lv in which:
        c, t = o.cells.loc[lv], o.terms[lv].set_index("term")
        if c["status"] != "ok":
            rows.append({"panel": lv, "status": f"{c['status']}: {c['reason']}"})
            continue
        periods = [x for x in t.index if x.startswith("period:")]
        r = {"panel": lv, "N": int(c["n_obs"]), "G": int(c["n_clusters"]),
             "R²": _fmt(c["r2"]),
             "β_c (CR1 SE)": f"{_fmt(c['beta_c'])} ({_fmt(c['beta_c_se'])})",
             "β_c WCR p": _fmt(c["beta_c_p_wcr"]),
             "β_c WCR 95% interval": f"[{_fmt(c['beta_c_ci_wcr_low'])}, "
                                     f"{_fmt(c['beta_c_ci_wcr_high'])}]",
             "period effects (WCR p)": "; ".join(
                 f"{p[7:]} {_fmt(t.loc[p, 'estimate'], '+.2f')} ({_fmt(t.loc[p, 'p_wcr'])})"
                 for p in periods if t.loc[p, "omitted"] == ""),
             "compute factor of the last period (×)": _fmt(c["shared_progress_factor"], ".1f"),
             "largest developer compute factor (×)": _largest_factor(c),
             **{f"Shapley {lab}": _fmt(c[k], ".2f") for k, lab in SHARES},
             "company: joint RI p (studentized)": _fmt(c.get("company_t2_ri_p", np.nan)),
             "frontier Δscaling / Δtotal": _fmt(frontier_share(o, lv), ".2f")}
        rows.append(r)
    return pd.DataFrame(rows)


def _largest_factor(c: pd.Series) -> str:
    """The largest major-developer compute factor 10^(γ_d / β_c) of a cell, with its name."""
    f = {k[len("factor_dev:"):]: float(v) for k, v in c.items()
         if k.startswith("factor_dev:") and not k.startswith("factor_dev:other-")
         and pd.notna(v)}
    if not f:
        return "—"
    d = max(f, key=f.get)
    return f"{f[d]:.1f} ({d})"


def frontier_share(o: OutOfSample, lv: str) -> float:
    """The single-pair frontier's scaling share of a panel level (NaN if it has none)."""
    f = o.frontiers.get(lv)
    return float(f["scaling_share_of_progress"].iloc[0]) if f is not None and len(f) else np.nan


def sensitivity_table(o: OutOfSample) -> pd.DataFrame:
    """Each sensitivity level against its panel: the movement of N, β_c and the shares."""
    rows = []
    for lv, opts in o.levels.items():
        if lv in HEADLINE_PANELS or opts.panel not in o.levels:
            continue
        ref, c = o.cells.loc[opts.panel], o.cells.loc[lv]
        if ref["status"] != "ok" or c["status"] != "ok":
            continue
        both = o.samples[opts.panel].set_index("model_id")["log10_flops"].to_frame("a").join(
            o.samples[lv].set_index("model_id")["log10_flops"].to_frame("b"), how="inner")
        moved = (both["a"] - both["b"]).abs()
        rows.append({"sensitivity": lv, "of panel": opts.panel,
                     "N": f"{int(ref['n_obs'])} → {int(c['n_obs'])}",
                     "models with other compute": int((moved > 1e-9).sum()),
                     "their mean |Δ log10 FLOPs|": _fmt(moved[moved > 1e-9].mean()
                                                        if (moved > 1e-9).any() else np.nan,
                                                        ".2f"),
                     "β_c": f"{_fmt(ref['beta_c'])} → {_fmt(c['beta_c'])}",
                     "Δβ_c": _fmt(c["beta_c"] - ref["beta_c"], "+.3f"),
                     "β_c WCR p": _fmt(c["beta_c_p_wcr"]),
                     "Δ scale share": _fmt(c["shapley_scale"] - ref["shapley_scale"], "+.3f"),
                     "Δ company share": _fmt(c["shapley_company"] - ref["shapley_company"],
                                             "+.3f"),
                     "frontier Δscaling / Δtotal": f"{_fmt(frontier_share(o, opts.panel), '.2f')}"
                                                   f" → {_fmt(frontier_share(o, lv), '.2f')}"})
    return pd.DataFrame(rows)


def markdown(o: OutOfSample, figures: dict[str, str], verdict: list[str]) -> str:
    r = o.rescale
    heads = [lv for lv in HEADLINE_PANELS if lv in o.levels]
    iw = o.in_window
    lines = [
        "# Out of sample: does compute still explain the frontier after March 2025?", "",
        *verdict,
        "## The panels", "",
        "Artificial Analysis (AA) runs MMLU-Pro itself, one protocol for every model, with "
        "releases to 2025-12-26. Parameters and tokens come from `data/aa_crosswalk.csv` "
        "(LifeArchitect's table, 2026-03 snapshot, or model cards; each value with its source "
        "and an estimate flag). Reasoning entries are identified from AA's mode tags, names "
        "and `data/aa_always_reasoning.csv`, and dropped.", "",
        "- **(a) post-window**: 2025q2–2025q4, AA only; time effects by quarter (2025q2 the "
        "baseline).",
        "- **(b) extended**: the paper-faithful sample plus the post-window models as a "
        f"fourth period. AA scores are mapped onto the leaderboard's scale, logit(y_LB) = "
        f"{r.a:.3f} + {r.b:.3f} · logit(y_AA), fitted on {r.n} curated pairs of the same "
        f"models (`data/aa_leaderboard_pairs.csv`; r = {r.r:.3f}, residual SD {r.resid_sd:.3f}"
        f" logits; AA sits {r.mean_gap_points:+.1f} points above the leaderboard on average). "
        "A level dummy could not do this: it would be collinear with the fourth period.",
        "- **(c) single-source**: 2022q4–2025q4, AA scores only; no scale correction is "
        "needed. The cleanest test.", "",
        "### N per period", "", markdown_table(counts_table(o)), "",
        "How each panel's Artificial Analysis rows were kept (crosswalk rows → usable; the "
        "extended panel adds them to the paper-faithful sample):", "",
        markdown_table(pd.DataFrame({lv: o.flows[lv] for lv in heads}).fillna(0)
                       .astype(int).reset_index().rename(columns={"index": "step"})), "",
        "## Estimates", "",
        "Baseline specification of every panel (v = 1, the paper's developer set, full "
        "sample). WCR: wild cluster restricted bootstrap, B = 9,999; one-cluster developer "
        "effects get randomization inference instead (README).", "",
        markdown_table(estimates_table(o, heads), disable_numparse=True), "",
        f"In-window, paper-faithful baseline (ours): N = {int(iw['n_obs'])}, β_c = "
        f"{_fmt(iw['beta_c'])}, shares scale {_fmt(iw['shapley_scale'], '.2f')}, time "
        f"{_fmt(iw['shapley_time'], '.2f')}, company {_fmt(iw['shapley_company'], '.2f')}; "
        "the paper: β_c 0.789, scale share 0.32.", "",
        f"![Shapley shares per panel]({figures['shapley']})", "",
        f"![Predicted curves by period]({figures['curves']})", "",
        "## The frontier", "",
    ]
    for lv in heads:
        f = o.frontiers.get(lv)
        if f is None or not len(f):
            continue
        row = f.iloc[0]
        lines += [f"- **{HEADLINE_PANELS[lv]}**: {row['from_model']} "
                  f"({row['from_score']:.3f}, 10^{row['from_log10_flops']:.1f} FLOPs) → "
                  f"{row['to_model']} ({row['to_score']:.3f}, "
                  f"10^{row['to_log10_flops']:.1f}): Δ log-odds {row['delta_total']:+.2f} = "
                  f"scaling {row['delta_scaling']:+.2f} + shared {row['delta_shared']:+.2f} + "
                  f"company {row['delta_company']:+.2f} + model {row['delta_model']:+.2f}; "
                  f"scaling share of progress {row['scaling_share_of_progress']:.0%}."]
    lines += ["", "The scaling share of progress is Δscaling / Δtotal: above 100% when the other "
              "components, together, pulled the frontier back."]
    fb = o.frontiers.get("extended")
    if fb is not None and len(fb) and not str(fb["from_model"].iloc[0]).startswith(
            ("aapanel:", "leaderboard")) and "/" not in str(fb["from_model"].iloc[0]):
        lines[-1] += (f" In panel (b) the best in-window model, {fb['from_model'].iloc[0]}, "
                      "carries a self-reported or TIGER-Lab score, which sits near AA's scale, "
                      "while the post-window scores are mapped down onto the leaderboard's "
                      "5-shot scale: that comparison is not like for like, and panel (c) is the "
                      "one to read.")
    lines += ["", f"![Frontier decomposition]({figures['frontier']})", "",
              "## Threats, and the sensitivity that measures each", ""]
    sens = sensitivity_table(o)
    for text, key in THREATS:
        lines.append(f"- {text}: levels `*_{key}` below.")
    sat = {lv: float((o.samples[lv]["score_raw"] > 0.80).mean()) for lv in heads
           if o.levels[lv].panel != "extended"}  # AA's own scale only
    lines += ["- MMLU-Pro nears saturation: the share of models above 0.80 on AA's scale is "
              + ", ".join(f"{lv} {v:.0%}" for lv, v in sat.items())
              + "; the link levels v = 0.7 / 1.2 of every panel are in the grid.",
              "- No data after 2025-12: the fourth period is three quarters long.", "",
              markdown_table(sens, disable_numparse=True) if len(sens)
              else "(no sensitivity levels fitted)", ""]
    return "\n".join(lines)
