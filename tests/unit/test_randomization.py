"""Randomization inference: the one-column placebo algebra against brute-force refits, the
size-group rule for the moved developer, the rank p value and the joint test."""

import numpy as np
import pytest

from saucegrid.estimation import decompose, estimate, randomization, specs
from saucegrid.grid import fit

from helpers import MAJORS, R_size_group, sample


@pytest.fixture(scope="module")
def design():
    return specs.design(specs.PreparedSample(sample(), MAJORS), specs.Spec(), MAJORS)


def brute(X0, y, z, clusters):
    """OLS of y on [X0, z] from scratch (statsmodels): the indicator's coefficient, and its
    FWL denominator 1 / [(Z'Z)^-1]_zz (so that its classical variance is sigma^2 / delta)."""
    import statsmodels.api as sm

    f = sm.OLS(y, np.column_stack([X0, z])).fit()
    return f.params[-1], 1 / f.normalized_cov_params[-1, -1]


def test_rank_p():
    # a tie counts
    assert randomization.rank_p(2.0, np.array([1.0, 3.0, 2.0])) == pytest.approx(3 / 4)
    assert randomization.rank_p(5.0, np.array([1.0, 2.0])) == pytest.approx(1 / 3)
    assert np.isnan(randomization.rank_p(1.0, np.array([])))


def test_moved_developer_joins_the_size_group_of_its_mean_compute(design):
    d = design
    cuts = d.prepared.size_cuts
    rows = d.X[:, d.names.index("dev:Meta")] != 0
    grp = str(R_size_group(d.log10_flops[rows].mean(), cuts))
    X0, names0 = randomization.null_design(d.X, d.names, {"dev:Meta": f"dev:{grp}"
                                              if grp != "other-small" else None})
    assert "dev:Meta" not in names0 and X0.shape[1] == d.X.shape[1] - 1
    if grp != "other-small":
        assert (X0[rows, names0.index(f"dev:{grp}")] == 1).all()
    # hand-built: cut points (22, 23): a mean of 22.5 is medium, 23 is medium, 23.01 large
    assert list(R_size_group([21.9, 22.5, 23.0, 23.01], (22.0, 23.0))) == [
        "other-small", "other-medium", "other-medium", "other-large"]


def test_placebo_effects_equal_brute_force_refits(design):
    d = design
    _, codes = np.unique(d.clusters, return_inverse=True)
    X0, _ = randomization.null_design(d.X, d.names, {"dev:Qwen": "dev:other-medium"})
    cl = randomization.Clusters(codes)
    free = d.prepared.group_code[d.rows] >= len(MAJORS)  # non-major rows, and Qwen's
    free |= d.X[:, d.names.index("dev:Qwen")] != 0
    cands = np.array([c for c in range(cl.G) if free[codes == c].all()])
    beta, delta, r0 = randomization.indicator_effects(X0, d.y, cl, cands)
    assert len(cands) > 20
    for i, c in enumerate(cands):
        b, dl = brute(X0, d.y, (codes == c).astype(float), codes)
        assert beta[i] == pytest.approx(b, rel=1e-10, abs=1e-12)
        assert delta[i] == pytest.approx(dl, rel=1e-10)
    import statsmodels.api as sm

    np.testing.assert_allclose(r0, sm.OLS(d.y, X0).fit().resid, rtol=0, atol=1e-10)


def test_variance_components_by_hand():
    """Three clusters, a null model that is a constant only: r0 = y - mean(y)."""
    y = np.array([1.0, 3.0, 2.0, 6.0, 4.0, 5.0, 9.0])
    codes = np.array([0, 0, 1, 1, 1, 2, 2])
    cl = randomization.Clusters(codes)
    r0 = y - y.mean()
    beta = np.array([0.5, -0.2, 1.0])
    delta = np.array([1.5, 2.0, 1.2])
    tau2, sigma2 = randomization.variance_components(beta, delta, r0, cl, np.arange(3))
    # within sums of squares: {1,3}: 2; {2,6,4}: 8; {5,9}: 8 -> 18 on 7 - 3 = 4 df
    assert sigma2 == pytest.approx(18 / 4, rel=1e-12)
    assert tau2 == 0.0  # mean(beta^2 - 4.5 / delta) < 0: floored
    tau2, _ = randomization.variance_components(beta * 10, delta, r0, cl, np.arange(3))
    assert tau2 == pytest.approx(np.mean(100 * beta ** 2 - 4.5 / delta), rel=1e-12)


