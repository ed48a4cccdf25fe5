"""The WCR bootstrap inside the grid: cells, terms, cache, tables and the summary."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from saucegrid.estimation import bootstrap, estimate, specs
from saucegrid.grid import fit, run
from saucegrid.report import summary, tables

from helpers import toy_sample

MAJORS = ["Meta", "Qwen", "Nvidia"]
WCR = bootstrap.WCR(draws=399)


def test_wald_equals_statsmodels_cluster_f_test():
    rng = np.random.default_rng(0)
    cl = np.repeat(np.arange(30), 8)
    n = len(cl)
    X = np.column_stack([np.ones(n), rng.normal(size=(n, 3))])
    y = X @ [1, 0.2, 0, 0.1] + rng.normal(size=n) + rng.normal(size=30)[cl]
    ref = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": cl}, use_t=True)
    ft = ref.f_test(np.eye(4)[1:3])
    F, q, df2, p = estimate.wald(estimate.ols_cluster(y, X, cl, names=["c", "a", "b", "d"]),
                                 ["a", "b"])
    assert (q, df2) == (2, 29)
    assert F == pytest.approx(float(ft.fvalue), rel=1e-10)
    assert p == pytest.approx(float(ft.pvalue), rel=1e-9)
    # more restrictions than the clusters identify: not testable, NaN
    f3 = estimate.ols_cluster(y[:16], X[:16], cl[:16], names=["c", "a", "b", "d"])
    assert np.isnan(estimate.wald(f3, ["a", "b", "d"])[3])


def test_bonferroni_global_p_value():
    assert estimate.bonferroni([0.01, 0.2, 0.5]) == pytest.approx(0.03)
    assert estimate.bonferroni([0.6, 0.9]) == 1.0
    assert np.isnan(estimate.bonferroni([])) and np.isnan(estimate.bonferroni([0.1, np.nan]))


def fitted(spec=None, wcr=WCR):
    return fit.fit_cell(specs.PreparedSample(toy_sample(), MAJORS), spec or specs.Spec(), MAJORS,
                        wcr=wcr)


def test_one_cluster_terms_on_a_hand_built_design():
    cl = np.array([0, 0, 1, 1, 2, 2])
    X = np.column_stack([np.ones(6), [1, 2, 3, 4, 5, 6],  # varies in every cluster
                         [1, 1, 0, 0, 0, 0],  # one cluster: a developer dummy
                         [0, 0, 1, 1, 1, 1],  # two clusters: a group of developers
                         [0, 1, 0, 0, 0, 0]])  # one row of one cluster
    names = ["const", "x", "dev:A", "dev:group", "one_row"]
    assert estimate.one_cluster_terms(X, names, cl) == {"dev:A", "one_row"}


def test_one_cluster_coefficients_get_no_bootstrap_by_default():
    row, terms = fitted()
    t = pd.DataFrame(terms).set_index("term")
    live = t[t["omitted"] == ""]
    single = live[live["one_cluster"]]
    assert set(single.index) == {f"dev:{m}" for m in MAJORS if f"dev:{m}" in live.index}
    assert single[["p_wcr", "ci_wcr_low", "ci_wcr_high"]].isna().all().all()
    assert (single["stars_wcr"] == "").all()
    multi = live[~live["one_cluster"]].drop(index="const")
    assert multi[["p_wcr", "ci_wcr_low", "ci_wcr_high"]].notna().all().all()
    assert np.isnan(row["company_p_bonf_wcr"])  # over one-cluster effects: not defined
    # the estimates and the other terms' bootstrap do not depend on the option
    row1, terms1 = fitted(wcr=bootstrap.WCR(**{**WCR.__dict__, "one_cluster": True}))
    t1 = pd.DataFrame(terms1).set_index("term")
    pd.testing.assert_frame_equal(t1.loc[multi.index, ["estimate", "p_wcr", "ci_wcr_low",
                                                       "ci_wcr_high"]],
                                  multi[["estimate", "p_wcr", "ci_wcr_low", "ci_wcr_high"]])
    assert t1.loc[single.index, "p_wcr"].notna().all()


def test_every_coefficient_but_the_constant_gets_its_bootstrap():
    row, terms = fitted(wcr=bootstrap.WCR(**{**WCR.__dict__, "one_cluster": True}))
    t = pd.DataFrame(terms).set_index("term")
    live = t[t["omitted"] == ""]
    assert live.drop(index="const")[["p_wcr", "ci_wcr_low", "ci_wcr_high"]].notna().all().all()
    assert live.loc["const", ["p_wcr", "ci_wcr_low", "ci_wcr_high"]].isna().all()
    assert (live["ci_wcr_low"].drop(index="const") < live["estimate"].drop(index="const")).all()
    assert (live["ci_wcr_high"].drop(index="const") > live["estimate"].drop(index="const")).all()
    assert list(live["stars_wcr"]) == [estimate.stars(p) for p in live["p_wcr"]]
    # the cell's columns are the term's, and the draws are the ones the config asks for
    assert row["beta_c_p_wcr"] == t.loc[specs.LOG_FLOPS, "p_wcr"]
    assert row["shared_progress_p_wcr"] == t.loc["period:2024q3-2025q1", "p_wcr"]
    assert row["wcr_weights"] == "webb" and row["wcr_draws"] == 399  # G = 9 <= 12
    # independently: the bootstrap of log compute from the design itself
    d = specs.design(specs.PreparedSample(toy_sample(), MAJORS), specs.Spec(), MAJORS)
    Pp = bootstrap.prepare(d.X, d.y, d.clusters)
    V, _ = bootstrap.draws(Pp.G, 399, "webb", WCR.seed)
    k = d.names.index(specs.LOG_FLOPS)
    # B random draws: the observed statistic is one of B + 1, so p is never below 1/(B+1)
    raw = bootstrap.test(Pp, k, V).pvalue(0.0)
    assert raw == 0.0 and row["beta_c_p_wcr"] == 1 / 400
    assert (live["p_wcr"].drop(index="const") >= 1 / 400).all()
    comp = [t.loc[n, "p_wcr"] for n in d.groups["company"]]
    assert row["company_p_bonf_wcr"] == pytest.approx(min(1, len(comp) * min(comp)))


def test_without_wcr_the_columns_are_empty_and_the_estimates_unchanged():
    row0, terms0 = fitted(wcr=None)
    row1, terms1 = fitted()
    assert np.isnan(row0["beta_c_p_wcr"]) and "wcr_draws" not in row0
    a, b = pd.DataFrame(terms0), pd.DataFrame(terms1)
    pd.testing.assert_frame_equal(a[["term", "estimate", "std_error", "p_value"]],
                                  b[["term", "estimate", "std_error", "p_value"]])


def test_the_cache_key_holds_the_bootstrap_settings(tmp_path):
    from helpers import small_cells

    s = toy_sample()
    _, cells = small_cells()
    majors = {"paper": MAJORS}
    orig = run.construction_sample
    run.construction_sample = lambda *a, **k: s
    try:
        cfg = {"size_group_quantiles": [1 / 3, 2 / 3], "devset": "paper"}
        a, ta = run.run_slice(pd.DataFrame(), cells, cfg, majors, tmp_path,
                            wcr={"draws": 199, "seed": 1})
        n = len(list(tmp_path.rglob("*.json")))
        b, tb = run.run_slice(pd.DataFrame(), cells, cfg, majors, tmp_path,
                            wcr={"draws": 199, "seed": 1, "table_line": False})
        assert len(list(tmp_path.rglob("*.json"))) == n  # a table option refits nothing
        pd.testing.assert_frame_equal(ta, tb)
        c, tc = run.run_slice(pd.DataFrame(), cells, cfg, majors, tmp_path,
                            wcr={"draws": 199, "seed": 2})
        assert len(list(tmp_path.rglob("*.json"))) == 2 * n  # a new seed refits
        assert not tc["p_wcr"].equals(ta["p_wcr"])
    finally:
        run.construction_sample = orig


def test_tables_carry_a_second_inference_line():
    row, terms = fitted()
    t = pd.DataFrame(terms)
    cid = row["cell_id"]
    t["cell_id"] = cid
    cells = pd.DataFrame([row])
    f = fit.fit_from_terms(t, cells, cid)
    long = tables.with_wcr(tables.long_table({1: f}), t, {1: cid})
    assert long.set_index("term").loc[specs.LOG_FLOPS, "p_wcr"] == row["beta_c_p_wcr"]
    md = tables.to_markdown(long, ["(1)"], wcr_line=True)
    p = row["beta_c_p_wcr"]
    assert f"[{p:.3f}]{estimate.stars(p)}" in md
    assert "[" not in tables.to_markdown(long, ["(1)"])  # the line is optional
    tex = tables.to_latex(long, ["(1)"], wcr_line=True)
    assert f"[{p:.3f}]" in tex
    note = tables.wcr_note({"weights": "auto", "webb_max_clusters": 12, "draws": 9999})
    assert "Webb weights for 12 clusters or fewer" in note and "9999" in note


def test_stars_verdicts():
    assert summary.stars_verdict("***", "***") == "kept"
    assert summary.stars_verdict("**", "***") == "kept"
    assert summary.stars_verdict("***", "*") == "weaker"
    assert summary.stars_verdict("*", "") == "lost"
    assert summary.stars_verdict("", "**") == "new"
    assert summary.stars_verdict("", "") == ""


def test_inference_across_cells_counts_signs_and_significance():
    """A hand-built grid: four mmlu_pro cells with known estimates and p values."""
    cells = pd.DataFrame({
        "cell_id": list("abcd"), "benchmark": "mmlu_pro", "status": "ok",
        "beta_c": [0.8, 0.6, -0.1, 0.9], "beta_c_p": [0.01, 0.04, 0.5, 0.001],
        "beta_c_p_wcr": [0.03, 0.20, 0.7, np.nan],  # one cell without a bootstrap
        "shared_progress_factor": [5.0, 0.5, np.nan, 8.0],
        "shared_progress_p": [0.01, 0.3, np.nan, 0.02],
        "shared_progress_p_wcr": [0.2, 0.4, np.nan, 0.01],
        "shapley_company": [0.2, 0.1, 0.3, 0.25], "company_p_bonf": [0.01, 0.5, 0.02, 0.03],
        "company_p_bonf_wcr": [0.5, 0.9, 0.04, 0.6], "company_wald_p": [0.0, 0.0, 0.1, 0.0],
        "company_share_ri_p": [0.2, 0.01, np.nan, 0.04],  # one cell without RI
        "company_wald_ri_p": [np.nan] * 4})
    t = summary.inference_across_cells(cells).set_index(["quantity", "test"])
    b = t.loc[("β_c", "sign of β_c")]
    assert (b["cells"], b["same sign as median"]) == (4, "75% of 4")
    assert b["significant at 5%, CR1"] == "75% of 4"
    assert b["significant at 5%, WCR"] == "33% of 3"  # 1 of the 3 with a bootstrap
    assert b["median"] == "0.700" and b["min – max"] == "-0.100 – 0.900"
    s = t[t.index.get_level_values(0) == "shared progress ×"].iloc[0]
    assert s["cells"] == 3 and s["same sign as median"] == "67% of 3"  # 0.5x is below 1x
    assert (s["significant at 5%, CR1"], s["significant at 5%, WCR"]) == ("67% of 3", "33% of 3")
    w = t.loc[("company share", summary.INFERENCE[3][5])]
    assert (w["significant at 5%, CR1"], w["significant at 5%, WCR"]) == ("75% of 4", "—")
    assert w["significant at 5%, RI"] == "—"  # defined in no cell
    c = t.loc[("company share", summary.INFERENCE[2][5])]
    assert c["significant at 5%, RI"] == "67% of 3"  # 2 of the 3 cells with RI
