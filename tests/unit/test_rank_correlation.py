"""Spearman's ρ and its permutation test (saucegrid.estimation.rank_correlation), against scipy,
a written-out enumeration, and a simulation of size and power."""

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from saucegrid.estimation import rank_correlation as rc


def test_rho_equals_scipy_with_and_without_ties():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=12), rng.normal(size=12)
    assert rc.spearman(x, y) == pytest.approx(stats.spearmanr(x, y).statistic, abs=1e-12)
    x[3] = x[5]  # a tie
    assert rc.spearman(x, y) == pytest.approx(stats.spearmanr(x, y).statistic, abs=1e-12)


def test_exact_p_equals_a_written_out_enumeration():
    x = np.array([0.3, -1.2, 0.8, 0.1, 2.0, -0.4])
    y = np.array([0.1, -0.9, 1.1, -0.3, 1.4, 0.2])
    rho, p, n, exact = rc.permutation_p(x, y)
    assert exact and n == 720
    ref = [stats.spearmanr(x, y[list(perm)]).statistic
           for perm in itertools.permutations(range(6))]
    want = np.mean([abs(r) >= abs(rho) - 1e-12 for r in ref])
    assert p == pytest.approx(want, abs=1e-12)


def test_monte_carlo_p_is_close_to_the_exact_one():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=8), rng.normal(size=8)
    _, p_exact, _, exact = rc.permutation_p(x, y)
    _, p_mc, b, mc_exact = rc.permutation_p(x, y, draws=20000, exact_up_to=1)
    assert exact and not mc_exact and b == 20000
    assert p_mc == pytest.approx(p_exact, abs=3 * math.sqrt(0.25 / 20000) + 1e-3)


def test_size_and_power_of_the_permutation_test_with_ten_developers():
    """Size: unrelated rankings reject at about 5%. Power with ten developers is low: effects
    correlated 0.7 across two benchmarks are detected about 58% of the time, 0.9 about 91%
    (400 replications each; MC se about 2.5 points), so a non-rejection says little."""
    rng = np.random.default_rng(7)
    reps, n = 400, 10
    null = [rc.permutation_p(rng.normal(size=n), rng.normal(size=n), draws=499,
                             seed=i, exact_up_to=1)[1] < 0.05 for i in range(reps)]
    size = float(np.mean(null))
    assert 0.02 <= size <= 0.08  # MC se of a 5% rate over 400 reps: 1.1 points
    power = {}
    for r in (0.7, 0.9):
        alt = []
        for i in range(reps):
            xy = rng.multivariate_normal([0, 0], [[1, r], [r, 1]], size=n)
            alt.append(rc.permutation_p(xy[:, 0], xy[:, 1], draws=499, seed=i,
                                        exact_up_to=1)[1] < 0.05)
        power[r] = float(np.mean(alt))
    assert 0.45 <= power[0.7] <= 0.72 and power[0.9] >= 0.85


def test_confidence_set_is_fisher_z_and_undefined_when_too_small():
    lo, hi = rc.confidence_set(0.5, 10)
    half = stats.norm.ppf(0.975) * math.sqrt((1 + 0.125) / 7)
    assert (lo, hi) == pytest.approx((math.tanh(math.atanh(0.5) - half),
                                      math.tanh(math.atanh(0.5) + half)), abs=1e-12)
    assert all(math.isnan(v) for v in rc.confidence_set(0.5, 3))


def test_benchmark_report_tables_from_hand_made_cells():
    """report.benchmarks: the six-benchmark table, the majors' effects and their correlations
    read the cells' terms (a major absent on a benchmark is NaN and left out of its pairs)."""
    import pandas as pd

    from saucegrid.report import benchmarks

    cells = pd.DataFrame({"cell_id": ["a", "b"], "benchmark": ["mmlu_pro", "gpqa"],
                          "n_obs": [10, 8], "n_clusters": [5, 4], "r2": [0.5, 0.4]})
    eff = {"a": {"X": 1.0, "Y": 0.5, "Z": -0.2, "W": 0.1},
           "b": {"X": 0.8, "Y": 0.9, "Z": -0.1}}
    terms = pd.DataFrame([{"cell_id": c, "term": f"dev:{m}", "estimate": v, "std_error": 0.1,
                           "p_value": 0.04, "stars": "**", "omitted": ""}
                          for c, d in eff.items() for m, v in d.items()])
    long = benchmarks.six_table(cells, terms, ["X", "Y", "Z", "W"])
    t = long.set_index(["column", "term"])
    assert t.loc[("MMLU-Pro", "dev:X"), "estimate"] == 1.0
    assert t.loc[("MMLU-Pro", "dev:X"), "stars"] == "**"
    assert np.isnan(t.loc[("GPQA", "dev:W"), "estimate"])
    assert t.loc[("GPQA", "dev:W"), "omitted"] == "absent"
    assert t.loc[("GPQA", "dev:X"), "n_obs"] == 8
    effects = benchmarks.developer_effects(cells, terms, ["X", "Y", "Z", "W"])
    assert np.isnan(effects.loc["W", "gpqa"])
    corr = benchmarks.correlations(effects)
    assert len(corr) == 1 and corr.loc[0, "developers"] == 3
    assert corr.loc[0, "rho"] == pytest.approx(stats.spearmanr([1.0, 0.5, -0.2],
                                                               [0.8, 0.9, -0.1]).statistic)
    assert corr.loc[0, "exact"] and corr.loc[0, "permutations"] == 6


