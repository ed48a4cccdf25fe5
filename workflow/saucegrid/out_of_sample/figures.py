"""The out-of-sample figures: predicted curves by period, the frontier decomposition, and the
Shapley shares per panel beside the in-window baseline."""

from __future__ import annotations

import numpy as np

from saucegrid.estimation import specs
from saucegrid.grid import fit
from saucegrid.out_of_sample.report import HEADLINE_PANELS, OutOfSample
from saucegrid.report.figures import SHAPLEY_PARTS, plt, save, shapley_panels

SOURCE = "Source: saucegrid out-of-sample panels (Artificial Analysis MMLU-Pro; " \
         "data/aa_crosswalk.csv)."
PERIOD_COLOURS = ["#9ecae1", "#4292c6", "#08519c", "#d62728", "#ff7f0e", "#2ca02c", "#9467bd"]


def shapley(o: OutOfSample, path) -> str:
    panels = [("in-window (paper-faithful, ours)", o.in_window.to_dict())]
    for lv, label in HEADLINE_PANELS.items():
        if lv in o.levels:
            c = o.cells.loc[lv]
            panels.append((label, c.to_dict() if c["status"] == "ok" else None))
    return shapley_panels(panels, path, "Shapley shares of variance: in window and out of "
                          "sample (the paper's full sample: scale 32%)", SOURCE)


def curves(o: OutOfSample, majors, quantiles, path) -> str:
    """Per headline panel: every model (log10 FLOPs, logit score) by period, and the fitted line
    of each period at the panel's mean developer composition."""
    heads = [lv for lv in HEADLINE_PANELS if lv in o.levels
             and o.cells.loc[lv, "status"] == "ok"]
    fig, axes = plt.subplots(1, max(len(heads), 1), figsize=(5.2 * max(len(heads), 1), 4.4),
                             squeeze=False)
    for ax, lv in zip(axes[0], heads, strict=False):
        d, coef, fitted, _ = fit.evaluate_cell(o.samples[lv], specs.Spec(), majors, o.terms[lv],
                                             quantiles)
        per = d.data["period3"].astype(str).to_numpy()
        company = sum(d.X[:, d.names.index(n)] * coef[n] for n in d.groups["company"])
        bc = coef[specs.LOG_FLOPS]
        xs = np.linspace(d.log10_flops.min(), d.log10_flops.max(), 50)
        for k, p in enumerate(d.prepared.periods):
            m = per == p
            if not m.any():
                continue
            col = PERIOD_COLOURS[k % len(PERIOD_COLOURS)]
            ax.scatter(d.log10_flops[m], d.y[m], s=9, alpha=0.55, color=col,
                       label=f"{p} (N={int(m.sum())})")
            a = coef["const"] + coef.get(f"period:{p}", 0.0) + float(np.mean(company))
            ax.plot(xs, a + bc * xs, color=col, lw=1.8)
        ax.set_title(f"{HEADLINE_PANELS[lv]}: β_c = {bc:.2f}", fontsize=10)
        ax.set_xlabel("log10 training FLOPs")
        ax.set_ylabel("logit of the guess-corrected MMLU-Pro")
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("Predicted curves by period (lines: the fit at the mean developer mix)",
                 fontsize=11)
    fig.tight_layout(rect=(0, 0.04, 1, 0.94))
    return save(fig, path, SOURCE, dpi=120)


def frontier(o: OutOfSample, paper_delta: dict, path) -> str:
    """The change in each component of Eq. (1) along the frontier, per panel, beside the
    paper's in-window frontier (Table B.1)."""
    parts = [("delta_scaling", "scaling", SHAPLEY_PARTS[0][2]),
             ("delta_shared", "shared", SHAPLEY_PARTS[1][2]),
             ("delta_company", "company", SHAPLEY_PARTS[2][2]),
             ("delta_model", "model", SHAPLEY_PARTS[3][2])]
    bars = [("paper: Llama 2 70B → GPT-4.5", {f"delta_{k}": v for k, v in paper_delta.items()})]
    for lv, label in HEADLINE_PANELS.items():
        f = o.frontiers.get(lv)
        if f is not None and len(f):
            r = f.iloc[0]
            bars.append((f"{label}:\n{r['from_model'].split(':')[-1]} → "
                         f"{r['to_model'].split(':')[-1]}", r.to_dict()))
    fig, ax = plt.subplots(figsize=(2.6 * len(bars) + 1.5, 4.2))
    w = 0.18
    for k, (key, lab, col) in enumerate(parts):
        vals = [b.get(key, np.nan) for _, b in bars]
        ax.bar(np.arange(len(bars)) + (k - 1.5) * w, vals, w, label=lab, color=col)
    tot = [b.get("delta_total", np.nan) for _, b in bars]
    ax.scatter(np.arange(len(bars)), tot, color="black", zorder=3, marker="D", s=25,
               label="total")
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xticks(np.arange(len(bars)), [b[0] for b in bars], fontsize=7)
    ax.set_ylabel("change in log-odds")
    ax.legend(fontsize=7, ncol=5, loc="upper right")
    ax.set_title("Frontier decomposition: best 2024q3–2025q1 model → best 2025q4 model",
                 fontsize=10)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return save(fig, path, SOURCE, dpi=120)
