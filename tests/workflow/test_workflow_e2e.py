"""End-to-end: the real workflow on the raw inputs shipped in data/raw, in scratch folders."""

import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import E2E_WCR_DRAWS, snakemake

pytestmark = pytest.mark.workflow


def test_samples_hold_their_invariants(run, repo):
    cfg = yaml.safe_load((repo / "config.yaml").read_text())
    majors = set(cfg["developer_sets"][cfg["sample"]["devset"]])
    models = pd.read_parquet(run / "results/data/models.parquet")
    # every candidate is kept, with a reason when excluded
    assert models["included"].eq(models["exclusion_reason"].isna()).all()
    for b in ("mmlu_pro", "math_l5"):
        s = pd.read_parquet(run / f"results/data/sample_{b}.parquet")
        assert len(s) == int(models[f"included_{b}"].sum()) > 0
        assert s["model_id"].is_unique
        assert s["token_source"].notna().all()
        assert s[["period3", "quarter", "month_index", "developer", "cluster"]].notna().all().all()
        assert ((s["score"] > 0) & (s["score"] < 1)).all()
        assert np.isfinite(s["log10_flops"]).all()
        expected = np.log10(6 * s["compute_params_b"] * 1e9 * s["tokens_t"] * 1e12)
        assert np.allclose(s["log10_flops"], expected, rtol=0, atol=1e-9)
        assert np.array_equal(s["compute_params_b"], s["params_b"])  # moe_compute: total
        assert s["release_date"].between("2022-10-01", "2025-03-31").all()
        groups = set(s["developer_group"])
        assert groups <= majors | {"other-small", "other-medium", "other-large"}
        assert (s["cluster"] == s["developer"]).all()
        if b == "mmlu_pro":
            corr = (s["score_raw"] - 0.1) / 0.9
            assert np.allclose(s["score"], corr, rtol=0, atol=1e-12)
        else:
            assert np.array_equal(s["score"], s["score_raw"])
    cov = (run / "results/data/coverage.md").read_text()
    table = cov.split("## Ours next to the paper")[1].split("\n## ")[0]
    rows = {c[0]: c[1:] for c in (
        [x.strip() for x in line.strip("|").split("|")] for line in table.splitlines()
        if line.startswith("|"))}
    n = {b: len(pd.read_parquet(run / f"results/data/sample_{b}.parquet"))
         for b in ("mmlu_pro", "math_l5")}
    assert rows["N"][:2] == ["809", str(n["mmlu_pro"])]
    assert rows["MATH L5 N"][:2] == ["785", str(n["math_l5"])]


def test_default_construction_reproduces_the_published_counts(run):
    """The default sample construction (chosen on counts) against the paper's counts, within
    the tolerances of the fidelity issue; and it is the closest reading of the text."""
    cal = pd.read_csv(run / "results/data/calibration.csv").set_index("construction")
    d = cal.loc["default"]
    assert 640 <= d["leaderboard_models_with_tokens"] <= 780
    assert abs(d["mmlu_pro_major_n"] - 122) <= 6
    assert abs(d["mmlu_pro_major_below_n"] - 61) <= 4
    assert abs(d["mmlu_pro_major_above_n"] - 61) <= 4
    assert 0.88 * 809 <= d["mmlu_pro_n"] <= 1.05 * 809
    assert abs(d["math_l5_n"] - 785) <= 0.10 * 785
    readings = cal[cal["reading"] == "yes"]
    assert readings["distance"].idxmin() == "default"
    s = pd.read_parquet(run / "results/data/sample_mmlu_pro.parquet")
    assert len(s) == d["mmlu_pro_n"]
    fid = (run / "results/fidelity.md").read_text()
    for section in ("## Calibration", "## Validation", "## Remaining gaps", "### R²",
                    "### Shared-progress factor", "### MATH L5 N", "### Column (3), Qwen",
                    "### Column (4)", "The default construction is the closest reading"):
        assert section in fid
    assert (run / "results/fidelity.html").stat().st_size > 5_000
    assert (run / "results/figures/fidelity.png").stat().st_size > 10_000


def test_noop_rerun_does_nothing(run, repo, raw_dir):
    r = snakemake(repo, run, "-n", raw_dir=raw_dir)
    assert r.returncode == 0
    assert "Nothing to be done" in r.stdout + r.stderr


