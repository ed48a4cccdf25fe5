"""saucegrid diff and run.json on small hand-made runs."""

import json
import shutil
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from saucegrid import cli, diff, runinfo

CID = "benchmark~mmlu_pro/link~v1.0/sample~{}"


def cells_frame():
    return pd.DataFrame({
        "cell_id": [CID.format(s) for s in ("full", "major", "major_below")],
        "benchmark": "mmlu_pro", "link": "v1.0", "sample": ["full", "major", "major_below"],
        "status": ["ok", "ok", "degenerate"], "reason": ["", "", "too few"],
        "n_obs": [100, 60, 3], "n_clusters": [20, 10, 2],
        "r2": [0.61, 0.55, np.nan], "beta_c": [0.83, 0.71, np.nan],
        "beta_c_se": [0.05, 0.06, np.nan],
        "gap_90_10_factor": [12.5, np.inf, np.nan], "factor_dev:Meta": [1.5, 2.0, np.nan],
    })


def terms_frame():
    rows = []
    for s in ("full", "major"):
        for term, est, stars in (("const", -21.7, "***"), ("log_flops", 0.83, "***"),
                                 ("dev:Meta", 0.2, "*")):
            rows.append({"cell_id": CID.format(s), "term": term, "estimate": est,
                         "std_error": 0.1, "p_value": 0.04, "stars": stars, "omitted": ""})
    return pd.DataFrame(rows)


def sample_frame():
    return pd.DataFrame({
        "model_id": pd.array(["org/a", "org/b", "meta/c"], dtype="string"),
        "developer": ["Org", "Org", "Meta"], "tokens_t": [2.0, 2.0, 15.0],
        "log10_flops": [22.9, 22.9, 23.8], "month_index": pd.array([3, 4, None], dtype="Int64"),
        "release_date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
        "token_is_estimate": [False, True, False],
    })


def c1_frame():
    return pd.DataFrame({"column": [1, 1, 2], "term": ["log_flops", "dev:Meta", "log_flops"],
                         "estimate": [0.83, 0.2, 0.7], "stars": ["***", "*", "**"],
                         "n_obs": [100, 100, 60], "omitted": ["", "", ""]})


def run_info(**over):
    info = {"schema": runinfo.SCHEMA, "git": {"commit": "a" * 40, "dirty": False},
            "code": {"package_sha256": "c" * 64}, "config_sha256": "",
            "config": {"raw_dir": "data/raw", "sample": {"lineage": "one_hop"},
                       "grid": {"dimensions": {"sample": ["full", "major", "major_below"]}}},
            "inputs": {"raw": {"oll_v2": "1" * 64}, "curated": {"data/x.csv": "2" * 64},
                       "plugins": {}},
            "packages": {"pandas": pd.__version__}, "sample_sizes": {"mmlu_pro": 3},
            "grid": {"cells": 3, "by_status": {"degenerate": 1, "ok": 2}}}
    for k, v in over.items():
        info[k] = v
    info["config_sha256"] = runinfo.config_hash(info["config"])
    return info


def make_run(path, cells=None, terms=None, sample=None, c1=None, info=None, layout="workdir"):
    """Write a run; layout 'workdir' puts it under path/results, 'results' directly in path."""
    r = path / "results" if layout == "workdir" else path
    (r / "grid").mkdir(parents=True, exist_ok=True)
    (r / "data").mkdir(parents=True, exist_ok=True)
    (r / "tables").mkdir(parents=True, exist_ok=True)
    (cells if cells is not None else cells_frame()).to_parquet(r / "grid/cells.parquet")
    (terms if terms is not None else terms_frame()).to_parquet(r / "grid/terms.parquet")
    (sample if sample is not None else sample_frame()).to_parquet(
        r / "data/sample_mmlu_pro.parquet")
    (c1 if c1 is not None else c1_frame()).to_csv(r / "tables/table_c1.csv", index=False)
    (r / "run.json").write_text(runinfo.dumps(info or run_info()))
    return path


def run_diff(capsys, a, b, *args):
    rc = cli.main(["diff", str(a), str(b), *args])
    out = capsys.readouterr()
    return rc, out.out, out.err


