"""Confidence sets by inverting the randomization tests, closed testing across the majors, the
developer-heterogeneity F test, Fieller's set and the degenerate-cell rule, each against an
independent computation (refits from scratch, statsmodels, explicit loops, root finding)."""

import itertools

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import optimize

from saucegrid.estimation import (
    decompose,
    estimate,
    heterogeneity,
    randomization,
    ri_inversion,
    specs,
)
from saucegrid.grid import fit

from helpers import MAJORS, R_size_group, sample


@pytest.fixture(scope="module")
def design():
    return specs.design(specs.PreparedSample(sample(), MAJORS), specs.Spec(), MAJORS)


def moved(d, term):
    rows = d.X[:, d.names.index(term)] != 0
    grp = str(R_size_group(d.log10_flops[rows].mean(), d.prepared.size_cuts))
    return rows, None if grp == "other-small" else f"dev:{grp}"


def candidates(d, rows):
    _, codes = np.unique(d.clusters, return_inverse=True)
    n_c = np.bincount(codes)
    nonmajor = d.prepared.group_code[d.rows] >= len(MAJORS)
    elig = [c for c in range(len(n_c)) if n_c[c] >= 3 and nonmajor[codes == c].all()]
    return codes, np.array([np.unique(codes[rows])[0], *elig])


def refits(X0, y, codes, cands):
    """From scratch, per candidate: its effect by a refit of y on [X0, its indicator], the FWL
    denominator, the within sum of squares of the null residuals, and its size."""
    r0 = y - X0 @ np.linalg.lstsq(X0, y, rcond=None)[0]
    b, dl, ss, nn = [], [], [], []
    for c in cands:
        z = (codes == c).astype(float)
        f = sm.OLS(y, np.column_stack([X0, z])).fit()
        b.append(f.params[-1])
        dl.append(1 / f.normalized_cov_params[-1, -1])
        e = r0[codes == c]
        ss.append(((e - e.mean()) ** 2).sum())
        nn.append(len(e))
    return tuple(map(np.array, (b, dl, ss, nn)))


def brute_loo_t(X0, y, codes, cands):
    """Every candidate's effect over its leave-one-out sd, all from refits."""
    b, dl, ss, nn = refits(X0, y, codes, cands)
    t = np.empty(len(cands))
    for k in range(len(cands)):
        o = np.delete(np.arange(len(cands)), k)
        sigma2 = ss[o].sum() / (nn[o].sum() - len(o))
        tau2 = max(0.0, np.mean(b[o] ** 2 - sigma2 / dl[o]))
        t[k] = b[k] / np.sqrt(tau2 + sigma2 / dl[k])
    return t


def brute_p(t):
    a = np.abs(t)
    return (1 + np.sum(a[1:] >= a[0] * (1 - 1e-12) - 1e-12)) / len(a)


def test_developer_set_is_the_inverted_ri_t_test(design):
    d = design
    rows, gcol = moved(d, "dev:Qwen")
    X0, _ = randomization.null_design(d.X, d.names, {"dev:Qwen": gcol})
    codes, cands = candidates(d, rows)
    cl = randomization.Clusters(codes)
    z = rows.astype(float)
    sh = ri_inversion.Shifted(X0, d.y, z, cl, cands)
    pfun = ri_inversion.developer_pfun(sh)
    # p(δ) through the shift algebra equals the p of refits on y − δ z, at any δ
    for delta in (-1.5, -0.4, 0.0, 0.3, 2.0):
        t = brute_loo_t(X0, d.y - delta * z, codes, cands)
        beta, within = sh.at(np.array([delta]))
        np.testing.assert_allclose(ri_inversion.loo_t(beta, within, sh.n, sh.delta)[0], t,
                                   rtol=1e-9,
                                   atol=1e-12)
        assert pfun(np.array([delta]))[0] == pytest.approx(brute_p(t), abs=1e-12)
    lo, hi, connected = ri_inversion.developer_set(sh)
    assert lo < sh.beta[0] < hi and connected
    eps = 1e-3 * (hi - lo)
    for edge, inside in ((lo, lo + eps), (hi, hi - eps)):
        outside = 2 * edge - inside
        assert brute_p(brute_loo_t(X0, d.y - inside * z, codes, cands)) > 0.05
        assert brute_p(brute_loo_t(X0, d.y - outside * z, codes, cands)) <= 0.05


