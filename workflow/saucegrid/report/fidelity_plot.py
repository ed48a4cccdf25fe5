"""The fidelity figure: calibration distance per construction variant, and the default's Table
C.1 coefficients against the paper's."""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.grid.view import GridView
from saucegrid.report.figures import plt, save
from saucegrid.report.paper import C1_SAMPLES

READING, ROBUST, CHOSEN = "#1f77b4", "#bbbbbb", "#d62728"


def fidelity_figure(calibration: pd.DataFrame, v: GridView, paper: dict, path) -> str:
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4.8), gridspec_kw={"width_ratios": [1, 1.1]})
    cal = calibration[calibration["construction"] != "paper"].sort_values("distance")
    best = cal[cal["reading"].eq("yes")]["construction"].iloc[0]
    colors = [CHOSEN if c == best else READING if r == "yes" else ROBUST
              for c, r in zip(cal["construction"], cal["reading"], strict=True)]
    a.barh(cal["construction"][::-1], cal["distance"][::-1], color=colors[::-1])
    for y, d in enumerate(cal["distance"][::-1]):
        a.text(d + 0.005, y, f"{d:.3f}", va="center", fontsize=8)
    a.set_xlabel("distance to the paper's counts (mean |ours − paper| / paper)")
    a.set_title("(a) Calibration on published counts\nred: closest reading (the default); "
                "blue: other readings; grey: robustness", fontsize=9)
    a.set_xlim(0, cal["distance"].max() * 1.18)

    marks = ["o", "s", "^", "D"]
    lo, hi = np.inf, -np.inf
    for i, smp in enumerate(C1_SAMPLES):
        xs, ys = [], []
        for term, vals in paper["table_c1"]["terms"].items():
            if term == "const" or vals[i] is None:
                continue
            t = v.term(term, construction="default", benchmark="mmlu_pro", sample=smp)
            if t is None:
                continue
            xs.append(vals[i][0])
            ys.append(float(t["estimate"]))
        if xs:
            b.scatter(xs, ys, marker=marks[i], s=28, alpha=0.8, label=f"col. ({i + 1}) {smp}")
            lo, hi = min(lo, *xs, *ys), max(hi, *xs, *ys)
    if np.isfinite(lo):
        pad = 0.1 * (hi - lo)
        b.plot([lo - pad, hi + pad], [lo - pad, hi + pad], color="#555555", lw=0.8, ls="--")
        b.axhline(0, color="#999999", lw=0.5)
        b.axvline(0, color="#999999", lw=0.5)
    b.set_xlabel("paper (Table C.1)")
    b.set_ylabel("ours, default construction")
    b.set_title("(b) Validation: Table C.1 coefficients (constant omitted)\n"
                "off-diagonal quadrants: opposite signs", fontsize=9)
    b.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return save(fig, path, "results/fidelity.md", dpi=120, pdf=True)