def test_robustness_counts_the_same_specifications_on_each_benchmark():
    """cross_cells keeps the cells that vary only the cross dimensions; robustness counts, per
    claim, the cells where it holds among those where it is defined (by hand)."""
    import pandas as pd

    from saucegrid.report import benchmarks

    dims = {"benchmark": ["mmlu_pro", "gpqa"], "link": ["v1.0", "v0.7"],
            "devset": ["paper", "plus_ibm"]}
    cells = pd.DataFrame({
        "cell_id": list("abcde"), "benchmark": ["mmlu_pro", "mmlu_pro", "mmlu_pro", "gpqa",
                                                "gpqa"],
        "link": ["v1.0", "v0.7", "v1.0", "v1.0", "v0.7"],
        "devset": ["paper", "paper", "plus_ibm", "paper", "paper"],
        "status": ["ok", "ok", "ok", "ok", "degenerate"],
        "beta_c": [0.9, 0.7, 0.8, 0.5, np.nan], "shapley_company": [0.2, 0.1, 0.3, 0.15, np.nan],
        "shared_progress_factor": [2.0, np.nan, 3.0, 0.5, np.nan],
        "gap_90_10_factor": [40.0, 5.0, 1.0, np.nan, np.nan], "factor_dev:X": [12.0, 3.0, 1.0,
                                                                             20.0, np.nan]})
    sub = benchmarks.cross_cells(cells, dims, ["mmlu_pro", "gpqa"], ["link"])
    assert list(sub["cell_id"]) == ["a", "b", "d", "e"]  # c is at devset plus_ibm
    r = benchmarks.robustness(sub, ["mmlu_pro", "gpqa"]).set_index("benchmark")
    assert r.loc["mmlu_pro", "cells"] == 2 and r.loc["gpqa", "not_fitted"] == 1
    assert r.loc["mmlu_pro", "beta_c_median"] == pytest.approx(0.8)
    assert (r.loc["mmlu_pro", "C1_holds"], r.loc["mmlu_pro", "C1_defined"]) == (1, 2)
    assert (r.loc["mmlu_pro", "C3_holds"], r.loc["mmlu_pro", "C3_defined"]) == (1, 1)
    assert (r.loc["mmlu_pro", "C5_holds"], r.loc["mmlu_pro", "C5_defined"]) == (1, 2)
    assert (r.loc["gpqa", "C3_holds"], r.loc["gpqa", "C3_defined"]) == (0, 1)
    assert (r.loc["gpqa", "C4_holds"], r.loc["gpqa", "C4_defined"]) == (1, 1)
    assert r.loc["gpqa", "C5_defined"] == 0


def test_the_claims_table_applies_the_ledger_rules_to_each_benchmark_cell():
    import pandas as pd

    from saucegrid.report import benchmarks

    cells = pd.DataFrame({"benchmark": ["mmlu_pro", "musr"], "shapley_company": [0.24, 0.10],
                          "shared_progress_factor": [2.2, np.nan],
                          "gap_90_10_factor": [40.0, np.nan],
                          "factor_dev:Qwen": [3.0, np.nan], "factor_dev:other-large": [99.0, 1.0]})
    t = benchmarks.claims_table(cells).set_index("claim")
    assert t.loc["C1", "MMLU-Pro"] == "holds (24%)" and t.loc["C1", "MUSR"] == "does not hold (10%)"
    assert t.loc["C3", "MUSR"] == "undefined" and t.loc["C5", "MMLU-Pro"] == "holds (40.0×)"
    # C4 reads the majors' factors only, never other-large's
    assert t.loc["C4", "MMLU-Pro"] == "does not hold (3.0×)" and t.loc["C4", "MUSR"] == "undefined"
