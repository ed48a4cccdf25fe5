"""Estimator core against independent computations: statsmodels, closed forms, hand cases."""

import itertools

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from saucegrid.estimation import decompose, estimate, links, specs

from helpers import toy_sample

TOL = 1e-8


def synthetic(n=300, g=15, seed=0):
    rng = np.random.default_rng(seed)
    cl = rng.integers(0, g, n)
    x1 = rng.normal(22, 1.5, n)
    x2 = rng.integers(0, 3, n)
    u = rng.normal(0, 0.5, n) + rng.normal(0, 0.3, g)[cl]
    y = -15 + 0.7 * x1 + 0.4 * (x2 == 1) + 0.6 * (x2 == 2) + u
    X = np.column_stack([np.ones(n), x1, x2 == 1, x2 == 2]).astype(float)
    return y, X, cl


def numpy_cr1(y, X, cl):
    """Hand-written reference: loop over clusters, Stata CR1, t(G-1)."""
    from scipy import stats

    n, k = X.shape
    b = np.linalg.solve(X.T @ X, X.T @ y)
    u = y - X @ b
    inv = np.linalg.inv(X.T @ X)
    groups = np.unique(cl)
    meat = np.zeros((k, k))
    for c in groups:
        s = X[cl == c].T @ u[cl == c]
        meat += np.outer(s, s)
    G = len(groups)
    V = inv @ meat @ inv * G / (G - 1) * (n - 1) / (n - k)
    se = np.sqrt(np.diag(V))
    p = 2 * stats.t.sf(np.abs(b / se), G - 1)
    return b, se, p


def test_ols_cluster_matches_statsmodels_and_a_loop_reference():
    y, X, cl = synthetic()
    f = estimate.ols_cluster(y, X, cl)
    sm_fit = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": cl}, use_t=True)
    np.testing.assert_allclose(f.coef, sm_fit.params, rtol=0, atol=TOL)
    np.testing.assert_allclose(f.se, sm_fit.bse, rtol=TOL, atol=0)
    np.testing.assert_allclose(f.p, sm_fit.pvalues, rtol=1e-7, atol=1e-12)
    assert f.r2 == pytest.approx(sm_fit.rsquared, abs=TOL)
    b, se, p = numpy_cr1(y, X, cl)
    np.testing.assert_allclose(f.coef, b, rtol=0, atol=TOL)
    np.testing.assert_allclose(f.se, se, rtol=TOL, atol=0)
    np.testing.assert_allclose(f.p, p, rtol=TOL, atol=1e-14)
    assert f.n == 300 and f.g == 15 and f.k == 4


def test_stars():
    assert [estimate.stars(p) for p in (0.009, 0.01, 0.049, 0.05, 0.099, 0.1, 0.5)] == [
        "***", "**", "**", "*", "*", "", ""]


# ---------------------------------------------------------------- links


def test_generalized_logit_reduces_to_logit_at_v1():
    y = np.array([0.01, 0.2, 0.5, 0.77, 0.99])
    np.testing.assert_allclose(links.generalized_logit(y, 1.0), np.log(y / (1 - y)),
                               rtol=0, atol=1e-14)
    assert links.generalized_logit(0.5, 1.0) == 0.0


def test_generalized_logit_hand_values_and_inverse():
    # F_0.7(0.3) = ln(0.3^0.7 / (1 - 0.3^0.7)); 0.3^0.7 = exp(0.7 ln 0.3)
    a = np.exp(0.7 * np.log(0.3))
    assert links.generalized_logit(0.3, 0.7) == pytest.approx(np.log(a / (1 - a)), abs=1e-14)
    z = links.generalized_logit(np.array([0.1, 0.6]), 1.2)
    np.testing.assert_allclose(links.inverse(z, 1.2), [0.1, 0.6], rtol=0, atol=1e-14)
    with pytest.raises(ValueError):
        links.generalized_logit(np.array([0.0, 0.5]))


# ---------------------------------------------------------------- Shapley


def r2_of(y, cols):
    if not cols:
        return 0.0
    return sm.OLS(y, sm.add_constant(np.column_stack(cols))).fit().rsquared