def test_every_file_a_rule_writes_is_a_declared_output(run, repo, raw_dir):
    """Snakemake lists the files of the working directory that no rule declares; under
    results/ only the grid's cell cache may be one (a content-keyed store the slices read and
    write on purpose, kept across runs; `saucegrid cache prune` trims it), and what other
    tests write into this run (`snakemake --report`'s page, the report test's screenshot)."""
    r = snakemake(repo, run, "--list-untracked", raw_dir=raw_dir)
    assert r.returncode == 0, r.stderr[-3000:]
    listed = [ln.strip() for ln in (r.stdout + r.stderr).splitlines()
              if ln.strip().startswith("results/")]
    others = {"results/report.html", "results/report_screenshot.png"}
    assert [f for f in listed
            if not f.startswith("results/grid/cache/") and f not in others] == []


def test_the_six_benchmarks_named_target(run, repo, raw_dir):
    """results/benchmarks.md from the mirror: each benchmark's N is its analysis sample built
    from models.parquet, the four leaderboard-only benchmarks have leaderboard rows only, every
    pair of benchmarks has a rank correlation with a p value in [0, 1]; the next default run
    collates the sub-grid into results/grid/cells.parquet (six benchmark levels, every new cell
    fitted) and the findings page gains its section "Across benchmarks"."""
    from saucegrid.data import sample

    assert "## Across benchmarks\n\nNot built" in (run / "results/findings.md").read_text()
    r = snakemake(repo, run, "results/benchmarks.md", raw_dir=raw_dir)
    assert r.returncode == 0, r.stderr[-3000:]
    cfg = yaml.safe_load((repo / "config.yaml").read_text())
    opts = sample.SampleOptions.from_config(cfg["sample"])
    models = sample.apply_options(pd.read_parquet(run / "results/data/models.parquet"), opts)
    majors = cfg["developer_sets"][cfg["sample"]["devset"]]
    cells = pd.read_csv(run / "results/benchmarks/cells.csv").set_index("benchmark")
    assert list(cells.index) == list(sample.ALL_BENCHMARKS)
    assert (cells["status"] == "ok").all()
    for b in sample.ALL_BENCHMARKS:
        s = sample.analysis_sample(models, b, majors, opts)
        assert cells.loc[b, "n_obs"] == len(s)
        if b in sample.LEADERBOARD_BENCHMARKS:
            assert set(s["source"]) == {"leaderboard"}
    paper = pd.read_parquet(run / "results/paper/cells.parquet")
    base = paper.query("sample == 'full' and link == 'v1.0' and time == 'tri' and "
                       "interaction == 'none'").set_index("benchmark")
    for b in ("mmlu_pro", "math_l5"):  # the same cell as the paper's baseline
        assert cells.loc[b, "beta_c"] == pytest.approx(base.loc[b, "beta_c"], rel=1e-12)
    # the company share's and shared progress's intervals are the findings ledger's
    ints = pd.read_csv(run / "results/benchmarks/intervals.csv").set_index("benchmark")
    led = pd.read_csv(run / "results/findings/intervals.csv").set_index(["claim", "benchmark"])
    for b in ("mmlu_pro", "math_l5"):
        assert ints.loc[b, "company_share_low"] == pytest.approx(led.loc[("C1", b), "low"])
        assert ints.loc[b, "shared_progress_high"] == pytest.approx(led.loc[("C3", b), "high"])
    assert (ints["company_share_low"] <= ints["company_share"]).all()
    corr = pd.read_csv(run / "results/benchmarks/rank_correlations.csv")
    assert len(corr) == 15 and corr["p_perm"].between(0, 1).all()
    rob = pd.read_csv(run / "results/benchmarks/robustness.csv").set_index("benchmark")
    assert (rob["cells"] + rob["not_fitted"] == 36).all()
    md = (run / "results/benchmarks.md").read_text()
    assert "## Do the benchmarks rank the major developers alike?" in md
    assert "| C1 " in md and "## Does each claim hold on each benchmark?" in md
    assert r"\begin{tabular}{lcccccc}" in (run / "results/benchmarks/table_c1_six.tex").read_text()
    for fig in ("benchmarks_forest", "benchmarks_shapley"):
        assert (run / f"results/figures/{fig}.png").stat().st_size > 20_000
    # from now on the grid's collation includes the sub-grid, and the findings page its section
    # (the whole default run would rebuild everything that reads the grid: a minute)
    r = snakemake(repo, run, "results/grid/cells.parquet", raw_dir=raw_dir)
    assert r.returncode == 0, r.stderr[-3000:]
    grid = pd.read_parquet(run / "results/grid/cells.parquet")
    assert set(grid["benchmark"]) == set(sample.ALL_BENCHMARKS)
    new = grid[grid["benchmark"].isin(sample.LEADERBOARD_BENCHMARKS)]
    assert len(new) == 144 and (new["status"] == "ok").all()
    r = snakemake(repo, run, "-n", "results/findings.md", raw_dir=raw_dir)
    assert r.returncode == 0 and "results/benchmarks/across.md" in r.stdout + r.stderr
    assert "Does each claim" in (run / "results/benchmarks/across.md").read_text()
    cov = (run / "results/data/coverage.md").read_text()
    floor = cov.split("## Every leaderboard benchmark")[1].split("\n## ")[0]
    assert "| gpqa " in floor and "| musr " in floor