def as_json(capsys, a, b, *args):
    rc, out, err = run_diff(capsys, a, b, "--json", *args)
    return rc, json.loads(out)


def table(res, name):
    return next(t for t in res["tables"] if t["table"] == name)


# --------------------------------------------------------------------------------------------


def test_identical_runs_exit_0(tmp_path, capsys):
    a, b = make_run(tmp_path / "a"), make_run(tmp_path / "b")
    rc, out, _ = run_diff(capsys, a, b)
    assert rc == 0
    assert "identical within tolerance" in out
    assert "| cells" in out and "| equal" in out
    # a results directory itself works as well as the folder holding results/
    rc, _, _ = run_diff(capsys, a / "results", b)
    assert rc == 0


def test_numeric_change_beyond_tolerance_is_reported_with_abs_and_rel(tmp_path, capsys):
    a = make_run(tmp_path / "a")
    c = cells_frame()
    c.loc[0, "beta_c"] = 0.83 * 1.01
    b = make_run(tmp_path / "b", cells=c)
    rc, res = as_json(capsys, a, b)
    assert rc == 1 and res["equal"] is False
    t = table(res, "cells")
    assert t["changed_rows"] == 1 and t["changed_values"] == 1
    (col,) = t["columns"]
    assert col["column"] == "beta_c" and col["changed"] == 1
    assert col["max_abs_diff"] == pytest.approx(0.0083)
    assert col["max_rel_diff"] == pytest.approx(0.01)
    (ch,) = t["changes"]
    assert ch["key"] == CID.format("full") and ch["a"] == 0.83
    assert ch["abs_diff"] == pytest.approx(0.0083) and ch["rel_diff"] == pytest.approx(0.01)
    assert ch["z"] == pytest.approx(0.0083 / 0.05)  # ranked by |change| / SE of run A
    rc, out, _ = run_diff(capsys, a, b)
    assert rc == 1 and "**Shared numbers changed**: cells 1 values in 1 rows" in out
    assert "## Changes ranked by |Δ|/SE (1)" in out and "| changed column" in out
    assert "| beta_c" in out and "0.0083" in out and "0.17" in out


def test_change_within_rtol_is_equal(tmp_path, capsys):
    a = make_run(tmp_path / "a")
    c = cells_frame()
    c.loc[0, "beta_c"] *= 1 + 1e-12
    s = sample_frame()
    s.loc[2, "log10_flops"] += 1e-12
    b = make_run(tmp_path / "b", cells=c, sample=s)
    assert run_diff(capsys, a, b)[0] == 0
    # ... and a global --rtol loosens every column
    c.loc[0, "beta_c"] = 0.83 * (1 + 1e-6)
    b = make_run(tmp_path / "b", cells=c, sample=s)
    assert run_diff(capsys, a, b)[0] == 1
    assert run_diff(capsys, a, b, "--rtol", "1e-5")[0] == 0
    assert run_diff(capsys, a, b, "--atol", "1e-5")[0] == 0


def test_per_column_tolerance_override(tmp_path, capsys):
    a = make_run(tmp_path / "a")
    c = cells_frame()
    c.loc[0, "r2"] *= 1 + 1e-6
    c.loc[0, "factor_dev:Meta"] *= 1 + 1e-6
    b = make_run(tmp_path / "b", cells=c)
    assert run_diff(capsys, a, b, "--tol", "r2=1e-5")[0] == 1  # factor_dev:Meta still differs
    rc, res = as_json(capsys, a, b, "--tol", "r2=1e-5", "--tol", "factor_*=1e-5,0")
    assert rc == 0
    assert res["tolerance"]["columns"]["r2"] == [1e-5, diff.DEFAULT_ATOL]
    rc, res = as_json(capsys, a, b, "--tol", "r2=1e-5")
    assert [c["column"] for c in table(res, "cells")["columns"]] == ["factor_dev:Meta"]
    rc, _, err = run_diff(capsys, a, b, "--tol", "r2")
    assert rc == 2 and "--tol" in err and "COLUMN=RTOL" in err