def test_set_needs_19_placebos_and_is_reported_by_the_cell(design):
    d = design
    names = d.names
    single = estimate.one_cluster_terms(d.X, names, d.clusters)
    per, joint = randomization.ri_cell(d, names, single, randomization.RI(draws=199))
    est, _, pt, n_p, lo, hi, p_closed = per["dev:Qwen"]
    assert n_p >= 19 and lo < est < hi and 0 < p_closed <= 1
    few = randomization.developer_ri(d.X, d.y, names, np.unique(d.clusters, return_inverse=True)[1],
                         {"dev:Qwen": moved(d, "dev:Qwen")[1]},
                         candidates(d, moved(d, "dev:Qwen")[0])[1][1:19])
    e2, pb2, pt2, n2, lo2, hi2 = few["dev:Qwen"]
    assert n2 == 18 and np.isfinite(e2) and np.isnan([pb2, pt2, lo2, hi2]).all()


def test_invert_on_a_known_p_function():
    # p(δ) = 1 − |δ − 1|/4 on [−3, 5]: the 95% set is |δ − 1| < 3.8
    lo, hi, connected = ri_inversion.invert(lambda x: 1 - np.abs(x - 1) / 4, 1.0, 0.5)
    assert lo == pytest.approx(-2.8, abs=1e-6) and hi == pytest.approx(4.8, abs=1e-6)
    assert connected
    # never rejected: unbounded both ways
    assert ri_inversion.invert(lambda x: np.ones_like(x), 0.0, 1.0)[:2] == (-np.inf, np.inf)
    # two islands: the hull, flagged as not connected
    p2 = lambda x: np.where((np.abs(x) < 1) | (np.abs(x - 3) < 0.5), 0.5, 0.01)  # noqa: E731
    lo, hi, connected = ri_inversion.invert(p2, 0.0, 0.5)
    assert lo == pytest.approx(-1, abs=1e-5) and hi == pytest.approx(3.5, abs=1e-5)
    assert not connected


def test_mean_major_set_inverts_the_shifted_sum(design):
    d = design
    moves = {t: moved(d, t)[1] for t in ("dev:Meta", "dev:Qwen", "dev:Nvidia")}
    X0, _ = randomization.null_design(d.X, d.names, moves)
    codes, _ = np.unique(d.clusters, return_inverse=True)[1], None
    z = np.zeros(d.n)
    own = []
    for t in moves:
        rows = d.X[:, d.names.index(t)] != 0
        z += rows
        own.append(np.unique(codes[rows])[0])
    _, cands = candidates(d, d.X[:, d.names.index("dev:Meta")] != 0)
    pool = np.union1d(own, cands[1:])
    cl = randomization.Clusters(codes)
    sh = ri_inversion.Shifted(X0, d.y, z, cl, pool)
    obs = np.searchsorted(pool, own)
    rng = np.random.default_rng(3)
    sets = np.stack([rng.choice(len(pool), 3, replace=False) for _ in range(99)])
    pfun = ri_inversion.mean_pfun(sh, obs, sets)
    for delta in (-0.8, 0.0, 0.5):
        # from scratch: refits on y − δ z, components from the whole pool
        b, dl, ss, nn = refits(X0, d.y - delta * z, codes, pool)
        sigma2 = ss.sum() / (nn.sum() - len(pool))
        tau2 = max(0.0, np.mean(b ** 2 - sigma2 / dl))
        t = b / np.sqrt(tau2 + sigma2 / dl)
        obs_s, ref = abs(t[obs].sum()), np.abs(t[sets].sum(1))
        want = (1 + np.sum(ref >= obs_s * (1 - 1e-12) - 1e-12)) / (1 + len(sets))
        assert pfun(np.array([delta]))[0] == pytest.approx(want, abs=1e-12)
    est, lo, hi, _ = ri_inversion.mean_set(sh, obs, sets)
    assert lo < est < hi
    assert pfun(np.array([lo + 1e-4]))[0] > 0.05 >= pfun(np.array([lo - 1e-4]))[0]


def naive_closed(t2, majors, placebos, draws, seed):
    """Closed testing written out: every subset, every draw, one at a time."""
    m, P_ = len(majors), len(placebos)
    p_of = {}
    for k in range(1, m + 1):
        idx = ri_inversion.random_subsets(P_ + k, k, draws, seed)
        for sub in itertools.combinations(range(m), k):
            vals = list(t2[placebos]) + [t2[majors[j]] for j in sub]
            obs = sum(t2[majors[j]] for j in sub)
            hits = sum(sum(vals[i] for i in row) >= obs * (1 - 1e-12) - 1e-12 for row in idx)
            p_of[sub] = (1 + hits) / (1 + draws)
    return np.array([max(p for sub, p in p_of.items() if j in sub) for j in range(m)])