def test_missing_and_altered_inputs_are_named_at_once_before_any_job(repo, raw_dir, tmp_path):
    mirror = tmp_path / "mirror"
    shutil.copytree(raw_dir, mirror, ignore=shutil.ignore_patterns("*.md"))
    victim = mirror / "epoch_benchmarking_hub" / "hub_math_level_5.csv"
    victim.write_bytes(victim.read_bytes() + b"\n")
    (mirror / "artificial_analysis" / "llms_models.json").unlink()
    (mirror / "lifearchitect_models_table" / "lifearchitect_models_table_2026-03_raw.csv").unlink()
    wd = tmp_path / "wd"
    wd.mkdir()
    r = snakemake(repo, wd, raw_dir=mirror)
    assert r.returncode != 0
    out = r.stdout + r.stderr
    assert "3 of 7 raw inputs are not usable" in out
    assert "hub_math_level_5.csv has sha256" in out
    assert "llms_models.json is missing" in out
    assert "lifearchitect_models_table_2026-03_raw.csv is missing" in out
    assert f"Fix: complete the folder with `saucegrid fetch {mirror}`" in out
    assert "Traceback" not in out and "WorkflowError" not in out and "Error in rule" not in out
    assert not (wd / "results").exists()


def test_an_empty_folder_names_all_seven_inputs(repo, tmp_path):
    wd = tmp_path / "wd"
    wd.mkdir()
    r = snakemake(repo, wd, raw_dir=tmp_path / "empty")
    assert r.returncode != 0
    out = r.stdout + r.stderr
    assert "7 of 7 raw inputs are not usable" in out and out.count(" is missing") == 7
    assert "Traceback" not in out and not (wd / "results").exists()


def test_real_data_fit_matches_an_independent_statsmodels_fit(run, repo):
    """Table C.1 column 1 from the workflow equals statsmodels on a separately built design."""
    import statsmodels.api as sm

    cfg = yaml.safe_load((repo / "config.yaml").read_text())
    majors = cfg["developer_sets"]["paper"]
    s = pd.read_parquet(run / "results/data/sample_mmlu_pro.parquet")
    y = np.log(s["score"] / (1 - s["score"]))
    X = pd.get_dummies(s[["period3", "developer_group"]], dtype=float)
    X = X.drop(columns=["period3_2022q4-2023q3", "developer_group_other-small"])
    X.insert(0, "log_flops", s["log10_flops"])
    X = sm.add_constant(X)
    ref = sm.OLS(y, X).fit(cov_type="cluster",
                           cov_kwds={"groups": pd.factorize(s["cluster"])[0]}, use_t=True)
    c1 = pd.read_csv(run / "results/tables/table_c1.csv")
    col = c1[c1["column"] == 1].set_index("term")
    names = {"log_flops": "log_flops", "const": "const"}
    names.update({f"period:{p}": f"period3_{p}" for p in ("2023q4-2024q2", "2024q3-2025q1")})
    names.update({f"dev:{m}": f"developer_group_{m}" for m in majors
                  if f"developer_group_{m}" in X.columns})
    names.update({f"dev:other-{g}": f"developer_group_other-{g}" for g in ("medium", "large")})
    for ours, theirs in names.items():
        assert col.loc[ours, "estimate"] == pytest.approx(ref.params[theirs], abs=1e-8), ours
        assert col.loc[ours, "std_error"] == pytest.approx(ref.bse[theirs], rel=1e-8), ours
        assert col.loc[ours, "p_value"] == pytest.approx(ref.pvalues[theirs], rel=1e-6,
                                                         abs=1e-12), ours
    assert col["r2"].iloc[0] == pytest.approx(ref.rsquared, abs=1e-10)
    assert col["n_clusters"].iloc[0] == s["cluster"].nunique()