def test_simulated_columns_get_a_looser_default():
    tol = diff.Tolerances()
    assert tol.for_column("beta_c") == (1e-9, 1e-12)
    assert tol.for_column("p_wcr")[0] == 1e-6 and tol.for_column("ci_wcr_lo")[0] == 1e-6
    assert diff.Tolerances(rtol=1e-3).for_column("p_wcr")[0] == 1e-3  # the looser one
    assert diff.Tolerances(columns={"p_wcr": (0.0, 0.0)}).for_column("p_wcr") == (0.0, 0.0)


def test_nan_and_inf_compare_equal_to_themselves():
    a = np.array([np.nan, np.inf, -np.inf, 1.0, np.inf, np.nan, 0.0])
    b = np.array([np.nan, np.inf, -np.inf, 1.0, 5.0, 1.0, 1e-13])
    changed, d, rel = diff.numeric_changes(a, b, 1e-9, 1e-12)
    assert changed.tolist() == [False, False, False, False, True, True, False]


def test_sign_flips_star_and_n_changes_are_flagged(tmp_path, capsys):
    a = make_run(tmp_path / "a")
    c = cells_frame()
    c.loc[1, "beta_c"] = -0.2
    c.loc[0, "n_obs"] = 101
    t = terms_frame()
    t.loc[(t["cell_id"] == CID.format("full")) & (t["term"] == "dev:Meta"),
          ["estimate", "stars"]] = [-0.3, "**"]
    c1 = c1_frame()
    c1.loc[2, "stars"] = ""
    s = sample_frame().iloc[:2]
    b = make_run(tmp_path / "b", cells=c, terms=t, c1=c1, sample=s)
    rc, res = as_json(capsys, a, b)
    assert rc == 1
    cells = table(res, "cells")
    assert [(f["key"], f["column"]) for f in cells["sign_flips"]] == [
        (CID.format("major"), "beta_c")]
    assert [(n["key"], n["a"], n["b"]) for n in cells["n_obs_changes"]] == [
        (CID.format("full"), 100, 101)]
    terms = table(res, "terms")
    key = f"{CID.format('full')} · dev:Meta"
    assert [f["key"] for f in terms["sign_flips"]] == [key]
    (star,) = terms["star_changes"]
    assert {k: star[k] for k in ("key", "column", "a", "b")} == {
        "key": key, "column": "stars", "a": "*", "b": "**"}
    assert star["z"] == pytest.approx(0.5 / 0.1)  # the estimate it belongs to moved 5 SE
    # counted by dimension and level (the level of the cell a term belongs to)
    lv = {(r["table"], r["dimension"], r["level"]): (r["sign_flips"], r["star_changes"])
          for r in res["by_level"]}
    assert lv[("cells", "sample", "major")] == (1, 0) and lv[("cells", "sample", "full")] == (0, 0)
    assert lv[("terms", "sample", "full")] == (1, 1)
    assert not any(r["dimension"] in ("benchmark", "link") for r in res["by_level"])
    c1r = table(res, "table_c1")
    assert c1r["star_changes"][0]["key"] == "2 · log_flops" and c1r["star_changes"][0]["b"] == ""
    smp = table(res, "sample_mmlu_pro")
    assert smp["removed"] == ["meta/c"] and smp["rows_a"] == 3 and smp["rows_b"] == 2
    rc, out, _ = run_diff(capsys, a, b)
    for head in ("### Sign flips, by |Δ|/SE (2)", "### Star changes, by the estimate's |Δ|/SE (2)",
                 "#### N changes (1)", "#### Removed (only in A) (1)", "sample_mmlu_pro 3 → 2",
                 "| terms   | sample      | full        | 1              | 1            | 1 "):
        assert head in out
    assert out.index("## Sign flips and significance-star changes") < out.index("### Sign flips,")


