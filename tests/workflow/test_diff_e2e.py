"""End-to-end: `saucegrid diff` on real workflow outputs (the raw inputs shipped in data/raw)."""

import json
import math
import os
import shutil
import subprocess
import sys
import tarfile

import pandas as pd
import pytest
import yaml

from saucegrid.grid.cells import cell_id

from conftest import snakemake

pytestmark = pytest.mark.workflow

PERTURBED_BASE = "meta-llama/Meta-Llama-3.1-8B"
SMALL_GRID = {
    "benchmark": ["mmlu_pro"], "link": ["v1.0"], "time": ["tri"], "devset": ["paper"],
    "sample": ["full", "major"], "interaction": ["none"], "construction": ["default"],
}
TARGETS = ("results/grid/cells.parquet", "results/run.json")


def saucegrid_diff(a, b, *args):
    """The console command, as a user runs it (python -m keeps it on this interpreter)."""
    return subprocess.run([sys.executable, "-m", "saucegrid.cli", "diff", str(a), str(b), *args],
                          capture_output=True, text=True, timeout=600, env=os.environ)


def diff_json(a, b, *args):
    r = saucegrid_diff(a, b, "--json", *args)
    assert r.returncode in (0, 1), r.stderr
    return r.returncode, json.loads(r.stdout)


def table(res, name):
    return next(t for t in res["tables"] if t["table"] == name)


def run_small(snakefile_dir, workdir, config, raw_dir):
    """Run snakefile_dir/Snakefile on config (a dict) into workdir, for the TARGETS only."""
    workdir.mkdir(parents=True, exist_ok=True)
    cfg = workdir.parent / f"{workdir.name}.config.yaml"
    cfg.write_text(yaml.safe_dump(config, sort_keys=False))
    cmd = [sys.executable, "-m", "snakemake", *TARGETS, "-s", str(snakefile_dir / "Snakefile"),
           "--configfile", str(cfg), "--directory", str(workdir), "--cores", "2",
           "--config", f"raw_dir={raw_dir}"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, r.stderr[-4000:]
    return workdir


def small_config(repo, **dims):
    cfg = yaml.safe_load((repo / "config.yaml").read_text())
    cfg["grid"]["dimensions"] = {**SMALL_GRID, **dims}
    cfg["grid"]["slice_by"] = ["benchmark", "construction"]
    cfg["grid"]["skip"], cfg["grid"]["plugins"] = [], []
    cfg["grid"].pop("sub_grids")  # its benchmarks are not in this grid
    return cfg


def copy_tree(repo, dest):
    """The workflow's source tree (what git would check out, plus untracked source files)."""
    r = subprocess.run(["git", "-C", str(repo), "ls-files", "-z", "--cached", "--others",
                        "--exclude-standard"], capture_output=True)
    if r.returncode == 0:
        for rel in filter(None, r.stdout.decode().split("\0")):
            src = repo / rel
            if src.is_file():
                (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest / rel)
    else:  # not a git checkout
        shutil.copytree(repo, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
            "results", ".snakemake", "raw", "__pycache__", ".git", "*.egg-info", ".*cache"))
    return dest


@pytest.fixture(scope="session", autouse=True)
def workflow_writes_run_json(repo):
    if "rules/runinfo.smk" not in (repo / "Snakefile").read_text():
        pytest.fail("the Snakefile does not include rules/runinfo.smk, so no run writes "
                    "results/run.json; add `include: \"rules/runinfo.smk\"` and "
                    "\"results/run.json\" to rule all")


@pytest.fixture(scope="module")
def small_base(repo, raw_dir, tmp_path_factory):
    return run_small(repo, tmp_path_factory.mktemp("diff") / "base", small_config(repo), raw_dir)