def test_shapley_shares_of_the_paper_cells_sum_to_r2(run):
    cells = pd.read_parquet(run / "results/paper/cells.parquet")
    ok = cells[cells["status"] == "ok"]
    total = ok[["shapley_scale", "shapley_time", "shapley_company"]].sum(axis=1)
    assert np.allclose(total, ok["r2"], atol=1e-10)
    assert np.allclose(total + ok["shapley_residual"], 1.0, atol=1e-12)
    for f in ("results/figures/mmlu_pro/shapley_by_sample.png", "results/replication.md",
              "results/tables/table_e1.tex"):
        assert (run / f).stat().st_size > 0


def test_full_grid_collates_every_cell(run, repo):
    from saucegrid.grid import cells as grid_cells

    cfg = yaml.safe_load((repo / "config.yaml").read_text())
    frame = grid_cells.cell_frame(cfg["grid"])
    # the main grid, and a named sub-grid once its target has built it (an earlier test may
    # have built the six benchmarks' target)
    of = grid_cells.sub_grid_of(frame, cfg["grid"])
    named = [k for k, sg in grid_cells.sub_grids(cfg["grid"]).items() if sg["named"]]
    built = [k for k in named if all(
        (run / f"results/grid/slices/benchmark~{b}/cells.parquet").exists()
        for b in frame.loc[of == k, "benchmark"].unique())]
    n = int((~of.isin(named) | of.isin(built)).sum())
    cells = pd.read_parquet(run / "results/grid/cells.parquet")
    terms = pd.read_parquet(run / "results/grid/terms.parquet")
    assert len(cells) == n and cells["cell_id"].is_unique
    assert set(cells["status"]) <= {"ok", "degenerate", "skipped"}
    assert set(terms["cell_id"]) <= set(cells["cell_id"])
    assert (run / "results/grid/cells.csv").stat().st_size > 0
    summary = (run / "results/grid/summary.md").read_text()
    for section in ("one dimension at a time", "Figure E.9", "Table E.1", "MATH L5 beside",
                    "## Inference: CR1 against the wild cluster restricted bootstrap",
                    "### Table C.1 columns, CR1 against WCR (mmlu_pro)",
                    "starred coefficients in Table C.1"):
        assert section in summary
    # every ok cell bootstrapped every coefficient but the constant and the one-cluster ones,
    # which get randomization inference instead (in the cells with non-major developers)
    ok = cells[cells["status"] == "ok"]
    assert ok["wcr_draws"].le(E2E_WCR_DRAWS).all() and ok["beta_c_p_wcr"].between(0, 1).all()
    live = terms[(terms["omitted"] == "") & (terms["term"] != "const")
                 & terms["cell_id"].isin(ok["cell_id"])]
    single = live[live["one_cluster"]]
    assert len(single) and single["p_wcr"].isna().all()
    full = single[single["cell_id"].str.contains("/sample~full/")
                  & single["term"].str.startswith("dev:")]
    paper = ~full["cell_id"].str.contains("/panel~")  # the in-window panel is the baseline
    inw = full[paper]
    assert inw["p_ri_beta"].between(0, 1).all() and inw["p_ri_t"].between(0, 1).all()
    assert (inw["n_placebo"] >= 20).all()
    # the out-of-sample panels have fewer developers: RI p values wherever there are at least
    # 19 placebos (so that a p value below 0.05 is possible), none elsewhere
    oos = full[~paper]
    has = oos["n_placebo"] >= 19
    assert len(oos) and has.any() and (~has).any()
    assert oos.loc[has, "p_ri_beta"].between(0, 1).all()
    assert oos.loc[~has, ["p_ri_beta", "p_ri_t"]].isna().all().all()
    fc = ok[(ok["sample"] == "full") & (ok["panel"] == "paper")]
    assert fc["company_share_ri_p"].between(0, 1).all() and (fc["ri_sets"] == 999).all()
    live = live[~live["one_cluster"]]
    assert live["p_wcr"].between(0, 1).all()
    assert (live["ci_wcr_low"] <= live["estimate"]).all()
    assert (live["ci_wcr_high"] >= live["estimate"]).all()
    c1 = (run / "results/tables/table_c1.md").read_text()
    assert "Brackets: wild cluster restricted bootstrap p value" in c1
    assert (run / "results/figures/spec_curve.png").stat().st_size > 10_000
    # the grid's baseline cells are the paper cells
    paper = pd.read_parquet(run / "results/paper/cells.parquet").set_index("cell_id")
    base = cells.set_index("cell_id").loc[
        "benchmark~mmlu_pro/link~v1.0/time~tri/devset~paper/sample~full/interaction~none"]
    assert (base["construction"], base["panel"]) == ("default", "paper")
    p = paper.loc["benchmark~mmlu_pro/link~v1.0/time~tri/devset~paper/sample~full/"
                  "interaction~none"]
    for k in ("beta_c", "r2", "shapley_company", "n_obs"):
        assert base[k] == pytest.approx(p[k], abs=1e-12)