def test_added_and_removed_cells(tmp_path, capsys):
    c = cells_frame()
    a = make_run(tmp_path / "a", cells=c)
    extra = c.iloc[[0]].assign(cell_id=CID.format("major_above"), sample="major_above")
    b = make_run(tmp_path / "b", cells=pd.concat([c.iloc[[0, 2]], extra]))
    rc, res = as_json(capsys, a, b)
    assert rc == 0 and not res["equal"] and res["shared_equal"]  # no shared number changed
    t = table(res, "cells")
    assert t["removed"] == [CID.format("major")] and t["added"] == [CID.format("major_above")]
    assert t["changed_values"] == 0
    rc, out, _ = run_diff(capsys, a, b)
    assert f"| {CID.format('major')}" in out and "#### Added (only in B) (1)" in out
    assert ("Grid cells: 1 added (only in B), 1 removed (only in A), 2 shared: identical "
            "within tolerance.") in out


def test_column_added_or_removed_counts_as_a_difference(tmp_path, capsys):
    a = make_run(tmp_path / "a")
    b = make_run(tmp_path / "b", cells=cells_frame().assign(**{"factor_dev:IBM": 1.0}))
    rc, res = as_json(capsys, a, b)
    assert not res["equal"] and table(res, "cells")["columns_added"] == ["factor_dev:IBM"]
    assert rc == 0  # a new column changes no number the runs share


def test_config_and_input_hashes_come_first(tmp_path, capsys):
    a = make_run(tmp_path / "a")
    info = run_info(config={**run_info()["config"], "sample": {"lineage": "chain"}},
                    inputs={"raw": {"oll_v2": "9" * 64}, "curated": {"data/x.csv": "2" * 64},
                            "plugins": {}})
    c = cells_frame()
    c.loc[0, "beta_c"] = 0.9
    b = make_run(tmp_path / "b", cells=c, info=info)
    rc, out, _ = run_diff(capsys, a, b)
    assert rc == 1
    i_cfg, i_sum = out.index("## Configuration and code"), out.index("## Summary")
    assert i_cfg < out.index("## Baseline cells: headline numbers") < i_sum < out.index("### cells")
    block = out[i_cfg:i_sum]
    assert "| config" in block and "sample.lineage" in block and "chain" in block
    assert "raw input sha256" in block and "oll_v2" in block and "999999999999" in block
    assert "git commit" in block


def test_config_or_input_difference_alone_counts_but_raw_dir_does_not(tmp_path, capsys):
    a = make_run(tmp_path / "a")
    b = make_run(tmp_path / "b", info=run_info(
        inputs={"raw": {"oll_v2": "1" * 64}, "curated": {"data/x.csv": "3" * 64},
                "plugins": {}}))
    rc, out, _ = run_diff(capsys, a, b)
    assert rc == 0 and "curated table sha256" in out  # an input changed, no number moved
    assert not diff.compare(a, b)["equal"]
    b = make_run(tmp_path / "c", info=run_info(
        config={**run_info()["config"], "raw_dir": "/mirror"},
        git={"commit": "b" * 40, "dirty": True}, packages={"pandas": "0.1"}))
    rc, out, _ = run_diff(capsys, a, b)
    assert rc == 0 and "raw_dir (location only)" in out and "(dirty)" in out


def test_archives_are_runs(tmp_path, capsys):
    a = make_run(tmp_path / "a")
    tgz = tmp_path / "a.tar.gz"
    with tarfile.open(tgz, "w:gz") as t:
        t.add(a / "results", arcname="results")
    zp = tmp_path / "b.zip"
    with zipfile.ZipFile(zp, "w") as z:  # the results directory's contents at the top
        for p in (a / "results").rglob("*"):
            z.write(p, p.relative_to(a / "results"))
    assert run_diff(capsys, tgz, a)[0] == 0
    assert run_diff(capsys, a, zp)[0] == 0
    c = cells_frame()
    c.loc[0, "r2"] = 0.7
    b = make_run(tmp_path / "b", cells=c)
    assert run_diff(capsys, tgz, b)[0] == 1
    bad = tmp_path / "bad.tgz"
    bad.write_bytes(b"not an archive")
    rc, _, err = run_diff(capsys, bad, b)
    assert rc == 2 and "bad.tgz" in err and "archive" in err


