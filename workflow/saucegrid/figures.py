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