def test_studentized_t_is_scale_free_and_weighs_cluster_size():
    """t_c = beta_c / sqrt(tau^2 + sigma^2 / delta_c): unchanged when y is rescaled; without
    developer shocks (tau^2 = 0 forced by a tiny between-cluster spread) it is beta_c *
    sqrt(delta_c) / sigma, and with large shocks close to beta_c / tau."""
    rng = np.random.default_rng(3)
    codes = np.repeat(np.arange(30), rng.integers(2, 8, 30))
    n = len(codes)
    X0 = np.column_stack([np.ones(n), rng.normal(size=n)])
    cl = randomization.Clusters(codes)
    cands = np.arange(30)
    y = X0 @ [1.0, 0.5] + rng.normal(size=n)
    args = randomization.indicator_effects(X0, y, cl, cands)
    t = randomization.studentize(*args, cl, cands)
    t3 = randomization.studentize(*randomization.indicator_effects(X0, 3 * y + 2, cl, cands),
                                  cl, cands)
    np.testing.assert_allclose(t3, t, rtol=1e-10)
    beta, delta, r0 = args
    # leave one out: cluster c is scaled by the components of all the other candidates
    for c in range(30):
        o = np.delete(np.arange(30), c)
        tau2, sigma2 = randomization.variance_components(beta[o], delta[o], r0, cl, cands[o])
        assert t[c] == pytest.approx(beta[c] / np.sqrt(tau2 + sigma2 / delta[c]), rel=1e-12)
    big = y + 50 * rng.normal(size=30)[codes]  # shocks dwarf the noise: t ~ beta / tau
    beta, delta, r0 = randomization.indicator_effects(X0, big, cl, cands)
    tau2, sigma2 = randomization.variance_components(beta[1:], delta[1:], r0, cl, cands[1:])
    assert tau2 > 100 * sigma2
    np.testing.assert_allclose(randomization.studentize(beta, delta, r0, cl, cands),
                               beta / np.sqrt(tau2),
                               rtol=0.1)


def test_the_observed_developer_is_ranked_among_its_placebos(design):
    d = design
    f = estimate.fit(d)
    single = estimate.one_cluster_terms(d.X, f.names, d.clusters)
    per, joint = randomization.ri_cell(d, f.names, single, randomization.RI(draws=199))
    assert set(per) == {"dev:Meta", "dev:Qwen", "dev:Nvidia"}
    est, pb, pt, n_p, lo, hi, _ = per["dev:Qwen"]
    assert n_p >= 19 and lo < est < hi
    _, codes = np.unique(d.clusters, return_inverse=True)
    n_c = np.bincount(codes)
    nonmajor = d.prepared.group_code[d.rows] >= len(MAJORS)
    eligible = [c for c in range(len(n_c)) if n_c[c] >= 3 and nonmajor[codes == c].all()]
    assert n_p == len(eligible)
    assert 1 / (n_p + 1) <= pb <= 1 and 1 / (n_p + 1) <= pt <= 1
    # the statistic is Qwen's effect within its size group: a brute-force refit
    rows = d.X[:, d.names.index("dev:Qwen")] != 0
    grp = str(R_size_group(d.log10_flops[rows].mean(), d.prepared.size_cuts))
    X0, _ = randomization.null_design(d.X, d.names,
                          {"dev:Qwen": None if grp == "other-small" else f"dev:{grp}"})
    b, _ = brute(X0, d.y, rows.astype(float), codes)
    assert est == pytest.approx(b, rel=1e-10)
    # RI-t: the developer's and each placebo's effect over sqrt(tau^2 + sigma^2 / delta), the
    # components from the placebos, ranked by |t|; recomputed here by refits
    import statsmodels.api as sm

    qwen = np.unique(codes[rows])[0]
    cands = [qwen, *eligible]
    bd = np.array([brute(X0, d.y, (codes == c).astype(float), codes) for c in cands])
    r0 = sm.OLS(d.y, X0).fit().resid
    ss = np.array([((r0[codes == c] - r0[codes == c].mean()) ** 2).sum() for c in cands])
    nn = np.array([n_c[c] for c in cands])
    t = np.empty(len(cands))
    for k in range(len(cands)):  # leave one out
        o = np.delete(np.arange(len(cands)), k)
        sigma2 = ss[o].sum() / (nn[o].sum() - len(o))
        tau2 = max(0.0, np.mean(bd[o, 0] ** 2 - sigma2 / bd[o, 1]))
        t[k] = abs(bd[k, 0]) / np.sqrt(tau2 + sigma2 / bd[k, 1])
    assert pt == pytest.approx((1 + np.sum(t[1:] >= t[0] * (1 - 1e-12) - 1e-12)) / (1 + n_p))