@pytest.mark.parametrize("breakage, message", [
    ("missing_dir", "does not exist"),
    ("no_cells", "cells.parquet is missing"),
    ("no_run_json", "run.json is missing"),
    ("no_cell_id", "no key column(s) ['cell_id']"),
    ("corrupt_parquet", "cannot read the table"),
    ("bad_schema", "incompatible run metadata schema"),
    ("bad_json", "cannot read run metadata"),
    ("no_model_id", "no key column(s) ['model_id']"),
])
def test_bad_input_exits_2_with_a_message(tmp_path, capsys, breakage, message):
    a = make_run(tmp_path / "a")
    b = make_run(tmp_path / "b")
    r = b / "results"
    if breakage == "missing_dir":
        shutil.rmtree(b)
    elif breakage == "no_cells":
        (r / "grid/cells.parquet").unlink()
    elif breakage == "no_run_json":
        (r / "run.json").unlink()
    elif breakage == "no_cell_id":
        cells_frame().drop(columns="cell_id").to_parquet(r / "grid/cells.parquet")
    elif breakage == "corrupt_parquet":
        p = r / "grid/terms.parquet"
        p.write_bytes(p.read_bytes()[:100])
    elif breakage == "bad_schema":
        (r / "run.json").write_text(json.dumps({**run_info(), "schema": 99}))
    elif breakage == "bad_json":
        (r / "run.json").write_text("{not json")
    elif breakage == "no_model_id":
        sample_frame().drop(columns="model_id").to_parquet(r / "data/sample_mmlu_pro.parquet")
    rc, out, err = run_diff(capsys, a, b)
    assert rc == 2 and out == ""
    assert err.startswith("saucegrid diff: ") and message in err and "Fix:" in err
    assert len(err.strip().splitlines()) == 1
    assert str(b) in err


def test_html_report(tmp_path, capsys):
    a = make_run(tmp_path / "a")
    c = cells_frame()
    c.loc[0, "beta_c"] = -0.1
    b = make_run(tmp_path / "b", cells=c)
    html = tmp_path / "out" / "diff.html"
    rc, out, _ = run_diff(capsys, a, b, "--html", str(html))
    assert rc == 1 and out.startswith("# saucegrid diff")
    text = html.read_text()
    assert text.startswith("<!DOCTYPE html>") and "<table>" in text and "Sign flips" in text


def test_json_caps_lists_but_keeps_totals(tmp_path):
    a = make_run(tmp_path / "a")
    c = cells_frame()
    c["r2"] = c["r2"] + 0.1
    b = make_run(tmp_path / "b", cells=c)
    res = json.loads(diff.to_json(diff.compare(a, b), limit=1))
    t = table(res, "cells")
    assert len(t["changes"]) == 1 and t["totals"]["changes"] == 2


# --------------------------------------------------------------------------------------------
# run.json


def test_run_info_is_deterministic_and_records_inputs(tmp_path):
    base = tmp_path / "wf"
    base.mkdir()
    stamp = tmp_path / "oll_v2.sha256"
    stamp.write_text(f"{'ab' * 32}  /somewhere/file.csv\n")
    cur = tmp_path / "developers.csv"
    cur.write_text("alias,developer,source\n")
    smp = tmp_path / "s.parquet"
    sample_frame().to_parquet(smp)
    cells = tmp_path / "cells.parquet"
    cells_frame().to_parquet(cells)
    cfg = {"sample": {"lineage": "one_hop"}, "raw_dir": "data/raw"}

    def build():
        return runinfo.build(cfg, base, {"oll_v2": stamp}, [cur], {"mmlu_pro": smp}, cells)

    info = build()
    assert info["schema"] == runinfo.SCHEMA
    assert info["inputs"]["raw"] == {"oll_v2": "ab" * 32}
    assert list(info["inputs"]["curated"]) == ["data/developers.csv"]
    assert info["sample_sizes"] == {"mmlu_pro": 3}
    assert info["grid"] == {"cells": 3, "by_status": {"degenerate": 1, "ok": 2}}
    assert info["config"] == cfg and info["config_sha256"] == runinfo.config_hash(cfg)
    assert info["git"] == {"commit": None, "dirty": None}  # tmp_path is no git checkout
    assert info["code"]["package_sha256"] == runinfo.code_hash(Path(runinfo.__file__).parent)
    for k in ("python", "saucegrid", "pandas", "numpy", "snakemake", "pyarrow"):
        assert info["packages"][k]
    assert runinfo.dumps(build()) == runinfo.dumps(info)
    out = tmp_path / "run.json"
    runinfo.write(out, info)
    assert json.loads(out.read_text()) == info
    bad = tmp_path / "bad.sha256"
    bad.write_text("nonsense\n")
    with pytest.raises(runinfo.InputError, match="checksum stamp"):
        runinfo.read_stamp(bad)