@pytest.fixture(scope="module")
def small_perturbed(repo, raw_dir, tmp_path_factory):
    """The same small grid from a copy of the workflow with one token count doubled."""
    tree = copy_tree(repo, tmp_path_factory.mktemp("tree"))
    tok_path = tree / "data" / "base_model_tokens.csv"
    tok = pd.read_csv(tok_path, dtype=str, keep_default_na=False)
    hit = tok["base_model"] == PERTURBED_BASE
    assert hit.sum() == 1
    tok.loc[hit, "tokens_t"] = str(2 * float(tok.loc[hit, "tokens_t"].iloc[0]))
    tok.to_csv(tok_path, index=False, lineterminator="\n")
    wd = tmp_path_factory.mktemp("diff") / "perturbed"
    return run_small(tree, wd, small_config(repo), raw_dir)


COMPARED = ("results/run.json", "results/grid/terms.parquet",
            *(f"results/tables/table_{t}.csv" for t in ("b1", "c1", "e1")))


def test_two_clean_runs_diff_as_identical(run, repo, raw_dir, tmp_path):
    """A second run, from an empty results/ but for the grid's content-keyed cell cache, of
    everything `saucegrid diff` compares: the samples, tables and run.json are recomputed, and
    each cell is read back only if its sample's rows hash the same (so the samples are rebuilt
    identically); the fits themselves are recomputed and compared at rtol 0 by test_resume."""
    wd = tmp_path / "again"
    shutil.copytree(run / "results" / "grid" / "cache", wd / "results" / "grid" / "cache")
    r = snakemake(repo, wd, *COMPARED, raw_dir=raw_dir)
    assert r.returncode == 0, r.stderr[-4000:]
    d = saucegrid_diff(run, wd)
    assert d.returncode == 0, d.stdout[-4000:] + d.stderr
    assert "identical within tolerance" in d.stdout
    rc, res = diff_json(run, wd)
    assert rc == 0 and res["equal"]
    compared = {t["table"] for t in res["tables"]}
    assert {"cells", "terms", "sample_mmlu_pro", "sample_math_l5", "table_c1", "table_e1",
            "table_b1"} <= compared
    from saucegrid.grid.cells import cell_frame, named_cells

    grid = yaml.safe_load((repo / "config.yaml").read_text())["grid"]
    frame = cell_frame(grid)  # the default run leaves out the named sub-grids
    assert table(res, "cells")["rows_a"] == int((~named_cells(frame, grid)).sum())
    # even exactly: run.json is identical (but for the git block, should a commit land between
    # the two runs), and so are the compared tables' values
    ja, jb = (json.loads((d / "results/run.json").read_text()) for d in (run, wd))
    assert {**ja, "git": None} == {**jb, "git": None}
    assert diff_json(run, wd, "--rtol", "0", "--atol", "0")[0] == 0


