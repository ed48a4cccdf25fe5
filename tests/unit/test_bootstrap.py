"""The vectorised wild cluster restricted bootstrap against brute force."""

import numpy as np
import pytest
from scipy import stats

from saucegrid.estimation import bootstrap, estimate


def data(n_per=10, G=4, seed=0, beta=(1.0, 0.5, 0.0)):
    rng = np.random.default_rng(seed)
    cl = np.repeat(np.arange(G), n_per)
    n = len(cl)
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.normal(size=n) + 0.3 * cl])
    y = X @ np.array(beta) + rng.normal(size=n) + rng.normal(size=G)[cl]
    return X, y, cl


def loop_reference(X, y, cl, k, b0, V):
    """Slow WCR: impose b0, rebuild y* draw by draw, refit OLS with CR1, compare |t|."""
    keep = [j for j in range(X.shape[1]) if j != k]
    bt = np.linalg.lstsq(X[:, keep], y - b0 * X[:, k], rcond=None)[0]
    fitted = X[:, keep] @ bt + b0 * X[:, k]
    u = y - fitted
    f = estimate.ols_cluster(y, X, cl)
    t = (f.coef[k] - b0) / f.se[k]
    _, codes = np.unique(cl, return_inverse=True)
    tstar = []
    for b in range(V.shape[1]):
        ys = fitted + u * V[codes, b]
        fs = estimate.ols_cluster(ys, X, cl)
        tstar.append((fs.coef[k] - b0) / fs.se[k])
    tstar = np.array(tstar)
    return t, tstar, float(np.mean(np.abs(tstar) >= abs(t) * (1 - 1e-9) - 1e-9))


@pytest.mark.parametrize("k,b0", [(1, 0.0), (1, 0.5), (2, 0.0), (2, -0.3)])
def test_full_enumeration_g4_rademacher_is_exact(k, b0):
    X, y, cl = data()
    V = bootstrap.all_rademacher(4)
    assert V.shape == (4, 16)
    P = bootstrap.prepare(X, y, cl)
    T = bootstrap.test(P, k, V)
    t, tstar, p = loop_reference(X, y, cl, k, b0, V)
    assert T.t(b0) == pytest.approx(t, abs=1e-10)
    np.testing.assert_allclose(T.t_star(b0), tstar, rtol=1e-8, atol=1e-10)
    assert T.pvalue(b0) == p  # exact: both count the same 16 draws


def test_webb_draws_on_a_ten_cluster_design_match_the_loop():
    X, y, cl = data(n_per=12, G=10, seed=3)
    V = bootstrap.weights(10, 199, "webb", np.random.default_rng(7))
    assert set(np.unique(np.round(V ** 2, 12))) == {0.5, 1.0, 1.5}
    assert_matches_the_loop(X, y, cl, V)


def assert_matches_the_loop(X, y, cl, V, ks=(1, 2), b0=0.0):
    """t* draw by draw and the p value, against the refit-per-draw loop."""
    P = bootstrap.prepare(X, y, cl)
    for k in ks:
        T = bootstrap.test(P, k, V)
        t, tstar, p = loop_reference(X, y, cl, k, b0, V)
        np.testing.assert_allclose(T.t_star(b0), tstar, rtol=1e-8, atol=1e-10)
        assert T.pvalue(b0) == p


def test_cr1_standard_errors_match_the_estimator():
    X, y, cl = data(n_per=8, G=12, seed=5)
    P = bootstrap.prepare(X, y, cl)
    f = estimate.ols_cluster(y, X, cl)
    np.testing.assert_allclose(P.beta, f.coef, rtol=0, atol=1e-10)
    np.testing.assert_allclose(P.se, f.se, rtol=1e-10)


def test_many_clusters_approach_cr1():
    X, y, cl = data(n_per=5, G=200, seed=11, beta=(1.0, 0.08, 0.0))
    P = bootstrap.prepare(X, y, cl)
    f = estimate.ols_cluster(y, X, cl)
    V = bootstrap.weights(200, 9999, "rademacher", np.random.default_rng(1))
    for k in (1, 2):
        T = bootstrap.test(P, k, V)
        assert T.pvalue(0.0) == pytest.approx(f.p[k], abs=0.02)
        (lo, hi), = bootstrap.ci_many([T], 0.05)
        crit = stats.t.ppf(0.975, 199)
        assert lo == pytest.approx(f.coef[k] - crit * f.se[k], abs=0.1 * f.se[k])
        assert hi == pytest.approx(f.coef[k] + crit * f.se[k], abs=0.1 * f.se[k])