def test_run_info_reads_git(repo):
    g = runinfo.git_info(repo)
    if g["commit"] is None:
        pytest.skip("not a git checkout")
    assert len(g["commit"]) == 40 and isinstance(g["dirty"], bool)


# --------------------------------------------------------------------------------------------
# runs with different dimensions, and the ranked report


def with_dimension(cells, terms, dim, levels, base_level):
    """The runs' tables after a dimension `dim` was added: the old cells at its baseline keep
    their ids; every cell is repeated at each other level with `/dim~level` in its id."""
    cs, ts = [cells.assign(**{dim: base_level})], [terms.assign(**{dim: base_level})]
    for lv in levels:
        if lv == base_level:
            continue
        ids = {c: f"{c}/{dim}~{lv}" for c in cells["cell_id"]}
        cs.append(cells.assign(cell_id=cells["cell_id"].map(ids), **{dim: lv}))
        ts.append(terms.assign(cell_id=terms["cell_id"].map(ids), **{dim: lv}))
    c = pd.concat(cs, ignore_index=True)
    c = c[["cell_id", "benchmark", "link", "sample", dim] +
          [x for x in c.columns if x not in ("cell_id", "benchmark", "link", "sample", dim)]]
    return c, pd.concat(ts, ignore_index=True)


def dims_info(**dims):
    cfg = {**run_info()["config"], "grid": {"dimensions": {
        "benchmark": ["mmlu_pro"], "link": ["v1.0"], "sample": ["full", "major", "major_below"],
        **dims}}}
    return run_info(config=cfg)


def test_a_new_dimension_leaves_shared_cells_matched_and_equal(tmp_path, capsys):
    a = make_run(tmp_path / "a", info=dims_info())
    c, t = with_dimension(cells_frame(), terms_frame(), "trim", ["none", "drop"], "none")
    b = make_run(tmp_path / "b", cells=c, terms=t, info=dims_info(trim=["none", "drop"]))
    rc, res = as_json(capsys, a, b)
    assert rc == 0 and res["shared_equal"]
    cells = table(res, "cells")
    assert cells["n_added"] == 3 and cells["n_removed"] == 0 and cells["changed_values"] == 0
    assert sorted(cells["added"]) == sorted(f"{CID.format(s)}/trim~drop"
                                             for s in ("full", "major", "major_below"))
    terms = table(res, "terms")
    assert terms["n_added"] == 6 and terms["n_removed"] == 0 and terms["changed_values"] == 0
    assert res["dimensions"]["baseline"]["trim"] == "none"
    rc, out, _ = run_diff(capsys, a, b)
    assert ("Grid cells: 3 added (only in B), 0 removed (only in A), 3 shared: identical within "
            "tolerance.") in out
    # ... and the other way round: the dimension B lacks counts as its baseline there
    rc, res = as_json(capsys, b, a)
    assert rc == 0 and table(res, "cells")["n_removed"] == 3
    # a moved number in a shared cell is still found
    c2 = c.copy()
    c2.loc[c2["cell_id"] == CID.format("full"), "r2"] = 0.7
    b2 = make_run(tmp_path / "b2", cells=c2, terms=t, info=dims_info(trim=["none", "drop"]))
    rc, res = as_json(capsys, a, b2)
    assert rc == 1 and [ch["key"] for ch in table(res, "cells")["changes"]] == [
        CID.format("full")]