def test_add_a_robustness_dimension_through_config_and_one_function(repo, raw_dir, tmp_path):
    """README 'Add a robustness dimension': a plugin file and a config key, nothing else."""
    plugin = tmp_path / "min_params.py"
    plugin.write_text(
        "from saucegrid.grid.cells import register\n\n\n"
        "@register('min_params')\n"
        "def min_params(sample, level, context):\n"
        "    \"\"\"Keep models with at least `level` billion parameters.\"\"\"\n"
        "    return sample[sample['params_b'] >= float(level)]\n")
    cfg = yaml.safe_load((repo / "config.yaml").read_text())
    cfg["grid"]["dimensions"] = {
        "benchmark": ["mmlu_pro"], "link": ["v1.0"], "time": ["tri"], "devset": ["paper"],
        "sample": ["full", "major"], "interaction": ["none"], "construction": ["default"],
        "min_params": ["0", "3", "10"]}
    cfg["grid"]["plugins"] = [str(plugin)]
    cfg["grid"]["slice_by"] = ["benchmark", "construction"]
    cfg["grid"].pop("sub_grids")  # its benchmarks are not in this grid
    cfile = tmp_path / "config.yaml"
    cfile.write_text(yaml.safe_dump(cfg, sort_keys=False))
    wd = tmp_path / "wd"
    wd.mkdir()
    cmd = [sys.executable, "-m", "snakemake", "results/grid/summary.md", "-s",
           str(repo / "Snakefile"), "--configfile", str(cfile), "--directory", str(wd),
           "--cores", "2", "--config", f"raw_dir={raw_dir}"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    cells = pd.read_parquet(wd / "results/grid/cells.parquet")
    assert len(cells) == 6 and "min_params" in cells.columns
    n = cells.set_index(["sample", "min_params"])["n_obs"]
    assert n[("full", "0")] > n[("full", "3")] > n[("full", "10")] > 0
    summary = (wd / "results/grid/summary.md").read_text()
    assert "| min_params " in summary and "min_params (3)" in summary


@pytest.mark.parametrize("sample", ["full", "major"])
def test_real_cell_bootstrap_agrees_with_wildboottest(run, repo, sample):
    """The grid's stored WCR p value of a real cell equals a direct recomputation, and the
    independent wildboottest package (fed the same weights) gives the same t and t* draw by
    draw, for log compute and the last period effect."""
    from wildboottest.wildboottest import WildboottestCL

    from saucegrid.estimation import bootstrap, specs

    cfg = yaml.safe_load((repo / "config.yaml").read_text())
    majors = cfg["developer_sets"]["paper"]
    s = pd.read_parquet(run / "results/data/sample_mmlu_pro.parquet")
    d = specs.design(s, specs.Spec(sample=sample), majors, cfg["sample"]["size_group_quantiles"])
    terms = pd.read_parquet(run / "results/paper/terms.parquet")
    stored = terms[terms["cell_id"] == specs.Spec(sample=sample).cell_id].set_index("term")
    Pp = bootstrap.prepare(d.X, d.y, d.clusters)
    wcr = bootstrap.WCR.from_config({**cfg["wcr"], "draws": E2E_WCR_DRAWS})
    V, _ = bootstrap.draws(Pp.G, wcr.draws, wcr.kind(Pp.G), wcr.seed)
    for term in (specs.LOG_FLOPS, "period:2024q3-2025q1"):
        k = d.names.index(term)
        T = bootstrap.test(Pp, k, V)
        # B random draws: never below 1/(B+1)
        assert stored.loc[term, "p_wcr"] == max(T.pvalue(0.0), 1 / (V.shape[1] + 1))
        R = np.zeros(d.X.shape[1])
        R[k] = 1.0
        wb = WildboottestCL(X=d.X, Y=d.y, cluster=d.clusters, R=R, B=V.shape[1], seed=1,
                            parallel=False)
        wb.get_scores(bootstrap_type="11", impose_null=True)
        wb.v = V
        wb.get_numer()
        wb.get_denom()
        wb.get_tboot()
        wb.get_vcov()
        wb.get_tstat()
        assert float(np.ravel(wb.t_stat)[0]) == pytest.approx(T.t(0.0), rel=1e-9)
        np.testing.assert_allclose(np.ravel(wb.t_boot), T.t_star(0.0), rtol=1e-7, atol=1e-9)


def test_out_of_sample_panels_and_report(run):
    cells = pd.read_parquet(run / "results/grid/cells.parquet")
    panels = cells[cells["panel"] != "paper"]
    assert len(panels) and (panels["construction"] == "default").all()
    math = panels[panels["benchmark"] == "math_l5"]
    assert (math["status"] == "skipped").all() and math["reason"].str.contains("MATH").all()
    base = panels[(panels["benchmark"] == "mmlu_pro") & (panels["link"] == "v1.0")
                  & (panels["sample"] == "full")].set_index("panel")
    # the floor: at least 70 post-window non-reasoning models with compute
    assert base.loc["post", "status"] == "ok" and base.loc["post", "n_obs"] >= 70
    assert base.loc["single", "n_obs"] > base.loc["post", "n_obs"]
    assert base.loc["extended", "n_obs"] > base.loc["post", "n_obs"]
    live = base[base["status"] == "ok"]
    assert live["beta_c_p_wcr"].notna().all()
    # a sensitivity too small for its coefficients is degenerate, with the reason (issue 19)
    dead = base[base["status"] == "degenerate"]
    assert dead["reason"].str.contains("degrees of freedom|cluster").all()
    md = (run / "results/out_of_sample.md").read_text()
    assert md.splitlines()[2].startswith(("**Yes", "**No", "**Undetermined"))
    for section in ("### N per period", "## Estimates", "## The frontier",
                    "## Threats, and the sensitivity that measures each", "post_no_estimates"):
        assert section in md
    for fig in ("shapley", "curves", "frontier"):
        assert (run / f"results/figures/out_of_sample/{fig}.png").stat().st_size > 10_000


def test_no_cell_prints_what_it_cannot_support(run):
    """Issue 19's invariants on the real grid: the degenerate rule, bounded compute factors,
    no WCR p value of 0, no RI p value on fewer than 19 placebos; and the named nulls."""
    from saucegrid.grid.fit import MIN_CLUSTERS, MIN_DF_PER_COEF

    cells = pd.read_parquet(run / "results/grid/cells.parquet")
    terms = pd.read_parquet(run / "results/grid/terms.parquet")
    ok = cells[cells["status"] == "ok"]
    assert (ok["n_clusters"] >= MIN_CLUSTERS).all()
    live = terms[(terms["omitted"] == "") & terms["cell_id"].isin(ok["cell_id"])]
    k = live.groupby("cell_id").size()
    k_multi = k - live[live["one_cluster"].astype(bool)].groupby("cell_id").size() \
        .reindex(k.index, fill_value=0)
    resid_df = ok.set_index("cell_id")["n_obs"] - k
    assert (resid_df >= MIN_DF_PER_COEF * k_multi).all()
    factors = [c for c in cells if c.startswith("factor_") or c.endswith("_factor")
               or c.startswith("shared_progress_factor")]
    vals = cells[factors].to_numpy(float)
    assert np.nanmax(vals) <= 1e6 and np.nanmin(vals) >= 1e-6
    undefined = ok["factors_note"] != ""
    assert undefined.any() and ok.loc[undefined, "shared_progress_factor"].isna().all()
    assert (terms["p_wcr"].dropna() > 0).all() and (cells["beta_c_p_wcr"].dropna() > 0).all()
    assert terms.loc[terms["n_placebo"] < 19, ["p_ri_beta", "p_ri_t", "ri_ci_low"]] \
        .isna().all().all()
    with_ri = terms[terms["n_placebo"] >= 19]
    assert len(with_ri) and (with_ri["ri_ci_low"] < with_ri["ri_estimate"]).all() \
        and (with_ri["ri_estimate"] < with_ri["ri_ci_high"]).all()
    summary = (run / "results/grid/summary.md").read_text()
    assert "## What each test tests: three nulls" in summary
    assert "developer effects jointly zero" not in summary
    assert "mean of the majors" in summary
    c1 = (run / "results/tables/table_c1.md").read_text()
    assert "95% sets by inverting the randomization t test" in c1
    assert (run / "results/figures/majors_forest.png").stat().st_size > 20_000
