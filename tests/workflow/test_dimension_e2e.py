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

from conftest import modulefinder_closure, snakemake

pytestmark = pytest.mark.workflow

PLUGIN = '''"""Drop MMLU-Pro models within 0.02 of the guessing floor (a test dimension)."""

from saucegrid.cells import register


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


def slice_counts(wd: Path) -> tuple[int, int, int]:
    """(cells, from cache, fitted) summed over the grid slices' logs of the latest run."""
    tot = [0, 0, 0]
    for log in (wd / "results/logs/grid_slice").rglob("*.log"):
        m = re.findall(r"(\d+) cells, (\d+) from cache, (\d+) fitted", log.read_text())
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
    (wd / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False))
    r = snakemake(repo, wd, "results/grid/cells.parquet", "results/run.json", raw_dir=raw_dir)
    assert r.returncode == 0, r.stderr[-4000:]

    old = pd.read_parquet(run / "results/grid/cells.parquet")
    new = pd.read_parquet(wd / "results/grid/cells.parquet")
    n_old_fitted = int((old["status"] != "skipped").sum())
    cells, hits, fitted = slice_counts(wd)
    assert cells == len(new) - int((new["status"] == "skipped").sum())
    assert hits >= 0.95 * n_old_fitted, (hits, n_old_fitted)
    assert set(old["cell_id"]) < set(new["cell_id"])  # every old id kept
    added = new[~new["cell_id"].isin(old["cell_id"])]
    assert added["cell_id"].str.endswith("/trim~drop_floor").all()
    # MATH Level 5 cells at drop_floor are skipped with the reason
    assert (added.loc[added["benchmark"] == "math_l5", "reason"] == "trim: MMLU-Pro only").all()

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


def dry_run_reasons(wd: Path, repo: Path, raw_dir) -> dict[str, list[str]]:
    """rule -> the reason lines of its jobs in a dry run."""
    r = snakemake(repo, wd, "-n", raw_dir=raw_dir)
    assert r.returncode == 0, r.stderr[-4000:]
    out, rule, reasons = r.stdout + r.stderr, None, {}
    for line in out.splitlines():
        m = re.match(r"^(?:local)?rule (\w+):", line)
        if m:
            rule = m.group(1)
        elif rule and line.strip().startswith("reason:"):
            reasons.setdefault(rule, []).append(line.strip())
    return reasons


def rule_scripts(repo: Path) -> dict[str, str]:
    """rule -> the stem of its script, read from rules/*.smk."""
    out = {}
    for smk in (repo / "rules").glob("*.smk"):
        for block in re.split(r"(?m)^rule ", smk.read_text())[1:]:
            m = re.search(r'script:\s*\n\s*"\.\./workflow/scripts/(\w+)\.py"', block)
            if m:
                out[block.split(":")[0]] = m.group(1)
    return out


@pytest.mark.parametrize("module", ["forest", "links"])
def test_editing_a_module_reruns_exactly_the_rules_whose_scripts_import_it(run, repo, raw_dir,
                                                                          tmp_path, module):
    wd = copy_run(run, tmp_path / module)
    path = wd / "workflow" / "saucegrid" / f"{module}.py"
    path.write_text(path.read_text() + "\n# an edit\n")
    reasons = dry_run_reasons(wd, repo, raw_dir)
    direct = {rule for rule, rs in reasons.items()
              if any("Updated input files" in r and f"saucegrid/{module}.py" in r for r in rs)}
    # expected, independently: the standard library's module finder on each rule's script;
    # run_info records the whole package's hash, so every module edit rewrites run.json
    name = f"saucegrid.{module}"
    expected = {rule for rule, script in rule_scripts(repo).items()
                if name in modulefinder_closure(wd / "workflow" / "scripts" / f"{script}.py")}
    expected.add("run_info")
    assert direct == expected
    assert len(expected) < len(rule_scripts(repo))  # not everything
    # every other job in the dry run is downstream of those (its inputs are their outputs)
    for rule, rs in reasons.items():
        if rule not in direct:
            assert all("Updated input files" not in r for r in rs), (rule, rs)