def test_shapley_two_groups_closed_form():
    y, X, cl = synthetic(seed=3)
    names = ["const", "a", "b1", "b2"]
    phi = decompose.shapley_r2(y, X, names, {"A": ["a"], "B": ["b1", "b2"]})
    rA, rB = r2_of(y, [X[:, 1]]), r2_of(y, [X[:, 2], X[:, 3]])
    rAB = r2_of(y, [X[:, 1], X[:, 2], X[:, 3]])
    assert phi["A"] == pytest.approx(0.5 * rA + 0.5 * (rAB - rB), abs=TOL)
    assert phi["B"] == pytest.approx(0.5 * rB + 0.5 * (rAB - rA), abs=TOL)
    assert phi["residual"] == pytest.approx(1 - rAB, abs=TOL)


def test_shapley_efficiency_symmetry_and_order_invariance():
    rng = np.random.default_rng(7)
    n = 200
    x = rng.normal(size=(n, 4))
    y = x @ [1.0, 0.5, 0.5, -0.3] + rng.normal(size=n)
    X = np.column_stack([np.ones(n), x, x[:, 1]])  # column 5 duplicates column 2
    names = ["const", "a", "b", "c", "d", "b_copy"]
    groups = {"g1": ["a"], "g2": ["b"], "g3": ["c", "d"], "g2copy": ["b_copy"]}
    phi = decompose.shapley_r2(y, X, names, groups)
    full = r2_of(y, [x[:, 0], x[:, 1], x[:, 2], x[:, 3]])
    assert sum(v for k, v in phi.items() if k != "residual") == pytest.approx(full, abs=TOL)
    assert phi["g2"] == pytest.approx(phi["g2copy"], abs=TOL)  # identical groups, equal shares
    for perm in itertools.permutations(groups):
        again = decompose.shapley_r2(y, X, names, {g: groups[g] for g in perm})
        for g in groups:
            assert again[g] == pytest.approx(phi[g], abs=1e-12)


def test_shapley_brute_force_three_groups():
    y, X, _ = synthetic(seed=11)
    rng = np.random.default_rng(1)
    z = rng.normal(size=len(y))
    X = np.column_stack([X, z])
    names = ["const", "a", "b1", "b2", "z"]
    groups = {"A": ["a"], "B": ["b1", "b2"], "Z": ["z"]}
    phi = decompose.shapley_r2(y, X, names, groups)
    colmap = {"A": [X[:, 1]], "B": [X[:, 2], X[:, 3]], "Z": [X[:, 4]]}
    # brute force over orderings: average marginal contribution
    acc = dict.fromkeys(groups, 0.0)
    perms = list(itertools.permutations(groups))
    for order in perms:
        have = []
        for g in order:
            before = r2_of(y, [c for h in have for c in colmap[h]])
            have.append(g)
            acc[g] += r2_of(y, [c for h in have for c in colmap[h]]) - before
    for g in groups:
        assert phi[g] == pytest.approx(acc[g] / len(perms), abs=TOL)


# ---------------------------------------------------------------- factors and percentiles


def test_compute_factor_hand_values():
    # paper: delta = 0.692, beta_c = 0.789 -> 7.5x; Microsoft 1.407 -> 60.5x
    assert decompose.compute_factor(0.692, 0.789) == pytest.approx(10 ** (0.692 / 0.789), abs=1e-12)
    assert round(decompose.compute_factor(0.692, 0.789), 1) == 7.5
    assert round(decompose.compute_factor(1.407, 0.789), 0) == 61
    assert decompose.compute_factor(0.0, 0.5) == 1.0
    assert decompose.compute_factor(1.0, 1.0) == pytest.approx(10.0)


def test_stata_percentiles():
    x = [5, 1, 4, 2, 3]  # n=5
    assert decompose.pctile(x, 50) == 3  # 2.5 -> x(3)
    assert decompose.pctile(x, 10) == 1  # 0.5 -> x(1)
    assert decompose.pctile(x, 90) == 5  # 4.5 -> x(5)
    assert decompose.pctile([1, 2, 3, 4], 50) == 2.5  # 2 integer -> (x2 + x3)/2
    assert decompose.pctile(range(1, 11), 90) == 9.5  # 9 -> (x9 + x10)/2
    assert decompose.gap_factor(range(1, 11), 2.0) == pytest.approx(10 ** ((9.5 - 1.5) / 2))
    assert decompose.compute_spread([20, 21, 22, 23, 24], 95, 5) == pytest.approx(1e4)


# ---------------------------------------------------------------- design matrices


