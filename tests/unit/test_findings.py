"""The findings ledger's pieces (issue 20), each against an independent computation or a
hand-built case with a known answer."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from saucegrid.findings import claims, intervals, resample
from saucegrid.out_of_sample import uncertainty, verdict


def test_hybrid_rows_keep_every_major_and_draw_other_developers_whole():
    codes = np.array([0, 0, 0, 1, 1, 2, 2, 2, 3, 4, 4])
    major = np.isin(codes, [0, 1])
    rows = resample.draw_rows(codes, major, np.random.default_rng(3))
    drawn = codes[rows]
    # each major keeps its count, with rows of its own only
    assert (drawn == 0).sum() == 3 and (drawn == 1).sum() == 2
    assert set(rows[drawn == 0]) <= {0, 1, 2} and set(rows[drawn == 1]) <= {3, 4}
    # three non-major developers drawn, each with all of its rows
    other = drawn[~np.isin(drawn, [0, 1])]
    sizes = {2: 3, 3: 1, 4: 2}
    counts = pd.Series(other).value_counts()
    assert all(counts[c] % sizes[c] == 0 for c in counts.index)
    assert sum(counts[c] // sizes[c] for c in counts.index) == 3


def _r2(y, X):
    return sm.OLS(y, sm.add_constant(X, has_constant="add")).fit().rsquared if X.shape[1] else 0.0


def test_a_bootstrap_draw_refits_like_statsmodels_and_shapley_by_brute_force():
    rng = np.random.default_rng(0)
    n = 60
    codes = np.repeat(np.arange(12), 5)
    major = codes < 4  # every dummy a major's: no column can vanish from a draw
    x = rng.normal(size=n)
    t = (rng.random(n) > 0.5).astype(float)
    dev = np.column_stack([(codes == k).astype(float) for k in range(1, 4)])
    X = np.column_stack([np.ones(n), x, t, dev])
    names = ["const", "log_flops", "period:b", "dev:a", "dev:b", "dev:c"]
    groups = {"scale": ["log_flops"], "time": ["period:b"],
              "company": ["dev:a", "dev:b", "dev:c"]}
    y = 0.5 + 0.9 * x + 0.3 * t + dev @ [0.4, -0.2, 0.1] + rng.normal(size=n)
    rows = resample.draw_rows(codes, major, np.random.default_rng(7))
    b, phi, resid = intervals._fit_rows(X, y, names, rows, groups)
    ref = sm.OLS(y[rows], X[rows]).fit()
    assert np.allclose(b, ref.params, atol=1e-8)
    assert np.allclose(resid, ref.resid, atol=1e-8)
    # exact Shapley by brute force over the 3! orders, R² from statsmodels
    cols = {"scale": [1], "time": [2], "company": [3, 4, 5]}
    Xr, yr = X[rows], y[rows]
    value = {}
    for order in itertools.permutations(cols):
        have = []
        for g in order:
            before = _r2(yr, Xr[:, have])
            have = have + cols[g]
            value[g] = value.get(g, 0.0) + (_r2(yr, Xr[:, have]) - before) / 6
    for g in cols:
        assert phi[g] == pytest.approx(value[g], abs=1e-8)


def test_the_factor_set_is_the_projection_of_the_rectangle():
    """major_factor_set's corners equal a brute-force min / max of 10^(δ/β) over the set."""
    lo, hi, b_lo, b_hi = -1.4, 3.94, 0.75, 1.04
    corners = [x / b for x in (lo, hi) for b in (b_lo, b_hi)]
    grid = [10 ** (d / b) for d in np.linspace(lo, hi, 401) for b in np.linspace(b_lo, b_hi, 401)]
    assert 10 ** min(corners) == pytest.approx(min(grid), rel=1e-8)
    assert 10 ** max(corners) == pytest.approx(max(grid), rel=1e-8)


