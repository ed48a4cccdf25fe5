"""Figures (matplotlib, Agg backend). Each function writes one PNG and returns its path."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from saucegrid.fileio import atomic_path  # noqa: E402

SHAPLEY_PARTS = [("shapley_scale", "Scale (compute)", "#1f77b4"),
                 ("shapley_time", "Shared progress (time)", "#ff7f0e"),
                 ("shapley_company", "Company (secret sauce)", "#2ca02c"),
                 ("shapley_residual", "Model effects (residual)", "#7f7f7f")]


def shapley_panels(panels: list[tuple[str, dict | None]], path, title: str, source: str) -> str:
    """One horizontal bar chart per panel: shares of total variance, in percent. A panel whose
    cell was not fitted (None, e.g. under grid_subset=paper) says so instead."""
    n = len(panels)
    fig, axes = plt.subplots(1, n, figsize=(3.6 * n, 3.4), sharex=True, squeeze=False)
    for ax, (label, row) in zip(axes[0], panels, strict=True):
        if row is None:
            ax.text(0.5, 0.5, "not in the fitted grid\n(see grid_subset)", ha="center",
                    va="center", fontsize=9, color="#777777", transform=ax.transAxes)
            ax.set_title(label, fontsize=10)
            ax.set_yticks([])
            continue
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
    fig.tight_layout(rect=(0, 0.04, 1, 0.95))
    return save(fig, path, source, dpi=130)


# ------------------------------------------------------------------------------------------
# Figure 2 (and D.3 / E.3 / E.7): the main results of one fitted cell


def save(fig, path, source: str, dpi: int = 120, pdf: bool = False) -> str:
    """Write the PNG and, with pdf, a vector copy beside it (same name, .pdf; only where the rule
    declares that output)."""
    fig.text(0.01, 0.005, source, fontsize=7, color="#555555")
    with atomic_path(path, suffix=".png") as tmp:
        fig.savefig(tmp, dpi=dpi, format="png", bbox_inches="tight")
    pdf = str(path)[:-4] + ".pdf" if pdf and str(path).endswith(".png") else None
    if pdf:
        with atomic_path(pdf, suffix=".pdf") as tmp:
            fig.savefig(tmp, format="pdf", bbox_inches="tight")
    plt.close(fig)
    return str(path)


def binned(x, y, bins: int = 20):
    import numpy as np

    q = np.quantile(x, np.linspace(0, 1, bins + 1))
    idx = np.clip(np.searchsorted(q, x, side="right") - 1, 0, bins - 1)
    bx = np.array([x[idx == b].mean() for b in range(bins) if (idx == b).any()])
    by = np.array([y[idx == b].mean() for b in range(bins) if (idx == b).any()])
    return bx, by


def developer_size_regression(d, coef, majors):
    """Panel (d): developer compute factors on the developer's average relative model compute
    (log10 FLOPs minus the mean of models released in the same period), OLS with 95% CI."""
    import pandas as pd
    import statsmodels.api as sm

    data = d.data
    lf = d.log10_flops
    rel = lf - pd.Series(lf).groupby(data["period3"].to_numpy()).transform("mean").to_numpy()
    rows = []
    bc = coef["log_flops"]
    for m in majors:
        mask = (data["developer_group"] == m).to_numpy()
        if mask.any() and f"dev:{m}" in coef:
            rows.append((m, rel[mask].mean(), 10 ** (coef[f"dev:{m}"] / bc)))
    df = pd.DataFrame(rows, columns=["developer", "rel_compute", "factor"])
    if len(df) < 3:
        return df, None
    fit = sm.OLS(df["factor"], sm.add_constant(df["rel_compute"])).fit()
    return df, fit


def main_results(d, coef, resid, majors, path, title: str, source: str, link_v: float = 1.0):
    import numpy as np

    from saucegrid.estimation.decompose import gap_factor, pctile
    from saucegrid.estimation.estimate import stars
    from saucegrid.estimation.links import inverse

    bc = coef["log_flops"]
    x = d.log10_flops
    rest = d.y - resid - bc * x
    ypart = bc * x + resid + rest.mean()
    fig, axes = plt.subplots(2, 3, figsize=(15, 8.5))
    ax = axes[0, 0]
    bx, by = binned(x, ypart)
    ax.scatter(bx, by, color="#1f77b4", s=18)
    xs = np.linspace(x.min(), x.max(), 50)
    ax.plot(xs, bc * xs + (by.mean() - bc * bx.mean()), color="black", lw=1)
    p = coef.get("_p_log_flops", np.nan)
    ax.set_title(f"(a) compute and performance: β_c = {bc:.3f}{stars(p)}", fontsize=10)
    ax.set_xlabel("log10 training FLOPs")
    ax.set_ylabel("logit score, net of period and developer effects")

    ax = axes[0, 1]
    periods = [n for n in d.names if n.startswith("period:")]
    b0 = coef.get("const", 0.0)
    ax.plot(xs, inverse(b0 + bc * xs, link_v), label="2022q4–2023q3 (baseline)", color="#1f77b4")
    if periods:
        last = periods[-1]
        ax.plot(xs, inverse(b0 + bc * xs + coef[last], link_v),
                label=last.split(":", 1)[1].replace("-", "–"), color="#d62728")
        shift = 10 ** (coef[last] / bc)
        ax.set_title(f"(b) predicted curves: shared progress = {shift:.1f}× compute",
                     fontsize=10)
    ax.set_xlabel("log10 training FLOPs")
    ax.set_ylabel("predicted score (other-small developer)")
    ax.legend(fontsize=8, frameon=False)

    ax = axes[0, 2]
    data = d.data
    for k, m in enumerate(majors):
        if f"dev:{m}" not in coef:
            continue
        mask = (data["developer_group"] == m).to_numpy()
        dots = 10 ** ((coef[f"dev:{m}"] + resid[mask]) / bc)
        sc = ax.scatter(np.full(mask.sum(), k) + np.random.default_rng(k).uniform(
            -0.2, 0.2, mask.sum()), dots, c=x[mask], cmap="coolwarm", s=8, alpha=0.6,
            vmin=x.min(), vmax=x.max())
        ax.scatter([k], [10 ** (coef[f"dev:{m}"] / bc)], marker="^", color="black", s=50,
                   zorder=3)
    ax.set_yscale("log")
    ax.set_xticks(range(len(majors)))
    ax.set_xticklabels(majors, rotation=60, fontsize=8)
    ax.axhline(1, color="grey", lw=0.6)
    ax.set_ylabel("compute factor vs other-small (log)")
    ax.set_title("(c) developer effects (▲) and model effects (dots)", fontsize=10)
    if "sc" in locals():
        fig.colorbar(sc, ax=ax, label="log10 FLOPs")

    ax = axes[1, 0]
    df, fit = developer_size_regression(d, coef, majors)
    ax.scatter(df["rel_compute"], df["factor"], color="#2ca02c")
    for r in df.itertuples():
        ax.annotate(r.developer, (r.rel_compute, r.factor), fontsize=7)
    if fit is not None:
        gx = np.linspace(df["rel_compute"].min(), df["rel_compute"].max(), 50)
        import statsmodels.api as sm

        pr = fit.get_prediction(sm.add_constant(gx)).summary_frame(alpha=0.05)
        ax.plot(gx, pr["mean"], color="black", lw=1)
        ax.fill_between(gx, pr["mean_ci_lower"], pr["mean_ci_upper"], color="grey", alpha=0.2)
        s = fit.params.iloc[1]
        ax.set_title(f"(d) factor on relative compute: slope {s:.1f}"
                     f"{stars(fit.pvalues.iloc[1])} per 10× (95% band)", fontsize=10)
    ax.set_xlabel("developer's mean log10 FLOPs relative to its period's mean")
    ax.set_ylabel("developer compute factor")

    ax = axes[1, 1]
    r = resid[d.is_major]
    ax.hist(r, bins=30, color="#7f7f7f")
    p10, p90 = pctile(r, 10), pctile(r, 90)
    for v in (p10, p90):
        ax.axvline(v, color="#d62728", lw=1)
    ax.set_title(f"(e) model effects, major developers: 90–10 gap = "
                 f"{gap_factor(r, bc):,.0f}× compute", fontsize=10)
    ax.set_xlabel("residual (log-odds)")
    axes[1, 2].axis("off")
    axes[1, 2].text(0, 0.5, f"N = {d.n}\nclusters = {len(np.unique(d.clusters))}\n"
                    f"β_c = {bc:.3f}\nspec: {d.spec.cell_id.replace('/', chr(10))}",
                    fontsize=9, va="center", family="monospace")
    fig.suptitle(title, fontsize=12)
    fig.tight_layout(rect=(0, 0.02, 1, 0.96))
    return save(fig, path, source, pdf=True)


# ------------------------------------------------------------------------------------------
# Figure 3 / D.4: top models and the smallest model reaching a threshold


def top_and_smallest(sample, path, benchmark_label: str, source: str,
                     thresholds=(0.1, 0.15, 0.2, 0.3, 0.4)):
    import numpy as np
    import pandas as pd

    s = sample.sort_values("release_date")
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
    ax = axes[0]
    top = s.loc[s.groupby("quarter")["score"].idxmax()].sort_values("quarter")
    ax.plot(top["quarter"], top["score"] * 100, marker="o", color="#1f77b4")
    for r in top.itertuples():
        ax.annotate(r.model_id.split("/")[-1].replace("lifearchitect:", "")[:28],
                    (r.quarter, r.score * 100), fontsize=6, rotation=30)
    ax.set_ylabel(f"{benchmark_label} score (%)")
    ax.set_title("(a) top-scoring model each quarter", fontsize=10)
    ax.tick_params(axis="x", rotation=60, labelsize=7)
    ax = axes[1]
    quarters = sorted(s["quarter"].unique())
    for th in thresholds:
        vals = []
        for q in quarters:
            hit = s[(s["quarter"] <= q) & (s["score"] >= th)]
            vals.append(hit["log10_flops"].min() if len(hit) else np.nan)
        ax.step(quarters, vals, where="post", label=f"≥ {th:.0%}")
    ax.set_ylabel("smallest log10 FLOPs reaching the score so far")
    ax.set_title("(b) required compute for a given score over time", fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    ax.tick_params(axis="x", rotation=60, labelsize=7)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return save(fig, path, source), top[["quarter", "model_id", "score", "log10_flops"]]\
        .reset_index(drop=True), pd.DataFrame()


# ------------------------------------------------------------------------------------------
# Figure 4 / D.5 / E.4 / E.8: the decompositions of Table B.1


def decomposition_bars(cols: dict, path, title: str, source: str):
    """cols: label -> dict of changes (scaling, shared, company, model, total) in log-odds."""
    parts = [("scaling", "#1f77b4"), ("shared", "#ff7f0e"), ("company", "#2ca02c"),
             ("model", "#7f7f7f")]
    fig, axes = plt.subplots(1, len(cols), figsize=(6 * len(cols), 4), squeeze=False)
    for ax, (label, ch) in zip(axes[0], cols.items(), strict=True):
        vals = [ch[p] for p, _ in parts]
        ax.bar([p for p, _ in parts], vals, color=[c for _, c in parts])
        ax.axhline(0, color="black", lw=0.6)
        ax.axhline(ch["total"], color="#d62728", ls="--", lw=1,
                   label=f"total change {ch['total']:+.2f}")
        for i, v in enumerate(vals):
            ax.text(i, v, f"{v:+.2f}", ha="center", va="bottom" if v >= 0 else "top",
                    fontsize=8)
        ax.set_title(label, fontsize=9)
        ax.set_ylabel("Δ log-odds")
        ax.legend(fontsize=8, frameon=False)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout(rect=(0, 0.04, 1, 0.93))
    return save(fig, path, source, pdf=True)


# ------------------------------------------------------------------------------------------
# Figure C.1 / D.1 / E.1 / E.5: the logistic fit to the raw data


def logistic_fit(sample, vs=(1.0,)):
    """Non-linear least squares of score = (1 + exp(-(a ln FLOPs + b)))^(-1/v) for each v.

    Returns {v: (a, b)} with a per natural-log unit of FLOPs and b for FLOPs in FLOP."""
    import numpy as np
    from scipy.optimize import curve_fit

    lnF = sample["log10_flops"].to_numpy(float) * np.log(10)
    y = sample["score"].to_numpy(float)
    out = {}
    for v in vs:
        def f(x, a, b, v=v):
            return np.exp(-np.logaddexp(0.0, -(a * x + b)) / v)

        (a, b), _ = curve_fit(f, lnF, y, p0=(0.4, -22.0), maxfev=20000)
        out[v] = (float(a), float(b))
    return out


def logistic_figure(sample, params: dict, path, benchmark_label: str, source: str):
    import numpy as np

    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.scatter(sample["log10_flops"], sample["score"], s=5, alpha=0.4, color="#7f7f7f",
               label="models")
    xs = np.linspace(sample["log10_flops"].min(), sample["log10_flops"].max(), 200)
    for v, (a, b) in params.items():
        yv = np.exp(-np.logaddexp(0.0, -(a * xs * np.log(10) + b)) / v)
        ax.plot(xs, yv, lw=1.5, label=f"v = {v}: 1/(1+exp(-({a:.4f}·ln FLOPs {b:+.3f})))"
                + (f"^(1/{v})" if v != 1 else ""))
    ax.set_xlabel("log10 training FLOPs")
    ax.set_ylabel(f"{benchmark_label} score")
    ax.legend(fontsize=7, frameon=False)
    ax.set_title(f"{benchmark_label} vs compute with a logistic fit (NLS)", fontsize=10)
    return save(fig, path, source)


# ------------------------------------------------------------------------------------------
# Figure E.9


def factors_by_time(factors: dict, path, source: str):
    """factors: time structure -> {developer: factor}."""
    import numpy as np

    devs = list(next(iter(factors.values())))
    fig, ax = plt.subplots(figsize=(8, 4.5))
    colors = {"tri": "black", "quarterly": "#d62728", "quadratic": "#1f77b4"}
    for k, (t, f) in enumerate(factors.items()):
        ax.scatter(np.arange(len(devs)) + (k - 1) * 0.2, [f.get(dv, np.nan) for dv in devs],
                   color=colors.get(t, None), label=t, s=25)
    ax.set_yscale("log")
    ax.set_xticks(range(len(devs)))
    ax.set_xticklabels(devs, rotation=45, fontsize=8)
    ax.set_ylabel("compute factor vs other-small (log)")
    ax.legend(title="time structure", fontsize=8, frameon=False)
    ax.set_title("Developer compute factors under three time structures", fontsize=10)
    return save(fig, path, source)