def test_design_matches_a_formula_fit():
    df = toy_sample()
    majors = ["Meta", "Qwen", "Nvidia"]
    d = specs.design(df, specs.Spec(), majors)
    f = estimate.fit(d)
    data = d.data.assign(yy=np.log(df["score"] / (1 - df["score"])).to_numpy())
    X = pd.get_dummies(data[["period3", "developer_group"]].astype(str), dtype=float)
    X = X.drop(columns=["period3_2022q4-2023q3", "developer_group_other-small"])
    X.insert(0, "lf", data["log10_flops"])
    ref = sm.OLS(data["yy"], sm.add_constant(X)).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(data["cluster"])[0]}, use_t=True)
    assert f[specs.LOG_FLOPS] == pytest.approx(ref.params["lf"], abs=TOL)
    assert f["dev:Meta"] == pytest.approx(ref.params["developer_group_Meta"], abs=TOL)
    i = f.names.index("dev:Meta")
    assert f.se[i] == pytest.approx(ref.bse["developer_group_Meta"], rel=TOL)
    assert f.r2 == pytest.approx(ref.rsquared, abs=TOL)


def test_empty_and_collinear_dummies_are_omitted_and_fit_equals_the_fit_without_them():
    df = toy_sample()
    majors = ["Meta", "Qwen", "Nvidia", "OpenAI"]  # OpenAI has no models: empty dummy
    d = specs.design(df, specs.Spec(sample="major"), majors)
    assert d.omitted["dev:OpenAI"] == "empty"
    assert all(d.omitted[f"dev:{g}"] == "empty" for g in ("other-medium", "other-large"))
    assert "dev:Nvidia" not in d.names  # baseline of the major samples
    f = estimate.fit(d)
    d2 = specs.design(df, specs.Spec(sample="major"), ["Meta", "Qwen", "Nvidia"])
    f2 = estimate.fit(d2)
    assert f.names == f2.names
    np.testing.assert_allclose(f.coef, f2.coef, rtol=0, atol=TOL)
    np.testing.assert_allclose(f.se, f2.se, rtol=TOL)
    # a developer whose models all fall in one cluster and period: make a collinear column
    df3 = df.copy()
    df3.loc[df3["developer"] == "Qwen", "period3"] = "2024q3-2025q1"
    df3.loc[df3["period3"] == "2024q3-2025q1", "developer"] = "Qwen"
    df3["cluster"] = df3["developer"]
    d3 = specs.design(df3, specs.Spec(sample="major"), ["Meta", "Qwen", "Nvidia"])
    assert d3.omitted.get("dev:Qwen") == "collinear"
    f3 = estimate.fit(d3)
    assert np.isfinite(f3.se).all()


def test_major_split_at_the_median():
    df = toy_sample()
    majors = ["Meta", "Qwen", "Nvidia"]
    lo = specs.design(df, specs.Spec(sample="major_below"), majors)
    hi = specs.design(df, specs.Spec(sample="major_above"), majors)
    assert lo.n + hi.n == 36
    assert lo.data["log10_flops"].max() <= hi.data["log10_flops"].min()


def test_time_structures_and_interactions():
    df = toy_sample()
    majors = ["Meta", "Qwen", "Nvidia"]
    q = specs.design(df, specs.Spec(time="quarterly"), majors)
    assert "quarter:2023Q2" not in q.names and all(n.startswith("quarter:") for n in
                                                    q.groups["time"])
    m = specs.design(df, specs.Spec(time="quadratic"), majors)
    assert m.groups["time"] == ["month", "month^2"]
    i = specs.design(df, specs.Spec(interaction="period_x_compute"), majors)
    assert i.groups["scale"] == [specs.LOG_FLOPS, "period:2023q4-2024q2 x log_flops",
                                 "period:2024q3-2025q1 x log_flops"]
    phi = decompose.shapley(i)
    assert sum(phi[g] for g in decompose.GROUPS) == pytest.approx(estimate.fit(i).r2, abs=TOL)


def test_spec_validation_and_cell_id():
    s = specs.Spec(link="v0.7")
    assert s.cell_id == ("benchmark~mmlu_pro/link~v0.7/time~tri/devset~paper/sample~full/"
                         "interaction~none")
    assert hash(s) == hash(specs.Spec(link="v0.7"))
    with pytest.raises(ValueError, match="link"):
        specs.Spec(link="v2")
