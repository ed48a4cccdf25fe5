"""Figures (matplotlib, Agg backend). Each function writes one PNG and returns its path."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .io import atomic_path  # noqa: E402

SHAPLEY_PARTS = [("shapley_scale", "Scale (compute)", "#1f77b4"),
                 ("shapley_time", "Shared progress (time)", "#ff7f0e"),
                 ("shapley_company", "Company (secret sauce)", "#2ca02c"),
                 ("shapley_residual", "Model effects (residual)", "#7f7f7f")]


def shapley_panels(panels: list[tuple[str, dict]], path, title: str, source: str) -> str:
    """One horizontal bar chart per panel: shares of total variance, in percent."""
    n = len(panels)
    fig, axes = plt.subplots(1, n, figsize=(3.6 * n, 3.4), sharex=True, squeeze=False)
    for ax, (label, row) in zip(axes[0], panels, strict=True):
        vals = [100 * row[k] for k, _, _ in SHAPLEY_PARTS]
        names = [lab for _, lab, _ in SHAPLEY_PARTS]
        colors = [c for _, _, c in SHAPLEY_PARTS]
        bars = ax.barh(names[::-1], vals[::-1], color=colors[::-1])
        for b, v in zip(bars, vals[::-1], strict=True):
            ax.text(b.get_width() + 1, b.get_y() + b.get_height() / 2, f"{v:.0f}%",
                    va="center", fontsize=9)
        ax.set_title(f"{label}\nN={int(row['n_obs'])}, R²={row['r2']:.2f}", fontsize=10)
        ax.set_xlim(0, 100)
        ax.set_xlabel("share of variance (%)")
    for ax in axes[0][1:]:
        ax.tick_params(labelleft=False)
    fig.suptitle(title, fontsize=11)
    fig.text(0.01, 0.01, source, fontsize=7, color="#555555")
    fig.tight_layout(rect=(0, 0.04, 1, 0.95))
    with atomic_path(path, suffix=".png") as tmp:
        fig.savefig(tmp, dpi=130, format="png")
    plt.close(fig)
    return str(path)


def spec_curve(cells, dims: dict, path, title: str = "Specification curve",
               color_by: str = "beta_c_p", alpha: float = 0.05, color_label: str = "CR1") -> str:
    """β_c (with 95% CI) and the company Shapley share across all ok cells, sorted by β_c, with
    one indicator row per dimension level beneath."""
    import numpy as np
    from scipy import stats

    ok = cells[cells["status"] == "ok"].sort_values("beta_c", kind="mergesort")
    ok = ok.reset_index(drop=True)
    x = np.arange(len(ok))
    varying = {d: lv for d, lv in dims.items() if len(lv) > 1}
    n_ind = sum(len(v) for v in varying.values())
    fig = plt.figure(figsize=(11, 4.5 + 0.16 * n_ind))
    gs = fig.add_gridspec(3, 1, height_ratios=[3, 2, max(1.5, 0.16 * n_ind)], hspace=0.08)
    ax1 = fig.add_subplot(gs[0])
    ax2 = fig.add_subplot(gs[1], sharex=ax1)
    ax3 = fig.add_subplot(gs[2], sharex=ax1)
    crit = stats.t.ppf(0.975, np.maximum(ok["n_clusters"].to_numpy(float) - 1, 1))
    half = crit * ok["beta_c_se"].to_numpy(float)
    sig = ok[color_by].to_numpy(float) < alpha
    ax1.vlines(x, ok["beta_c"] - half, ok["beta_c"] + half, color="#cccccc", lw=0.6)
    ax1.scatter(x[sig], ok["beta_c"][sig], s=4, color="#1f77b4",
                label=f"significant at {alpha:.0%} ({color_label})")
    ax1.scatter(x[~sig], ok["beta_c"][~sig], s=4, color="#d62728",
                label=f"not significant ({color_label})")
    ax1.axhline(0, color="black", lw=0.6)
    ax1.set_ylabel("β_c (log-odds per 10× FLOPs)")
    ax1.legend(loc="upper left", fontsize=8, frameon=False)
    ax1.set_title(f"{title}: {len(ok)} cells, sorted by β_c (bars: 95% CI, t(G−1))",
                  fontsize=10)
    ax2.scatter(x, ok["shapley_company"], s=4, color="#2ca02c")
    ax2.set_ylabel("company\nShapley share")
    labels, img = [], []
    for d, levels in varying.items():
        for lv in levels:
            labels.append(f"{d}={lv}")
            img.append((ok[d].astype(str) == str(lv)).to_numpy(float))
    if img:
        ax3.imshow(np.array(img), aspect="auto", cmap="Greys", interpolation="nearest",
                   extent=(-0.5, len(ok) - 0.5, len(img) - 0.5, -0.5))
        ax3.set_yticks(range(len(labels)))
        ax3.set_yticklabels(labels, fontsize=6)
    ax3.set_xlabel("cells (sorted by β_c)")
    for ax in (ax1, ax2):
        ax.tick_params(labelbottom=False)
    fig.text(0.01, 0.005, "Source: saucegrid robustness grid (results/grid/cells.parquet).",
             fontsize=7, color="#555555")
    with atomic_path(path, suffix=".png") as tmp:
        fig.savefig(tmp, dpi=110, format="png", bbox_inches="tight")
    plt.close(fig)
    return str(path)