def test_ci_endpoints_are_where_the_p_value_crosses_alpha():
    X, y, cl = data(n_per=10, G=8, seed=2)
    P = bootstrap.prepare(X, y, cl)
    V = bootstrap.weights(8, 999, "webb", np.random.default_rng(3))
    T = bootstrap.test(P, 1, V)
    (lo, hi), = bootstrap.ci_many([T], 0.05)
    assert lo < T.beta < hi
    eps = 1e-3 * T.se
    assert T.pvalue(lo - eps) < 0.05 <= T.pvalue(lo + eps)
    assert T.pvalue(hi + eps) < 0.05 <= T.pvalue(hi - eps)


def test_weight_choice_and_seeded_determinism():
    assert bootstrap.choose_weights(12) == "webb" and bootstrap.choose_weights(13) == "rademacher"
    a = bootstrap.weights(5, 10, "webb", np.random.default_rng(42))
    b = bootstrap.weights(5, 10, "webb", np.random.default_rng(42))
    assert np.array_equal(a, b)


def test_batched_tests_equal_the_one_at_a_time_tests():
    X, y, cl = data(n_per=6, G=30, seed=8)
    P = bootstrap.prepare(X, y, cl)
    V = bootstrap.weights(30, 999, "rademacher", np.random.default_rng(4))
    many = bootstrap.test_many(P, [0, 1, 2], V)
    for k in (0, 1, 2):
        one = bootstrap.test(P, k, V)
        for b0 in (0.0, 0.3, one.beta):
            np.testing.assert_allclose(many[k].t_star(b0), one.t_star(b0), rtol=1e-8,
                                       atol=1e-10)
            assert many[k].pvalue(b0) == one.pvalue(b0)


def test_full_webb_enumeration_is_used_when_it_fits_in_b_and_matches_the_loop():
    X, y, cl = data(n_per=6, G=3, seed=4)
    V, exact = bootstrap.draws(3, 999, "webb", seed=1)
    assert exact and V.shape == (3, 216)  # 6^3 <= 999: every weight vector once
    assert len({tuple(c) for c in V.T}) == 216
    V2, exact2 = bootstrap.draws(8, 999, "webb", seed=1)
    assert not exact2 and V2.shape == (8, 999)
    assert_matches_the_loop(X, y, cl, V)


def test_draws_are_seeded_by_seed_and_g():
    a, _ = bootstrap.draws(20, 99, "rademacher", seed=5)
    b, _ = bootstrap.draws(20, 99, "rademacher", seed=5)
    c, _ = bootstrap.draws(20, 99, "rademacher", seed=6)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def plain_ci(T, alpha=0.05, tol=1e-6):
    """Reference: one end at a time, bisection over every draw from a wide bracket."""
    ends = []
    for sgn in (-1, 1):
        lo, hi = T.beta, T.beta + sgn * 2 * T.se
        while T.pvalue(hi) >= alpha:
            lo, hi = hi, T.beta + 2 * (hi - T.beta)
        while abs(hi - lo) > tol * T.se:
            mid = (lo + hi) / 2
            lo, hi = (lo, mid) if T.pvalue(mid) < alpha else (mid, hi)
        ends.append((lo + hi) / 2)
    return tuple(ends)


@pytest.mark.parametrize("G,kind,seed", [(8, "webb", 2), (40, "rademacher", 3),
                                         (12, "webb", 9)])
def test_batched_intervals_are_exact_test_inversions(G, kind, seed):
    """Every end has p >= alpha just inside and p < alpha just outside (checked over all
    draws), and equals the one-at-a-time reference bisection to the tolerance."""
    X, y, cl = data(n_per=9, G=G, seed=seed)
    P = bootstrap.prepare(X, y, cl)
    V = bootstrap.weights(G, 999, kind, np.random.default_rng(seed))
    tests = bootstrap.test_many(P, [0, 1, 2], V)
    cis = bootstrap.ci_many([tests[k] for k in (0, 1, 2)], 0.05)
    for k, (lo, hi) in zip((0, 1, 2), cis, strict=True):
        T = tests[k]
        eps = 2e-6 * T.se
        assert T.pvalue(lo + eps) >= 0.05 > T.pvalue(lo - eps)
        assert T.pvalue(hi - eps) >= 0.05 > T.pvalue(hi + eps)
        ref = plain_ci(T)
        assert lo == pytest.approx(ref[0], abs=2e-6 * T.se)
        assert hi == pytest.approx(ref[1], abs=2e-6 * T.se)


def test_p_values_in_one_pass_equal_the_single_test_p_values():
    X, y, cl = data(n_per=5, G=25, seed=12)
    P = bootstrap.prepare(X, y, cl)
    V = bootstrap.weights(25, 499, "rademacher", np.random.default_rng(0))
    tests = bootstrap.test_many(P, [0, 1, 2], V)
    for b0 in (0.0, 0.4):
        many = bootstrap.pvalues(list(tests.values()), b0)
        assert list(many) == [tests[k].pvalue(b0) for k in (0, 1, 2)]