def _threshold_sample():
    return pd.DataFrame({
        "model_id": list("abcde"),
        "release_date": pd.to_datetime(["2023-01-01", "2023-02-01", "2024-01-01", "2024-06-01",
                                        "2023-01-15"]),
        "score": [0.20, 0.10, 0.16, 0.30, 0.50],
        "score_raw": [0.28, 0.19, 0.244, 0.37, 0.55],
        "log10_flops": [23.0, 21.0, 21.5, 22.0, 24.0],
        "developer_group": ["Google", "Google", "Nvidia", "other-small", "other-large"],
        "token_is_estimate": [False] * 5})


def test_threshold_drop_known_answer_and_agrees_with_the_replication_report():
    from saucegrid.report.replication import threshold_compute_drop

    s = _threshold_sample()
    # majors reaching 0.15: a (2023-01-01, 23.0) first, c (21.5) the smallest: 10^1.5
    assert intervals.threshold_drop(s, 0.15, ["Google", "Nvidia"]) == pytest.approx(10 ** 1.5)
    # all developers: a first; c the smallest reaching it (b never reaches it)
    assert intervals.threshold_drop(s, 0.15) == pytest.approx(10 ** 1.5)
    for majors in (["Google", "Nvidia"], None):
        assert intervals.threshold_drop(s, 0.15, majors) == pytest.approx(
            threshold_compute_drop(s, 0.15, majors)[0], rel=1e-12)


def test_threshold_draws_without_error_return_the_point_estimate():
    s = _threshold_sample()
    d = intervals.threshold_draws(s, 0.15, ["Google", "Nvidia"], 10**9, 0.1, 0.0, 20, 1)
    assert np.allclose(d["majors"], 10 ** 1.5) and np.allclose(d["all"], 10 ** 1.5)


def test_snapshot_spread_is_the_rms_of_the_revised_llm_figures():
    old = pd.DataFrame({"name": ["A", "B", "C", "D", "tiny"],
                        "params_b": [100, 10, 7, 70, 0.1],
                        "tokens_b": [1000, 1000, 2000, 15000, 1]})
    new = pd.DataFrame({"name": ["a ", "B", "C", "E", "tiny"],
                        "params_b": [1000, 10, 7, 1, 10], "tokens_b": [1000, 100, 2000, 1, 100]})
    rms, rev = uncertainty.snapshot_spread(old, new)
    # A +1 order, B -1 order, C unchanged (left out), D/E unmatched, tiny below 10^22 FLOPs
    assert sorted(rev.round(12).tolist()) == [-1.0, 1.0]
    assert rms == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("ev,expected", [
    (verdict.Evidence(0.5, 1.2, 0.6, 1.5, 0.4), "yes"),
    (verdict.Evidence(0.5, 0.3, 0.1, 0.45, 0.4), "no"),
    (verdict.Evidence(0.5, 1.2, -0.4, 1.5, 0.01), "undetermined"),
    (verdict.Evidence(-0.1, 1.2, 0.6, 1.5, 0.4), "undetermined"),
    (verdict.Evidence(0.5, np.nan, np.nan, np.nan, 0.4), "undetermined"),
])
def test_the_verdict_rule(ev, expected):
    assert verdict.decide(ev)[0] == expected


def test_the_status_rule_in_its_fixed_order():
    c = claims.CLAIMS["C5"]  # a compute factor that asserts an effect
    s = claims.status
    assert s(np.nan, 1, 2, 41, 41, None, 0.9, True, c)[0] == "not testable with public data"
    assert s(5.0, 2, 9, 41, 41, False, 0.9, True, c)[0] == "not replicated"
    assert s(50.0, 20, 90, 41, 41, True, 0.3, True, c)[0].startswith("fragile")
    assert s(50.0, 20, 90, 41, 41, True, 0.9, False, c)[0] == "replicated in direction only"
    assert s(50.0, 1, 900, 41, 41, True, 0.9, True, c)[0] == "replicated in direction only"
    assert s(50.0, 20, 90, 41, 41, True, 0.9, True, c)[0] == "replicated"
    assert s(50.0, 45, 90, 41, 41, True, 0.9, True, c)[0] == "replicated in direction only"
    # a share claim: the paper's range meets ours
    c1 = claims.CLAIMS["C1"]
    assert s(0.2, 0.15, 0.3, 0.14, 0.18, True, 0.8, True, c1)[0] == "replicated"
    assert s(0.3, 0.25, 0.35, 0.14, 0.18, True, 0.8, True, c1)[0] == \
        "replicated in direction only"