def test_joint_test_reproduces_the_observed_share_and_wald(design):
    d = design
    f = estimate.fit(d)
    single = estimate.one_cluster_terms(d.X, f.names, d.clusters)
    _, joint = randomization.ri_cell(d, f.names, single, randomization.RI(draws=199))
    # the observed set through the placebo code: the cell's own company share and Wald F
    assert joint["company_share_obs"] == pytest.approx(decompose.shapley(d)["company"], abs=1e-10)
    # the classical Wald F of the company block, from two independent OLS fits (statsmodels)
    import statsmodels.api as sm

    full = sm.OLS(d.y, d.X).fit()
    keep = [j for j, n in enumerate(d.names) if n not in d.groups["company"]]
    rest = sm.OLS(d.y, d.X[:, keep]).fit()
    F, _, _ = full.compare_f_test(rest)
    assert joint["company_wald_obs"] == pytest.approx(F, rel=1e-8)
    assert joint["ri_sets"] == 199
    for k in ("company_share_ri_p", "company_wald_ri_p", "company_t2_ri_p"):
        assert 1 / 200 <= joint[k] <= 1
    # the studentized statistic of the observed set, by refits: every pool cluster's effect
    # beside the null design (all majors moved), scaled with components from the whole pool
    import statsmodels.api as sm

    _, codes = np.unique(d.clusters, return_inverse=True)
    n_c = np.bincount(codes)
    nonmajor = d.prepared.group_code[d.rows] >= len(MAJORS)
    moves = {}
    for t in ("dev:Meta", "dev:Qwen", "dev:Nvidia"):
        rows = d.X[:, d.names.index(t)] != 0
        grp = str(R_size_group(d.log10_flops[rows].mean(), d.prepared.size_cuts))
        moves[t] = None if grp == "other-small" else f"dev:{grp}"
    X0, _ = randomization.null_design(d.X, d.names, moves)
    own = [np.unique(codes[d.X[:, d.names.index(t)] != 0])[0] for t in moves]
    pool = sorted(set(own) | {c for c in range(len(n_c))
                              if n_c[c] >= 3 and nonmajor[codes == c].all()})
    bd = np.array([brute(X0, d.y, (codes == c).astype(float), codes) for c in pool])
    r0 = sm.OLS(d.y, X0).fit().resid
    ss = [((r0[codes == c] - r0[codes == c].mean()) ** 2).sum() for c in pool]
    sigma2 = sum(ss) / (sum(n_c[c] for c in pool) - len(pool))
    tau2 = max(0.0, np.mean(bd[:, 0] ** 2 - sigma2 / bd[:, 1]))
    t2 = dict(zip(pool, bd[:, 0] ** 2 / (tau2 + sigma2 / bd[:, 1]), strict=True))
    assert joint["company_t2_obs"] == pytest.approx(sum(t2[c] for c in own), rel=1e-9)
    # deterministic
    _, again = randomization.ri_cell(d, f.names, single, randomization.RI(draws=199))
    assert again == joint


def test_major_only_cells_get_no_ri():
    majors = [*MAJORS, "u0", "u1"]  # enough clusters (4) for the cell to be fitted at all
    d = specs.design(specs.PreparedSample(sample(), majors), specs.Spec(sample="major"), majors)
    row, terms = fit.fit_cell(d.prepared, specs.Spec(sample="major"), majors,
                              ri=randomization.RI(draws=99))
    assert row["status"] == "ok"
    assert np.isnan(row["company_share_ri_p"]) and row["ri_sets"] == 0
    assert np.isnan(row["mean_major_effect"]) and row["majors_ri_tested"] == 0
    assert all(np.isnan(t["p_ri_beta"]) and t["n_placebo"] == 0 for t in terms)
