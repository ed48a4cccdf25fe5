"""results/figures/majors_forest.png: each major developer's effect relative to non-major
developers of similar size, with its 95% set from the inverted randomization test, per
benchmark at the baseline levels; the majors' mean effect and its set; and, for reference on
the paper's own baseline (relative to other-small developers), our CR1 coefficient and the
paper's Table C.1 (1) estimate."""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.report.figures import plt, save


def forest(cells: pd.DataFrame, terms: pd.DataFrame, baseline: dict[str, str], path,
           paper_c1: dict | None, source: str, ncols: int = 3) -> str:
    """baseline: benchmark -> the cell id of its baseline cell. Every panel has one row per
    major developer tested in any panel (a developer a benchmark has no models of leaves its
    row empty), so rows line up across panels; at most `ncols` panels per row."""
    panels = [(b, cid) for b, cid in baseline.items()
              if cid in set(cells.loc[cells["status"] == "ok", "cell_id"])]
    tested = {cid: terms[(terms["cell_id"] == cid) & terms["n_placebo"].gt(0)]
              .set_index("term") for _, cid in panels}
    order = list(dict.fromkeys(t for _, cid in panels for t in tested[cid].index))
    names = [x.removeprefix("dev:") for x in order] + ["mean of the majors"]
    y = np.arange(len(names))[::-1]
    row_of = dict(zip(order, y[:-1], strict=True))
    ncol = max(1, min(ncols, len(panels)))
    nrow = max(1, -(-len(panels) // ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(5.2 * ncol, 5.0 * nrow + 0.6),
                             sharey=True, squeeze=False)
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    for ax, (b, cid) in zip(axes.flat, panels, strict=False):
        c = cells.set_index("cell_id").loc[cid]
        t = tested[cid]
        yt = np.array([row_of[term] for term in t.index] + [y[-1]])
        lo = np.r_[t["ri_ci_low"], c["mean_major_ci_low"]]
        hi = np.r_[t["ri_ci_high"], c["mean_major_ci_high"]]
        est = np.r_[t["ri_estimate"], c["mean_major_effect"]]
        closed = np.r_[t["p_ri_closed"], np.nan]
        for yi, a, z, e, pc in zip(yt, lo, hi, est, closed, strict=True):
            if not np.isfinite(e):
                continue
            colour = "#d62728" if np.isfinite(pc) and pc <= 0.05 else "black"
            ax.plot([a, z], [yi, yi], color=colour, lw=2.2)
            ax.plot(e, yi, "o", color=colour, ms=6)
        ax.plot(t["estimate"], yt[:-1], "s", mfc="none", color="#7f7f7f", ms=6)
        if b == "mmlu_pro" and paper_c1:
            pts = [(yi, (paper_c1.get(term) or [None])[0]) for yi, term in zip(yt, t.index,
                                                                              strict=False)]
            pts = [(yi, v[0]) for yi, v in pts if v]
            if pts:
                ax.plot([v for _, v in pts], [yi for yi, _ in pts], "x", color="#1f77b4", ms=8,
                        mew=2)
        ax.axvline(0, color="#999999", lw=0.8, ls="--")
        ax.axhline(0.5, color="#cccccc", lw=0.8)
        ax.set_yticks(y, names)
        ax.set_xlabel("effect on logit(score), logits")
        bc, note = c["beta_c"], c.get("factors_note")
        if isinstance(note, str) and note:  # a factor divides by β_c: undefined, not drawn
            ax.text(0.5, 1.02, f"compute factors undefined: {note}", transform=ax.transAxes,
                    ha="center", va="bottom", fontsize=8, color="#555555")
        else:
            sec = ax.secondary_xaxis("top", functions=(lambda x, bc=bc: x / bc,
                                                       lambda v, bc=bc: v * bc))
            sec.set_xlabel(f"log10 compute factor (x / β_c, β_c = {bc:.3f})", fontsize=8)
        ax.set_title(f"{b}: {int(c['n_obs'])} models, {int(c['majors_ri_closed_reject'])} of "
                     f"{int(c['majors_ri_tested'])} majors rejected (closed testing, 5%)",
                     fontsize=9, pad=26)
    handles = [plt.Line2D([], [], color="black", marker="o", lw=2.2,
                          label="ours, vs size peers, with 95% set (inverted RI)"),
               plt.Line2D([], [], color="#d62728", marker="o", lw=2.2,
                          label="the same, rejected by closed testing (family-wise 5%)"),
               plt.Line2D([], [], color="#7f7f7f", marker="s", mfc="none", ls="",
                          label="our CR1 coefficient (vs other-small developers)"),
               plt.Line2D([], [], color="#1f77b4", marker="x", mew=2, ls="",
                          label="paper, Table C.1 (1) (vs other-small developers)")]
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=8, frameon=False,
               bbox_to_anchor=(0.5, 0.0))
    fig.suptitle("Majors against non-major developers of similar size: effect and 95% set "
                 "(inverted RI-t; red: rejected at family-wise 5%)", fontsize=10)
    fig.tight_layout(rect=(0, 0.09 / nrow, 1, 1 - 0.05 / nrow))
    return save(fig, path, source, dpi=130)
