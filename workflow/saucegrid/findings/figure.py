"""``results/figures/findings_forest.png``: the paper's number against ours, with our 95%
interval, one line per claim and benchmark; shares on a linear axis, compute factors on a log
axis, the elasticity shift in logits."""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.findings.render import BENCH
from saucegrid.report.figures import plt, save

PANELS = [("shares of performance explained", ("C1", "C2"), "linear"),
          ("compute factors (×, log scale)", ("C3", "C4", "C5", "C7a", "C7b"), "log"),
          ("shift of the compute elasticity (logits per 10×)", ("C6",), "linear")]
COLOURS = {"replicated": "#2ca02c", "replicated in direction only": "#ff7f0e",
           "not replicated": "#d62728", "fragile (depends on a grid choice)": "#9467bd",
           "not testable with public data": "#7f7f7f"}


def forest(ledger: pd.DataFrame, path, source: str) -> str:
    sizes = [max(int(ledger["claim"].isin(c).sum()), 1) for _, c, _ in PANELS]
    fig, axes = plt.subplots(len(PANELS), 1, figsize=(8.5, 1.0 + 0.48 * sum(sizes) + 1.4),
                             gridspec_kw={"height_ratios": sizes})
    for ax, (title, claims, scale) in zip(axes, PANELS, strict=True):
        rows = ledger[ledger["claim"].isin(claims)].reset_index(drop=True)
        y = np.arange(len(rows))[::-1]
        for yi, r in zip(y, rows.itertuples(), strict=True):
            colour = COLOURS.get(r.status, "black")
            if np.isfinite(r.low) and np.isfinite(r.high):
                ax.plot([r.low, r.high], [yi, yi], color=colour, lw=2.4)
            if np.isfinite(r.ours):
                ax.plot(r.ours, yi, "o", color=colour, ms=6)
            else:
                ax.text(0.5, yi, "undefined", transform=ax.get_yaxis_transform(),
                        ha="center", va="center", fontsize=8, color="#7f7f7f")
            if r.paper_low == r.paper_high:
                ax.plot(r.paper_low, yi + 0.22, "x", color="#1f77b4", ms=8, mew=2.2)
            else:
                ax.plot([r.paper_low, r.paper_high], [yi + 0.22] * 2, color="#1f77b4", lw=4,
                        alpha=0.6)
        ax.set_yticks(y, [f"{r.claim} {BENCH[r.benchmark]}" for r in rows.itertuples()])
        ax.set_ylim(-0.7, len(rows) - 0.3)
        if scale == "log":
            ax.set_xscale("log")
            ax.axvline(1, color="#999999", lw=0.8, ls="--")
        elif claims == ("C6",):
            ax.axvline(0, color="#999999", lw=0.8, ls="--")
        else:
            ax.axvline(0.5, color="#999999", lw=0.8, ls="--")
            ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
        ax.set_title(title, fontsize=9, loc="left")
        ax.grid(axis="x", color="#eeeeee")
    handles = [plt.Line2D([], [], color=c, marker="o", lw=2.4, label=f"ours: {s}")
               for s, c in COLOURS.items() if s in set(ledger["status"])]
    handles += [plt.Line2D([], [], color="#1f77b4", marker="x", mew=2.2, ls="",
                           label="paper (a bar: the paper's range)")]
    fig.suptitle("The paper's claims against ours: point and 95% interval, coloured by status",
                 fontsize=10)
    bottom = 0.04 + 0.025 * ((len(handles) + 1) // 2)
    fig.tight_layout(rect=(0, bottom, 1, 0.97))
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=8, frameon=False,
               bbox_to_anchor=(0.5, 0.025))
    return save(fig, path, source, dpi=130)
