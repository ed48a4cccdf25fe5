"""The vectorised wild cluster restricted bootstrap against brute force."""

import numpy as np
import pytest
from scipy import stats

from saucegrid import bootstrap as WB
from saucegrid import estimate as E


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
    f = E.ols_cluster(y, X, cl)
    t = (f.coef[k] - b0) / f.se[k]
    _, codes = np.unique(cl, return_inverse=True)
    tstar = []
    for b in range(V.shape[1]):
        ys = fitted + u * V[codes, b]
        fs = E.ols_cluster(ys, X, cl)
        tstar.append((fs.coef[k] - b0) / fs.se[k])
    tstar = np.array(tstar)
    return t, tstar, float(np.mean(np.abs(tstar) >= abs(t) - 1e-12))


@pytest.mark.parametrize("k,b0", [(1, 0.0), (1, 0.5), (2, 0.0), (2, -0.3)])
def test_full_enumeration_g4_rademacher_is_exact(k, b0):
    X, y, cl = data()
    V = WB.all_rademacher(4)
    assert V.shape == (4, 16)
    P = WB.prepare(X, y, cl)
    T = WB.test(P, k, V)
    t, tstar, p = loop_reference(X, y, cl, k, b0, V)
    assert T.t(b0) == pytest.approx(t, abs=1e-10)
    np.testing.assert_allclose(T.t_star(b0), tstar, rtol=1e-8, atol=1e-10)
    assert T.pvalue(b0) == p  # exact: both count the same 16 draws


def test_webb_draws_on_a_ten_cluster_design_match_the_loop():
    X, y, cl = data(n_per=12, G=10, seed=3)
    V = WB.weights(10, 199, "webb", np.random.default_rng(7))
    assert set(np.unique(np.round(V ** 2, 12))) == {0.5, 1.0, 1.5}
    P = WB.prepare(X, y, cl)
    for k in (1, 2):
        T = WB.test(P, k, V)
        t, tstar, p = loop_reference(X, y, cl, k, 0.0, V)
        np.testing.assert_allclose(T.t_star(0.0), tstar, rtol=1e-8, atol=1e-10)
        assert T.pvalue(0.0) == p


def test_cr1_standard_errors_match_the_estimator():
    X, y, cl = data(n_per=8, G=12, seed=5)
    P = WB.prepare(X, y, cl)
    f = E.ols_cluster(y, X, cl)
    np.testing.assert_allclose(P.beta, f.coef, rtol=0, atol=1e-10)
    np.testing.assert_allclose(P.se, f.se, rtol=1e-10)


def test_many_clusters_approach_cr1():
    X, y, cl = data(n_per=5, G=200, seed=11, beta=(1.0, 0.08, 0.0))
    P = WB.prepare(X, y, cl)
    f = E.ols_cluster(y, X, cl)
    V = WB.weights(200, 9999, "rademacher", np.random.default_rng(1))
    for k in (1, 2):
        T = WB.test(P, k, V)
        assert T.pvalue(0.0) == pytest.approx(f.p[k], abs=0.02)
        lo, hi = T.ci(0.05)
        crit = stats.t.ppf(0.975, 199)
        assert lo == pytest.approx(f.coef[k] - crit * f.se[k], abs=0.1 * f.se[k])
        assert hi == pytest.approx(f.coef[k] + crit * f.se[k], abs=0.1 * f.se[k])


def test_ci_endpoints_are_where_the_p_value_crosses_alpha():
    X, y, cl = data(n_per=10, G=8, seed=2)
    P = WB.prepare(X, y, cl)
    V = WB.weights(8, 999, "webb", np.random.default_rng(3))
    T = WB.test(P, 1, V)
    lo, hi = T.ci(0.05)
    assert lo < T.beta < hi
    eps = 1e-3 * T.se
    assert T.pvalue(lo - eps) < 0.05 <= T.pvalue(lo + eps)
    assert T.pvalue(hi + eps) < 0.05 <= T.pvalue(hi - eps)


def test_weight_choice_and_seeded_determinism():
    assert WB.choose_weights(12) == "webb" and WB.choose_weights(13) == "rademacher"
    a = WB.weights(5, 10, "webb", np.random.default_rng(42))
    b = WB.weights(5, 10, "webb", np.random.default_rng(42))
    assert np.array_equal(a, b)


def test_batched_tests_equal_the_one_at_a_time_tests():
    X, y, cl = data(n_per=6, G=30, seed=8)
    P = WB.prepare(X, y, cl)
    V = WB.weights(30, 999, "rademacher", np.random.default_rng(4))
    many = WB.test_many(P, [0, 1, 2], V)
    for k in (0, 1, 2):
        one = WB.test(P, k, V)
        for b0 in (0.0, 0.3, one.beta):
            np.testing.assert_allclose(many[k].t_star(b0), one.t_star(b0), rtol=1e-8,
                                       atol=1e-10)
            assert many[k].pvalue(b0) == one.pvalue(b0)
