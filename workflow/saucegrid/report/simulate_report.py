"""results/inference/size_power.md: the scenarios of :mod:`saucegrid.estimation.simulate` side
by side, the minimum detectable effects, and the table in markdown."""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.estimation.simulate import TESTS, Scenario, rates, shape

# test -> the null it tests (README's and summary.md's names)
NULL_OF = {
    "CR1": "(c) per major", "WCR": "(c) per major", "RI-β": "(c) per major",
    "RI-t": "(c) per major", "joint CR1 (Bonferroni)": "all developer effects zero",
    "joint WCR (Bonferroni)": "all developer effects zero",
    "joint RI (company share)": "(c) jointly", "joint RI (Wald)": "(c) jointly",
    "joint RI (studentized)": "(c) jointly",
    "closed testing (the tested major)": "(c) per major, family-wise",
    "closed testing (a null major rejected)": "(c) family-wise error",
    "mean-major set misses the true mean": "(c) mean: non-coverage",
    "mean-major set excludes 0": "(c) mean = 0",
    "developer F (classical)": "(a) developers alike",
    "developer F (wild bootstrap)": "(a) developers alike",
}
SIZE = "size: no developer effects"
COLUMNS = [
    (SIZE, Scenario("zero"), "none"),
    ("size: no developer effects, the real residuals resampled",
     Scenario("zero", errors="empirical"), "none"),
    ("stress: no developer effects, t(5) errors with sd rising 16-fold across compute",
     Scenario("zero", errors="heavy"), "none"),
    ("developer shocks, majors 1× the placebos' sd", Scenario("fitted", 1.0), "none"),
    ("developer shocks, majors 1.5×", Scenario("fitted", 1.5), "none"),
    ("developer shocks, majors 2×", Scenario("fitted", 2.0), "none"),
    ("power: the paper's Table C.1 (1) effects, developer shocks", Scenario("fitted"), "paper"),
    ("power: our CR1 estimates, developer shocks", Scenario("fitted"), "ours"),
]
MDE_GRID = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


def table(d, paper_effects: dict, reps: int = 500, seed: int = 1) -> pd.DataFrame:
    """Rejection rates at 5%, one column per scenario of COLUMNS."""
    sh = shape(d)
    cols = {}
    for i, (name, sc, eff) in enumerate(COLUMNS):
        effects = {"none": None, "paper": paper_effects, "ours": sh.estimates}[eff]
        cols[name] = rates(sh, reps, sc, effects, seed=seed + i)
    return pd.DataFrame(cols).loc[TESTS]


def mde(d, reps: int = 200, seed: int = 100, grid=MDE_GRID) -> pd.DataFrame:
    """Power with developer shocks (majors 1×) against an effect δ (logits): one major's
    (RI-t, closed testing) or every major's (the mean-major set excluding 0, the joint RI);
    rows δ, columns the tests."""
    sh = shape(d)
    rows = []
    for j, delta in enumerate(grid):
        one = rates(sh, reps, Scenario("fitted"), tested_effect=delta, seed=seed + 2 * j)
        every = rates(sh, reps, Scenario("fitted"), {t: delta for t in sh.majors},
                      seed=seed + 2 * j + 1)
        rows.append({"effect (logits)": delta, "one major: RI-t": one["RI-t"],
                     "one major: closed testing": one["closed testing (the tested major)"],
                     "every major: mean set excludes 0": every["mean-major set excludes 0"],
                     "every major: joint RI (studentized)": every["joint RI (studentized)"]})
    return pd.DataFrame(rows).set_index("effect (logits)")


def crossing(power: pd.Series, target: float = 0.8) -> float:
    """The smallest effect at which power reaches target, linear between grid points; inf when
    it never does."""
    x, y = power.index.to_numpy(float), power.to_numpy(float)
    above = np.flatnonzero(y >= target)
    if not len(above):
        return np.inf
    i = above[0]
    if i == 0:
        return float(x[0])
    return float(x[i - 1] + (target - y[i - 1]) * (x[i] - x[i - 1]) / (y[i] - y[i - 1]))


def _pct(x) -> str:
    return "—" if not np.isfinite(x) else f"{100 * x:.1f}%"


def markdown(tab: pd.DataFrame, power: pd.DataFrame, d, reps: int, mde_reps: int) -> str:
    sh = shape(d)
    shown = tab.map(_pct)
    shown.insert(0, "null tested", [NULL_OF[t] for t in shown.index])
    m = []
    for col in power.columns:
        x = crossing(power[col])
        fac = f"{10 ** (x / sh.beta_c):.3g}×" if np.isfinite(x) else "—"
        m.append({"test": col, "MDE at 80% power (logits)":
                  f"{x:.2f}" if np.isfinite(x) else f"> {power.index.max():g}",
                  "as compute factor": fac})
    return "\n".join([
        "# Size and power of the developer-effect tests", "",
        f"{reps} replications per column on outcomes simulated on the baseline MMLU-Pro "
        f"cell's design ({d.n} models, {len(np.unique(d.clusters))} developers; each of the "
        f"{len(sh.majors)} majors tested in turn): the real fit's compute slope (β_c = "
        f"{sh.beta_c:.3f}) and period effects; residual sd {np.hypot(sh.sigma, sh.tau):.3f}, "
        f"between developers {sh.tau:.3f}, within {sh.sigma:.3f}. Rejection rates of 5% "
        "tests. WCR: B = 199 (Rademacher); RI: every non-major developer with at least 3 "
        "models as a placebo, joint tests and closed testing over 199 random sets; developer F "
        "wild bootstrap: 199 draws. Module `saucegrid.estimation.simulate`.", "",
        "How to read it. (a) *developers alike*: every developer's effect zero; its rows are "
        "size in the first three columns and power elsewhere. (c) *a major no different from "
        "its size peers*: its rows are size in the first four columns; the stress column "
        "makes the errors of the (high-compute) majors far noisier than the placebos', and "
        "the 1.5× and 2× "
        "columns give the majors larger shocks than the placebos (a violation of the "
        "exchangeability RI rests on: rates above 5% there are the tests' sensitivity to it); "
        "the last two columns are power. The Monte Carlo standard error of a 5% rate is "
        f"{100 * np.sqrt(0.05 * 0.95 / reps):.1f} pp.", "",
        shown.to_markdown(), "",
        "## Minimum detectable effects", "",
        f"Power against one major's effect (others zero) and against a common effect of every "
        f"major, with developer shocks at the fitted sd; {mde_reps} replications per point. "
        "The MDE is the effect at which power first reaches 80% (linear between grid points); "
        "as a compute factor 10^(MDE/β_c).", "",
        pd.DataFrame(m).to_markdown(index=False), "",
        power.map(_pct).to_markdown(), ""])