def test_ids_that_listed_baseline_levels_match_ids_that_leave_them_out(tmp_path, capsys):
    """A run from before ids left out baseline levels (construction~default in every id)
    against one after: the same cells."""
    old_c, old_t = cells_frame(), terms_frame()
    ids = {c: f"{c}/construction~default" for c in old_c["cell_id"]}
    old_c = old_c.assign(cell_id=old_c["cell_id"].map(ids), construction="default")
    old_c = old_c[["cell_id", "benchmark", "link", "sample", "construction"] +
                  [x for x in old_c.columns if x not in ("cell_id", "benchmark", "link",
                                                         "sample", "construction")]]
    old_t = old_t.assign(cell_id=old_t["cell_id"].map(ids))
    info = dims_info(construction=["default", "chain"])
    a = make_run(tmp_path / "a", cells=old_c, terms=old_t, info=info)
    new_c = cells_frame().assign(construction="default")
    new_c = new_c[old_c.columns.tolist()[:1] + ["benchmark", "link", "sample", "construction"] +
                  [x for x in new_c.columns if x not in ("cell_id", "benchmark", "link",
                                                         "sample", "construction")]]
    b = make_run(tmp_path / "b", cells=new_c, info=info)
    rc, res = as_json(capsys, a, b)
    assert rc == 0 and res["equal"]
    assert table(res, "cells")["n_added"] == table(res, "terms")["n_added"] == 0


def test_headline_and_compute_factors_in_log10(tmp_path, capsys):
    a = make_run(tmp_path / "a", info=dims_info())
    c = cells_frame()
    c.loc[0, "beta_c"] = 0.93  # 2 SE
    c.loc[0, "factor_dev:Meta"] = 3.0  # log10 +0.301
    c.loc[1, "factor_dev:Meta"] = 1e209  # blown up
    c.loc[0, "gap_90_10_factor"] = np.nan  # became undefined
    c.loc[0, "r2"] = 0.62
    b = make_run(tmp_path / "b", cells=c, info=dims_info())
    rc, res = as_json(capsys, a, b)
    assert rc == 1
    head = {h["column"]: (h["a"], h["b"]) for h in res["headline"]}
    assert head["beta_c"] == (0.83, 0.93) and head["n_obs"] == (100, 100)
    assert head["shared_progress_factor"] == (None, None)  # not in these tables
    cells = table(res, "cells")
    assert cells["factors"] == {"ok": 1, "undefined": 1, "blown up": 1}
    ranked = [(ch["column"], ch["z"], ch["log10_diff"], ch["factor_state"])
              for ch in cells["changes"]]
    assert ranked[0][:2] == ("beta_c", pytest.approx(2.0))  # z first
    assert ranked[1][0] == "factor_dev:Meta" and ranked[1][2] == pytest.approx(np.log10(2))
    assert ranked[2][0] == "r2"  # then the rest by relative change
    assert {r[3] for r in ranked[3:]} == {"undefined", "blown up"}  # never ranked
    rc, out, _ = run_diff(capsys, a, b)
    order = [out.index(s) for s in ("## Configuration and code",
                                     "## Baseline cells: headline numbers", "## Summary",
                                     "## Changes ranked by |Δ|/SE", "## Compute factors (log10)",
                                     "## Other changed values")]
    assert order == sorted(order)
    assert "| mmlu_pro    | β_c" in out and "+0.301" in out
    assert "1 are undefined on a side" in out and "1 blown up" in out and "1e+209" not in out


def test_the_ranked_lists_are_ranked_across_tables_not_table_after_table(tmp_path, capsys):
    a = make_run(tmp_path / "a", info=dims_info())
    c, t = cells_frame(), terms_frame()
    c.loc[0, "beta_c"] = 0.93  # cells: 2 SE
    t.loc[(t["cell_id"] == CID.format("major")) & (t["term"] == "dev:Meta"), "estimate"] = -0.3
    b = make_run(tmp_path / "b", cells=c, terms=t, info=dims_info())  # terms: 5 SE, a flip
    rc, out, _ = run_diff(capsys, a, b)
    ranked = out.split("## Changes ranked by |Δ|/SE")[1].split("\n## ")[0]
    rows = [r for r in ranked.splitlines() if r.startswith("| terms") or r.startswith("| cells")]
    assert [r.split("|")[1].strip() for r in rows] == ["terms", "cells"]
    assert rows[0].rstrip(" |").endswith("5.00") and rows[1].rstrip(" |").endswith("2.00")