def test_a_never_rejected_end_is_infinite_and_a_broken_test_is_nan():
    # G = 2 with Rademacher weights: all 4 draws, p >= 1/4, so no null is ever rejected at 5%
    X, y, cl = data(n_per=10, G=2, seed=1)
    P = bootstrap.prepare(X, y, cl)
    V, exact = bootstrap.draws(2, 999, "rademacher", 0)
    assert exact and V.shape[1] == 4
    T = bootstrap.test(P, 1, V)
    assert bootstrap.ci_many([T])[0] == (-np.inf, np.inf)
    bad = bootstrap.Test(T.beta, T.se, T.n0 * np.nan, T.n1, T.q00, T.q01, T.q11, T.corr, 2)
    lo, hi = bootstrap.ci_many([bad])[0]
    assert np.isnan(lo) and np.isnan(hi)


def test_cell_skips_the_constant_and_reports_what_it_drew():
    X, y, cl = data(n_per=7, G=5, seed=6)
    cfg = bootstrap.WCR(draws=999)
    out, info = bootstrap.wcr_cell(X, y, cl, ["const", "a", "b"], cfg)
    assert set(out) == {"a", "b"}
    assert info == {"wcr_weights": "webb", "wcr_draws": 999, "wcr_exact": False}
    P = bootstrap.prepare(X, y, cl)
    V, _ = bootstrap.draws(5, 999, "webb", cfg.seed)
    assert out["a"][0] == bootstrap.test(P, 1, V).pvalue(0.0)
    assert bootstrap.WCR.from_config({"draws": 99, "table_line": True}).draws == 99
    with pytest.raises(ValueError, match="unknown wcr setting"):
        bootstrap.WCR.from_config({"drawz": 99})
    assert bootstrap.coerce_cli({"draws": "999", "ci": "false", "weights": "auto"}) == {
        "draws": 999, "ci": False, "weights": "auto"}


@pytest.mark.parametrize("G,kind", [(10, "webb"), (60, "rademacher")])
def test_agrees_with_the_wildboottest_package_draw_by_draw(G, kind):
    """An independent implementation (wildboottest, Fast & Wild WCR11: restricted estimate from
    the constraint formula, its own CR1 factor), fed our weights: the same t and t*."""
    from wildboottest.wildboottest import WildboottestCL

    X, y, cl = data(n_per=8, G=G, seed=21)
    V = bootstrap.weights(G, 499, kind, np.random.default_rng(2))
    P = bootstrap.prepare(X, y, cl)
    for k in (1, 2):
        R = np.zeros(X.shape[1])
        R[k] = 1.0
        wb = WildboottestCL(X=X, Y=y, cluster=cl, R=R, B=499, seed=1, parallel=False)
        wb.get_scores(bootstrap_type="11", impose_null=True)
        wb.v = V  # clusters in sorted order, as ours
        wb.get_numer()
        wb.get_denom()
        wb.get_tboot()
        wb.get_vcov()
        wb.get_tstat()
        T = bootstrap.test(P, k, V)
        assert float(np.ravel(wb.t_stat)[0]) == pytest.approx(T.t(0.0), rel=1e-10)
        np.testing.assert_allclose(np.ravel(wb.t_boot), T.t_star(0.0), rtol=1e-8, atol=1e-10)
        wb.get_pvalue()
        assert T.pvalue(0.0) == pytest.approx(wb.pvalue, abs=1 / 499)  # theirs: strict >


def test_a_shared_x_part_gives_the_same_numbers_as_a_fresh_one():
    """Cells that differ only in y (the link) reuse the X-only part of the product."""
    X, y, cl = data(n_per=6, G=15, seed=13)
    V = bootstrap.weights(15, 299, "rademacher", np.random.default_rng(1))
    P1, P2 = bootstrap.prepare(X, y, cl), bootstrap.prepare(X, np.tanh(y) + 0.1 * y ** 2, cl)
    xp = bootstrap.x_part(P1, [1, 2], V)
    shared = bootstrap.test_many(P2, [1, 2], V, xp)
    fresh = bootstrap.test_many(P2, [1, 2], V)
    for k in (1, 2):
        for f in ("n0", "n1", "q00", "q01", "q11"):
            assert np.array_equal(getattr(shared[k], f), getattr(fresh[k], f))
        np.testing.assert_allclose(shared[k].t_star(0.2), bootstrap.test(P2, k, V).t_star(0.2),
                                   rtol=1e-8, atol=1e-10)
