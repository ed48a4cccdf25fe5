"""The three uses together, on copies of the full end-to-end run: add a dimension and rerun
(old cells come from the cache, the diff shows them identical and the new cells added); edit a
module and see that exactly the rules whose scripts import it would rerun."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from saucegrid.grid import cells

from conftest import modulefinder_closure, snakemake

pytestmark = pytest.mark.workflow

PLUGIN = '''"""Drop MMLU-Pro models within 0.02 of the guessing floor (a test dimension)."""

from saucegrid.grid.cells import register


@register("trim")
def trim(sample, level, context):
    if level == "none" or context.benchmark != "mmlu_pro":
        return sample
    return sample[sample["score_raw"] >= 0.12].reset_index(drop=True)
'''


def copy_run(run: Path, dest: Path) -> Path:
    """A copy of a finished run's project (sources, results, Snakemake's records), mtimes kept."""
    shutil.copytree(run, dest, symlinks=True)
    return dest


def slice_counts(wd: Path) -> tuple[int, int, int, int]:
    """(cells, skipped, from cache, fitted) summed over the grid slices' logs of the latest run."""
    tot = [0, 0, 0, 0]
    for log in (wd / "results/logs/grid_slice").rglob("*.log"):
        m = re.findall(r"(\d+) cells: (\d+) skipped, (\d+) from cache, (\d+) fitted",
                       log.read_text())
        assert m, f"{log} has no final cache line"
        for i, v in enumerate(m[-1]):
            tot[i] += int(v)
    return tuple(tot)


def test_adding_a_dimension_reuses_the_old_cells_and_diffs_them_as_identical(run, repo,
                                                                            raw_dir, tmp_path):
    wd = copy_run(run, tmp_path / "trim")
    (wd / "plugin_trim.py").write_text(PLUGIN)
    cfg = yaml.safe_load((wd / "config.yaml").read_text())
    cfg["grid"]["dimensions"]["trim"] = ["none", "drop_floor"]
    cfg["grid"]["plugins"] = ["plugin_trim.py"]
    # the dimension means nothing for MATH Level 5: skip it there, as README shows
    cfg["grid"]["skip"].append({"when": {"benchmark": "math_l5", "trim": "drop_floor"},
                                "reason": "trim: MMLU-Pro only"})
    for link in ("v0.7", "v1.2"):  # fewer new cells to fit: the test is about the old ones
        cfg["grid"]["skip"].append({"when": {"link": link, "trim": "drop_floor"},
                                    "reason": "trim: logit link only"})
    (wd / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False))
    r = snakemake(repo, wd, "results/grid/cells.parquet", "results/run.json", raw_dir=raw_dir)
    assert r.returncode == 0, r.stderr[-4000:]

    old = pd.read_parquet(run / "results/grid/cells.parquet")
    new = pd.read_parquet(wd / "results/grid/cells.parquet")
    n_old_fitted = int((old["status"] != "skipped").sum())
    cells, skipped, hits, fitted = slice_counts(wd)
    assert (cells, skipped) == (len(new), int((new["status"] == "skipped").sum()))
    assert hits + fitted + skipped == cells
    assert hits >= 0.95 * n_old_fitted, (hits, n_old_fitted)
    assert set(old["cell_id"]) < set(new["cell_id"])  # every old id kept
    added = new[~new["cell_id"].isin(old["cell_id"])]
    assert added["cell_id"].str.endswith("/trim~drop_floor").all()
    # MATH Level 5 cells at drop_floor are skipped with the reason
    assert (added.loc[added["benchmark"] == "math_l5", "reason"] == "trim: MMLU-Pro only").all()
    assert fitted <= (added["status"] != "skipped").sum()  # only new cells were fitted

    d = subprocess.run([sys.executable, "-m", "saucegrid.cli", "diff", str(run), str(wd),
                        "--json"], capture_output=True, text=True, env=os.environ, timeout=600)
    assert d.returncode == 0, d.stdout[-3000:] + d.stderr
    res = json.loads(d.stdout)
    t = {x["table"]: x for x in res["tables"]}
    assert t["cells"]["n_added"] == len(added) and t["cells"]["n_removed"] == 0
    assert t["cells"]["changed_values"] == t["terms"]["changed_values"] == 0
    assert t["terms"]["n_removed"] == 0 and t["terms"]["n_added"] > 0
    md = subprocess.run([sys.executable, "-m", "saucegrid.cli", "diff", str(run), str(wd)],
                        capture_output=True, text=True, env=os.environ, timeout=600).stdout
    assert (f"Grid cells: {len(added):,} added (only in B), 0 removed (only in A), "
            f"{len(old):,} shared: identical within tolerance.") in md


