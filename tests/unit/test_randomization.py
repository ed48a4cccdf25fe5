"""Randomization inference: the one-column placebo algebra against brute-force refits, the
size-group rule for the moved developer, the rank p value and the joint test."""

import numpy as np
import pandas as pd
import pytest

from saucegrid import decompose as D
from saucegrid import estimate as E
from saucegrid import grid as G
from saucegrid import randomization as R
from saucegrid import specs as P

MAJORS = ["Meta", "Qwen", "Nvidia"]


def sample(n_dev=40, seed=11):
    """Three majors and many small developers (1 to 9 models each)."""
    rng = np.random.default_rng(seed)
    devs = MAJORS + [f"u{i}" for i in range(n_dev)]
    rows = []
    for d in devs:
        for i in range(12 if d in MAJORS else int(rng.integers(1, 10))):
            month = int(rng.integers(0, 30))
            date = pd.Timestamp("2022-10-01") + pd.DateOffset(months=month)
            rows.append({"model_id": f"{d}/m{i}", "developer": d, "cluster": d,
                         "log10_flops": rng.normal(23 + (d == "Meta"), 1),
                         "release_date": date, "month_index": month})
    df = pd.DataFrame(rows)
    from saucegrid.sample import period3, quarter_label

    df["period3"] = period3(df["release_date"])
    df["quarter"] = quarter_label(df["release_date"])
    eff = df["developer"].map(dict(zip(df["developer"].unique(),
                                       rng.normal(0, 0.3, df["developer"].nunique()),
                                       strict=True)))
    z = -17 + 0.75 * df["log10_flops"] + eff + rng.normal(0, 0.4, len(df))
    df["score"] = 1 / (1 + np.exp(-z))
    return df


@pytest.fixture(scope="module")
def design():
    return P.design(P.Prepared(sample(), MAJORS), P.Spec(), MAJORS)


def brute(X0, y, z, clusters):
    """OLS with CR1 of y on [X0, z] from scratch: the indicator's coefficient and SE."""
    f = E.ols_cluster(y, np.column_stack([X0, z]), clusters)
    return f.coef[-1], f.se[-1]


def test_rank_p():
    assert R.rank_p(2.0, np.array([1.0, 3.0, 2.0])) == pytest.approx(3 / 4)  # a tie counts
    assert R.rank_p(5.0, np.array([1.0, 2.0])) == pytest.approx(1 / 3)
    assert np.isnan(R.rank_p(1.0, np.array([])))


def test_moved_developer_joins_the_size_group_of_its_mean_compute(design):
    d = design
    cuts = d.prepared.size_cuts
    rows = d.X[:, d.names.index("dev:Meta")] != 0
    grp = str(R_size_group(d.log10_flops[rows].mean(), cuts))
    X0, names0 = R.null_design(d.X, d.names, {"dev:Meta": f"dev:{grp}"
                                              if grp != "other-small" else None})
    assert "dev:Meta" not in names0 and X0.shape[1] == d.X.shape[1] - 1
    if grp != "other-small":
        assert (X0[rows, names0.index(f"dev:{grp}")] == 1).all()
    # hand-built: cut points (22, 23): a mean of 22.5 is medium, 23 is medium, 23.01 large
    assert list(R_size_group([21.9, 22.5, 23.0, 23.01], (22.0, 23.0))) == [
        "other-small", "other-medium", "other-medium", "other-large"]


def R_size_group(m, cuts):
    from saucegrid.sample.construct import size_group

    return size_group(m, cuts)


def test_placebo_effects_equal_brute_force_refits(design):
    d = design
    _, codes = np.unique(d.clusters, return_inverse=True)
    X0, _ = R.null_design(d.X, d.names, {"dev:Qwen": "dev:other-medium"})
    cl = R.Clusters(codes)
    free = d.prepared.group_code[d.rows] >= len(MAJORS)  # non-major rows, and Qwen's
    free |= d.X[:, d.names.index("dev:Qwen")] != 0
    cands = np.array([c for c in range(cl.G) if free[codes == c].all()])
    beta, se = R.indicator_effects(X0, d.y, cl, cands, d.X.shape[1])
    assert len(cands) > 20
    for i, c in enumerate(cands):
        b, s = brute(X0, d.y, (codes == c).astype(float), codes)
        assert beta[i] == pytest.approx(b, rel=1e-10, abs=1e-12)
        assert se[i] == pytest.approx(s, rel=1e-10)


def test_the_observed_developer_is_ranked_among_its_placebos(design):
    d = design
    f = E.fit(d)
    single = G.one_cluster_terms(d.X, f.names, d.clusters)
    per, joint = R.cell(d, f.names, single, R.RI(draws=199))
    assert set(per) == {"dev:Meta", "dev:Qwen", "dev:Nvidia"}
    est, pb, pt, n_p = per["dev:Qwen"]
    _, codes = np.unique(d.clusters, return_inverse=True)
    n_c = np.bincount(codes)
    nonmajor = d.prepared.group_code[d.rows] >= len(MAJORS)
    eligible = [c for c in range(len(n_c)) if n_c[c] >= 3 and nonmajor[codes == c].all()]
    assert n_p == len(eligible)
    assert 1 / (n_p + 1) <= pb <= 1 and 1 / (n_p + 1) <= pt <= 1
    # the statistic is Qwen's effect within its size group: a brute-force refit
    rows = d.X[:, d.names.index("dev:Qwen")] != 0
    grp = str(R_size_group(d.log10_flops[rows].mean(), d.prepared.size_cuts))
    X0, _ = R.null_design(d.X, d.names,
                          {"dev:Qwen": None if grp == "other-small" else f"dev:{grp}"})
    b, _ = brute(X0, d.y, rows.astype(float), codes)
    assert est == pytest.approx(b, rel=1e-10)


def test_joint_test_reproduces_the_observed_share_and_wald(design):
    d = design
    f = E.fit(d)
    single = G.one_cluster_terms(d.X, f.names, d.clusters)
    _, joint = R.cell(d, f.names, single, R.RI(draws=199))
    # the observed set through the placebo code: the cell's own company share and Wald F
    assert joint["company_share_obs"] == pytest.approx(D.shapley(d)["company"], abs=1e-10)
    # the classical Wald F of the company block, from two independent OLS fits (statsmodels)
    import statsmodels.api as sm

    full = sm.OLS(d.y, d.X).fit()
    keep = [j for j, n in enumerate(d.names) if n not in d.groups["company"]]
    rest = sm.OLS(d.y, d.X[:, keep]).fit()
    F, _, _ = full.compare_f_test(rest)
    assert joint["company_wald_obs"] == pytest.approx(F, rel=1e-8)
    assert joint["ri_sets"] == 199
    for k in ("company_share_ri_p", "company_wald_ri_p"):
        assert 1 / 200 <= joint[k] <= 1
    # deterministic
    _, again = R.cell(d, f.names, single, R.RI(draws=199))
    assert again == joint


def test_major_only_cells_get_no_ri():
    d = P.design(P.Prepared(sample(), MAJORS), P.Spec(sample="major"), MAJORS)
    row, terms = G.fit_cell(d.prepared, P.Spec(sample="major"), MAJORS, ri=R.RI(draws=99))
    assert np.isnan(row["company_share_ri_p"]) and row["ri_sets"] == 0
    assert all(np.isnan(t["p_ri_beta"]) and t["n_placebo"] == 0 for t in terms)