def test_closed_test_equals_the_written_out_procedure():
    rng = np.random.default_rng(5)
    t2 = rng.chisquare(1, 64)
    t2[[0, 1]] = [40.0, 30.0]  # two clear effects among four majors, 60 placebos
    majors, placebos = np.array([0, 1, 2, 3]), np.arange(4, 64)
    adj = ri_inversion.closed_test(t2, majors, placebos, 199, 11)
    np.testing.assert_allclose(adj, naive_closed(t2, majors, placebos, 199, 11), atol=1e-15)
    assert (adj[:2] <= 0.05).all() and (adj[2:] > 0.05).all()
    assert (adj >= 1 / 200).all() and (np.diff(np.sort(adj)) >= 0).all()


def test_heterogeneity_f_equals_statsmodels_and_a_wild_bootstrap_loop():
    rng = np.random.default_rng(2)
    n, G_ = 150, 18
    codes = np.sort(rng.integers(0, G_, n))
    _, codes = np.unique(codes, return_inverse=True)
    x = rng.normal(size=n)
    Xr = np.column_stack([np.ones(n), x, (rng.random(n) < 0.5).astype(float)])
    y = Xr @ [1.0, 0.5, 0.2] + rng.normal(0, 0.3, G_)[codes] + rng.normal(size=n)
    out = heterogeneity.developer_f(Xr, y, codes, draws=99, seed=4)
    D_ = np.eye(codes.max() + 1)[codes][:, 1:]
    full = sm.OLS(y, np.column_stack([Xr, D_])).fit()
    rest = sm.OLS(y, Xr).fit()
    F, p, df = full.compare_f_test(rest)
    assert out["F"] == pytest.approx(F, rel=1e-8) and out["p"] == pytest.approx(p, rel=1e-8)
    assert out["df1"] == df and out["df2"] == full.df_resid
    # the wild restricted bootstrap by hand: the same signs, statsmodels fits
    signs = heterogeneity.rademacher(n, 99, [4, n, codes.max() + 1])
    hits = 0
    for v in signs.T:
        ys = rest.fittedvalues + rest.resid * v
        Fs = sm.OLS(ys, np.column_stack([Xr, D_])).fit().compare_f_test(sm.OLS(ys, Xr).fit())[0]
        hits += Fs >= F * (1 - 1e-12) - 1e-12
    assert out["p_wild"] == pytest.approx((1 + hits) / 100, abs=1e-12)
    assert set(np.unique(signs)) == {-1.0, 1.0}


def test_fieller_against_root_finding():
    theta, beta, V = 0.7, 0.9, np.array([[0.04, 0.006], [0.006, 0.01]])
    crit = 2.1
    lo, hi = decompose.fieller(theta, beta, V[0, 0], V[0, 1], V[1, 1], crit)

    def excess(r):  # |t| of theta − r beta = 0, minus the critical value
        return abs(theta - r * beta) / np.sqrt(V[0, 0] - 2 * r * V[0, 1] + r * r * V[1, 1]) - crit

    r_hat = theta / beta
    assert lo == pytest.approx(optimize.brentq(excess, r_hat - 10, r_hat), abs=1e-9)
    assert hi == pytest.approx(optimize.brentq(excess, r_hat, r_hat + 10), abs=1e-9)
    # beta not significant at that level: the set is the whole line
    assert decompose.fieller(theta, 0.1, V[0, 0], V[0, 1], V[1, 1], crit) == (-np.inf, np.inf)


def test_factors_are_undefined_with_a_reason():
    assert decompose.factors_defined(0.2, 0.9) == ""
    assert "includes 0" in decompose.factors_defined(-0.1, 0.9)
    assert decompose.bounded_factor(2.5) == 2.5 and np.isnan(decompose.bounded_factor(3e6))
    assert np.isnan(decompose.bounded_factor(1e-7)) and np.isnan(decompose.bounded_factor(np.inf))


def test_degenerate_rule():
    # the cells: 5 models, 4 coefficients, 3 clusters
    assert "3 cluster(s)" in fit.degenerate_reason(5, 4, 3, True, 0)
    # enough clusters, too few residual degrees of freedom per multi-cluster coefficient
    assert "residual degrees of freedom" in fit.degenerate_reason(20, 8, 6, True, 2)  # 12 < 18
    assert fit.degenerate_reason(26, 8, 6, True, 2) == ""  # 18 = 3 x 6
    assert "log compute" in fit.degenerate_reason(50, 4, 6, False, 0)
    assert "observations" in fit.degenerate_reason(4, 4, 4, True, 0)