def test_perturbed_token_count_moves_its_models_cells_and_terms(small_base, small_perturbed):
    rc, res = diff_json(small_base, small_perturbed)
    assert rc == 1 and not res["equal"]
    ctx = res["context"]
    assert ctx["config"] == []  # same config: the curated table explains the change
    assert [(d["kind"], d["key"]) for d in ctx["inputs"]] == [
        ("curated", "data/base_model_tokens.csv")]

    before = pd.read_parquet(small_base / "results/data/sample_mmlu_pro.parquet")
    moved = set(before.loc[before["token_base"] == PERTURBED_BASE, "model_id"])
    assert moved
    smp = table(res, "sample_mmlu_pro")
    assert smp["n_added"] == smp["n_removed"] == 0 and smp["rows_a"] == smp["rows_b"]
    by_col = {}
    for ch in smp["changes"]:
        by_col.setdefault(ch["column"], {})[ch["key"]] = ch
    assert set(by_col["tokens_t"]) == moved and set(by_col["log10_flops"]) == moved
    assert all(ch["rel_diff"] == pytest.approx(1.0) for ch in by_col["tokens_t"].values())
    assert all(ch["abs_diff"] == pytest.approx(math.log10(2))
               for ch in by_col["log10_flops"].values())
    cols = {c["column"]: c for c in smp["columns"]}
    assert cols["log10_flops"]["max_abs_diff"] == pytest.approx(math.log10(2))
    assert cols["tokens_t"]["changed"] == len(moved)

    cells = table(res, "cells")
    assert cells["n_added"] == cells["n_removed"] == 0 and cells["changed_rows"] == 2
    beta = [ch for ch in cells["changes"] if ch["column"] == "beta_c"]
    assert len(beta) == 2 and all(abs(ch["rel_diff"]) > 1e-6 for ch in beta)
    # the same models with more compute: no sign flip, the same N (the slope's direction of
    # change depends on where those models sit against the fitted line, so it is not tested)
    assert cells["sign_flips"] == [] and cells["n_obs_changes"] == []
    terms = table(res, "terms")
    assert terms["changed_rows"] > 0 and terms["n_added"] == terms["n_removed"] == 0
    changed_terms = {ch["key"].split(" · ")[1] for ch in terms["changes"]}
    assert "log_flops" in changed_terms
    for f in terms["sign_flips"]:
        assert f["a"] * f["b"] < 0
    for s in terms["star_changes"]:
        assert s["a"] != s["b"]

    md = saucegrid_diff(small_base, small_perturbed)
    assert md.returncode == 1
    out = md.stdout
    assert out.startswith("# saucegrid diff") and "**Shared numbers changed**" in out
    assert out.index("## Configuration and code") < out.index("## Summary")
    assert "data/base_model_tokens.csv" in out.split("## Summary")[0]
    ranked = out.split("## Changes ranked by")[1].split("\n## ")[0]
    assert "| beta_c" in ranked


def test_a_removed_grid_level_shows_its_cells_as_removed(small_base, repo, raw_dir, tmp_path):
    wd = tmp_path / "full_only"
    shutil.copytree(small_base, wd)  # reuse the base run: only the grid steps rerun
    run_small(repo, wd, small_config(repo, sample=["full"]), raw_dir)
    rc, res = diff_json(small_base, wd)
    assert rc == 0 and res["shared_equal"]  # a removed cell changes no number both runs share
    assert [d["key"] for d in res["context"]["config"]] == ["grid.dimensions.sample"]
    cells = table(res, "cells")
    major = cell_id({k: v[-1] if k == "sample" else v[0] for k, v in SMALL_GRID.items()},
                    baseline={k: v[0] for k, v in SMALL_GRID.items()})
    assert cells["removed"] == [major] and cells["n_added"] == 0
    assert cells["changed_values"] == 0
    terms = table(res, "terms")
    assert terms["n_removed"] > 0 and terms["n_added"] == 0
    assert {k.split(" · ")[0] for k in terms["removed"]} == {major}
    assert terms["changed_values"] == 0
    md = saucegrid_diff(small_base, wd).stdout
    assert "Grid cells: 0 added (only in B), 1 removed (only in A)" in md
    assert "#### Removed (only in A) (1)" in md and major in md


def test_archive_of_a_run_and_a_corrupt_run(small_base, tmp_path):
    tgz = tmp_path / "base.tar.gz"
    with tarfile.open(tgz, "w:gz") as t:
        t.add(small_base / "results", arcname="results",
              filter=lambda ti: None if "/cache" in ti.name else ti)
    assert saucegrid_diff(tgz, small_base).returncode == 0

    bad = tmp_path / "corrupt"
    shutil.copytree(small_base / "results", bad / "results",
                    ignore=shutil.ignore_patterns("cache", "slices"))
    cells = bad / "results/grid/cells.parquet"
    cells.write_bytes(cells.read_bytes()[: cells.stat().st_size // 2])
    r = saucegrid_diff(small_base, bad)
    assert r.returncode == 2 and r.stdout == ""
    assert "cells.parquet" in r.stderr and "Fix:" in r.stderr

    r = saucegrid_diff(small_base, tmp_path / "nowhere")
    assert r.returncode == 2 and "nowhere" in r.stderr and "does not exist" in r.stderr