def test_hc1_and_cluster_ses_of_the_fidelity_table_match_statsmodels():
    from saucegrid.estimation import estimate

    rng = np.random.default_rng(2)
    n = 80
    X = np.column_stack([np.ones(n), rng.normal(size=(n, 2))])
    y = X @ [1.0, 0.5, -0.3] + rng.normal(size=n)
    cl = np.repeat(np.arange(16), 5)
    hc1 = estimate.ols_cluster(y, X, np.arange(n)).se
    assert np.allclose(hc1, sm.OLS(y, X).fit(cov_type="HC1").bse, rtol=1e-8)
    cr1 = estimate.ols_cluster(y, X, cl).se
    ref = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": cl}).bse
    assert np.allclose(cr1, ref, rtol=1e-8)


def _ratio_loop(X, y, cl, ib, ig, r, V):
    """Written-out WCR for H0: γ − rβ = 0: restricted fit, draws of y*, and the CR1 t of the
    linear combination γ* − rβ* in the original parameterization."""
    from saucegrid.estimation import estimate

    Xr = X.copy()
    Xr[:, ib] = X[:, ib] + r * X[:, ig]
    keep = [j for j in range(X.shape[1]) if j != ig]
    bt = np.linalg.lstsq(Xr[:, keep], y, rcond=None)[0]
    fitted = Xr[:, keep] @ bt
    u = y - fitted
    _, codes = np.unique(cl, return_inverse=True)

    def t(yy):
        f = estimate.ols_cluster(yy, X, cl)
        c = np.zeros(X.shape[1])
        c[ig], c[ib] = 1.0, -r
        return (c @ f.coef) / np.sqrt(c @ f.vcov @ c)

    t0 = t(y)
    ts = np.array([t(fitted + u * V[codes, b]) for b in range(V.shape[1])])
    return float(np.mean(np.abs(ts) >= abs(t0) * (1 - 1e-9) - 1e-9))


def test_the_wcr_ratio_set_inverts_a_written_out_bootstrap():
    from saucegrid.estimation.bootstrap import all_rademacher
    from saucegrid.estimation.bootstrap.ratio import ratio_pvalue, ratio_set

    rng = np.random.default_rng(5)
    G, n_per = 8, 12
    cl = np.repeat(np.arange(G), n_per)
    n = len(cl)
    x = rng.normal(size=n) + 0.2 * cl
    d = (rng.random(n) > 0.5).astype(float)
    X = np.column_stack([np.ones(n), x, d])
    y = 0.3 + 0.9 * x + 0.6 * d + rng.normal(size=n) + 0.5 * rng.normal(size=G)[cl]
    V = all_rademacher(G)  # all 2^8 draws: the bootstrap distribution exactly
    for r in (-0.5, 0.2, 0.66, 1.5):
        assert ratio_pvalue(X, y, cl, 1, 2, r, V) == pytest.approx(
            _ratio_loop(X, y, cl, 1, 2, r, V), abs=1e-12)
    est, lo, hi = ratio_set(X, y, cl, 1, 2, draws=256, seed=1, webb_max_clusters=0)
    assert lo < est < hi
    eps = 1e-4
    for edge, out in ((lo, lo - eps), (hi, hi + eps)):
        inside = edge + (eps if edge == lo else -eps)
        assert _ratio_loop(X, y, cl, 1, 2, inside, V) > 0.05
        assert _ratio_loop(X, y, cl, 1, 2, out, V) <= 0.05
