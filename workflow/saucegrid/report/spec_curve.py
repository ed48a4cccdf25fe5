"""The specification curve of the robustness grid, readable at thousands of cells.

One column of panels per benchmark:

1. β_c of every ok cell, sorted, with its 95% interval as a shaded envelope (the WCR
   test-inversion interval where the cell has one, else CR1 t(G−1)), drawn as one grey line of
   points;
2. beneath it, per bin of consecutive cells, the stacked shares of the cells whose β_c is
   significant at alpha under both CR1 and WCR, CR1 only, WCR only, or neither: every class
   is visible, whatever its size, and none is drawn over another;
3. the company Shapley share, sorted by itself, coloured by the joint randomization-inference
   test of the null that the majors are no different from non-major developers of similar
   size (the studentized one; rejected, not rejected, no RI: samples without non-major
   developers or with fewer than 19), in that stated order, with the same stacked-share
   strip beneath;
4. the dimension levels of the cells of panel 1, one row per level.
"""

from __future__ import annotations

import numpy as np

from saucegrid.report.figures import plt, save

CLASSES = [("both", "#1f77b4"), ("CR1 only", "#ff7f0e"), ("WCR only", "#9467bd"),
           ("neither", "#d62728")]
JOINT_RI = "company_t2_ri_p"
RI_CLASSES = [("majors vs size peers (joint RI, Σt²): rejected at 5%", "#2ca02c"),
              ("majors vs size peers (joint RI): not rejected", "#98df8a"),
              ("no RI (no non-major developers, or < 19)", "#bbbbbb")]


def _bins(n: int, target: int = 40) -> np.ndarray:
    return np.linspace(0, n, min(target, max(n, 1)) + 1).round().astype(int)


def _strip(ax, masks: list[np.ndarray], colors: list[str]) -> None:
    """Stacked shares of each class per bin of consecutive cells."""
    n = len(masks[0])
    edges = _bins(n)
    bottom = np.zeros(len(edges) - 1)
    for m, col in zip(masks, colors, strict=True):
        share = np.array([m[a:b].mean() if b > a else 0 for a, b in zip(edges[:-1], edges[1:],
                                                                      strict=True)])
        ax.bar(edges[:-1] - 0.5, share, width=np.diff(edges), bottom=bottom, align="edge",
               color=col, linewidth=0)
        bottom += share
    ax.set_ylim(0, 1)
    ax.set_yticks([0, 1])
    ax.set_ylabel("share", fontsize=7)
    ax.tick_params(labelsize=7)


def _beta_panel(ax, strip, ok, alpha: float) -> None:
    x = np.arange(len(ok))
    b = ok["beta_c"].to_numpy(float)
    lo = ok.get("beta_c_ci_wcr_low", np.full(len(ok), np.nan)).to_numpy(float) \
        if "beta_c_ci_wcr_low" in ok else np.full(len(ok), np.nan)
    hi = ok["beta_c_ci_wcr_high"].to_numpy(float) if "beta_c_ci_wcr_high" in ok else lo
    from scipy import special

    crit = special.stdtrit(np.maximum(ok["n_clusters"].to_numpy(float) - 1, 1), 1 - alpha / 2)
    se = ok["beta_c_se"].to_numpy(float)
    lo = np.where(np.isfinite(lo), lo, b - crit * se)
    hi = np.where(np.isfinite(hi), hi, b + crit * se)
    # the scale follows the 1st-99th percentiles of β_c: a few cells of tiny samples (the
    # out-of-sample panels' major-developer subsamples) would otherwise flatten the curve
    q_lo, q_hi = np.nanquantile(b, [0.01, 0.99])
    pad = 0.6 * (q_hi - q_lo) + 0.2
    y_lo, y_hi = q_lo - pad, q_hi + pad
    lo = np.clip(lo, y_lo - pad, None)
    hi = np.clip(hi, None, y_hi + pad)
    ax.fill_between(x, lo, hi, color="#c6dbef", linewidth=0, label="95% interval (WCR, else "
                    "CR1)")
    ax.plot(x, b, ".", ms=2, color="#333333", label="β_c")
    off = (b < y_lo) | (b > y_hi)
    if off.any():
        ax.plot(x[off], np.clip(b[off], y_lo, y_hi), "^", ms=4, color="#d62728",
                label=f"β_c off the scale ({int(off.sum())} cells), at the edge")
    ax.axhline(0, color="black", lw=0.6)
    ax.set_ylim(y_lo, y_hi)  # wider intervals run off the panel
    ax.set_ylabel("β_c (log-odds per 10×)", fontsize=8)
    cr1 = ok["beta_c_p"].to_numpy(float) < alpha
    pw = ok["beta_c_p_wcr"].to_numpy(float) if "beta_c_p_wcr" in ok else np.full(len(ok),
                                                                                  np.nan)
    wcr = np.where(np.isfinite(pw), pw < alpha, cr1)
    masks = [cr1 & wcr, cr1 & ~wcr, ~cr1 & wcr, ~cr1 & ~wcr]
    _strip(strip, masks, [c for _, c in CLASSES])
    ax.add_artist(ax.legend(loc="upper left", fontsize=7, frameon=False))
    ax.legend(handles=[plt.Rectangle((0, 0), 1, 1, color=c) for _, c in CLASSES],
              labels=[f"{lab}: {int(m.sum())}" for (lab, _), m in
                      zip(CLASSES, masks, strict=True)],
              fontsize=6, ncol=2, loc="lower right", frameon=True, framealpha=0.8,
              title=f"strip below: β_c significant at {alpha:.0%}", title_fontsize=6)