def named_targets(wd: Path, repo: Path, raw_dir) -> list[str]:
    """The rules outside the default run: target rules that a forced dry run of `all` lacks."""
    listed = snakemake(repo, wd, "--list-target-rules", raw_dir=raw_dir).stdout.split()
    r = snakemake(repo, wd, "-n", "--forceall", "all", raw_dir=raw_dir)
    in_all = set(re.findall(r"(?m)^(?:local)?rule (\w+):", r.stdout + r.stderr))
    return sorted(t for t in listed if t != "all" and t not in in_all)


def dry_run_jobs(wd: Path, repo: Path, raw_dir, named: list[str]) -> list[dict]:
    """The jobs of a dry run of the default targets and the named ones: rule, input files and
    reason, read from Snakemake's job blocks."""
    r = snakemake(repo, wd, "-n", "all", *named, raw_dir=raw_dir)
    assert r.returncode == 0, r.stderr[-4000:]
    jobs = []
    for line in (r.stdout + r.stderr).splitlines():
        m = re.match(r"^(?:local)?rule (\w+):", line)
        if m:
            jobs.append({"rule": m.group(1), "input": [], "output": [], "reason": ""})
        elif jobs and line.strip().startswith(("input:", "output:")):
            key, files = line.strip().split(":", 1)
            jobs[-1][key] = files.strip().split(", ")
        elif jobs and line.strip().startswith("reason:"):
            jobs[-1]["reason"] = line.split(":", 1)[1].strip()
    return jobs


def rule_scripts(repo: Path) -> dict[str, str]:
    """rule -> the stem of its script, read from rules/*.smk."""
    out = {}
    for smk in (repo / "rules").glob("*.smk"):
        for block in re.split(r"(?m)^rule ", smk.read_text())[1:]:
            m = re.search(r'script:\s*\n\s*"\.\./workflow/scripts/(\w+)\.py"', block)
            if m:
                out[block.split(":")[0]] = m.group(1)
    return out


@pytest.mark.parametrize("module", ["report.forest", "estimation.links"])
def test_editing_a_module_reruns_exactly_the_rules_whose_scripts_import_it(run, repo, raw_dir,
                                                                          tmp_path, module):
    wd = copy_run(run, tmp_path / module)
    path = wd / "workflow" / "saucegrid" / f"{module.replace('.', '/')}.py"
    path.write_text(path.read_text() + "\n# an edit\n")
    named = named_targets(wd, repo, raw_dir)
    assert {"size_power", "interval_coverage", "benchmarks"} <= set(named)
    jobs = dry_run_jobs(wd, repo, raw_dir, named)
    grid = yaml.safe_load((repo / "config.yaml").read_text())["grid"]
    sub_grid_slices = {f"results/grid/slices/benchmark~{b}/{f}"
                       for sg in cells.sub_grids(grid).values() if sg["named"]
                       for b in sg["levels"]["benchmark"]
                       for f in ("cells.parquet", "terms.parquet", "cache_keys.txt")}
    module_path = f"workflow/saucegrid/{module.replace('.', '/')}.py"
    # Snakemake prints one reason per job, so read the wiring from the jobs' inputs
    direct = {j["rule"] for j in jobs if module_path in j["input"]}
    # expected, independently: the standard library's module finder on each rule's script;
    # run_info records the whole package's hash, so every module edit rewrites run.json
    name = f"saucegrid.{module}"
    expected = {rule for rule, script in rule_scripts(repo).items()
                if name in modulefinder_closure(wd / "workflow" / "scripts" / f"{script}.py")}
    expected.add("run_info")
    assert direct == expected
    assert len(expected) < len(rule_scripts(repo))  # not everything
    for j in jobs:
        if j["rule"] in direct or j["rule"] == "all":
            continue
        if j["rule"] in named or set(j["output"]) <= sub_grid_slices:
            # a named target, or a slice of a named sub-grid: never built in the copied run
            assert j["reason"].startswith("Missing output files"), j
            continue
        # every other job in the dry run is downstream of those: its inputs are their outputs
        assert j["reason"].startswith("Input files updated by another job"), j
    # and the rules that import it do rerun, for that module (not for some other change)
    for j in jobs:
        if j["rule"] in direct and j["reason"].startswith("Updated input files"):
            assert j["reason"] == f"Updated input files: {module_path}", j