def _company_panel(ax, strip, ok, alpha: float) -> None:
    s = ok.sort_values("shapley_company", kind="mergesort")
    x = np.arange(len(s))
    # the joint RI test that holds its size (README): the studentized one
    p = s[JOINT_RI].to_numpy(float) if JOINT_RI in s else np.full(len(s), np.nan)
    masks = [np.isfinite(p) & (p < alpha), np.isfinite(p) & (p >= alpha), ~np.isfinite(p)]
    y = s["shapley_company"].to_numpy(float)
    for (lab, col), m in zip(RI_CLASSES[::-1], masks[::-1], strict=True):  # grey first
        ax.plot(x[m], y[m], ".", ms=2.5, color=col, label=f"{lab}: {int(m.sum())}")
    ax.set_ylabel("company Shapley share", fontsize=8)
    ax.legend(loc="upper left", fontsize=7, frameon=False)
    _strip(strip, masks, [c for _, c in RI_CLASSES])
    strip.set_xlabel("cells, sorted by the company share", fontsize=7)


def spec_curve(cells, dims: dict, path, title: str = "Specification curve",
               alpha: float = 0.05) -> str:
    ok_all = cells[cells["status"] == "ok"]
    benches = [b for b in dims.get("benchmark", []) if (ok_all["benchmark"] == b).any()]
    varying = {d: lv for d, lv in dims.items() if len(lv) > 1 and d != "benchmark"}
    n_ind = sum(len(v) for v in varying.values())
    fig = plt.figure(figsize=(7 * max(len(benches), 1), 8.5 + 0.14 * n_ind))
    gs = fig.add_gridspec(6, max(len(benches), 1),
                          height_ratios=[3, 0.6, 2.2, 0.6, 0.05, max(1.5, 0.14 * n_ind)],
                          hspace=0.3, wspace=0.28)
    for j, bench in enumerate(benches):
        ok = ok_all[ok_all["benchmark"] == bench].sort_values("beta_c", kind="mergesort")
        ok = ok.reset_index(drop=True)
        a1, a2 = fig.add_subplot(gs[0, j]), fig.add_subplot(gs[1, j])
        _beta_panel(a1, a2, ok, alpha)
        a1.set_title(f"{bench}: {len(ok)} cells", fontsize=10)
        a1.set_xlim(-0.5, len(ok) - 0.5)
        a2.set_xlim(-0.5, len(ok) - 0.5)
        a2.tick_params(labelbottom=False)
        a3, a4 = fig.add_subplot(gs[2, j]), fig.add_subplot(gs[3, j])
        _company_panel(a3, a4, ok, alpha)
        a3.set_xlim(-0.5, len(ok) - 0.5)
        a4.set_xlim(-0.5, len(ok) - 0.5)
        a5 = fig.add_subplot(gs[5, j])
        labels, img = [], []
        for d, levels in varying.items():
            for lv in levels:
                labels.append(f"{d}={lv}")
                img.append((ok[d].astype(str) == str(lv)).to_numpy(float))
        if img:
            a5.imshow(np.array(img), aspect="auto", cmap="Greys", interpolation="nearest",
                      extent=(-0.5, len(ok) - 0.5, len(img) - 0.5, -0.5), vmin=0, vmax=1.4)
            a5.set_yticks(range(len(labels)))
            a5.set_yticklabels(labels if j == 0 else [], fontsize=6)
            for y0 in np.cumsum([len(v) for v in varying.values()])[:-1]:
                a5.axhline(y0 - 0.5, color="#d62728", lw=0.4)
        a5.set_xlabel("cells of the β_c panel, sorted by β_c: the levels of each", fontsize=7)
        a5.tick_params(labelsize=6)
    fig.suptitle(f"{title}: β_c and the company share across the grid", fontsize=11, y=0.93)
    return save(fig, path, "Source: saucegrid robustness grid (results/grid/cells.parquet).",
                 dpi=110)
