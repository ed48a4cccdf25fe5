"""Benchmark the three uses together: a cold run, then adding a dimension, then editing a plugin
(not a test: it reports, never fails).

    python benchmarks/rerun.py [--cores 2] [--json out.json]

In a scratch copy of the project (its own package on PYTHONPATH), with the default config:
  1. the default workflow from a clean results/ (cold); target <= 90 s;
  2. add a two-level plugin dimension (`trim`: none / drop_floor, MMLU-Pro models within 0.02
     of the guessing floor; skipped for MATH Level 5) and rerun; target: >= 95% of the old
     cells come from the cache;
  3. add a comment to the plugin and rerun; target: no cell is refitted;
  4. a no-op rerun; target <= 5 s.
Each step prints its wall time and the grid slices' cache counts
(cells, skipped, from cache, fitted).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
PLUGIN = '''from saucegrid.grid.cells import register


@register("trim")
def trim(sample, level, context):
    """Drop MMLU-Pro models within 0.02 of the guessing floor."""
    if level == "none" or context.benchmark != "mmlu_pro":
        return sample
    return sample[sample["score_raw"] >= 0.12].reset_index(drop=True)
'''


def project_copy(dest: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for f in filter(None, files):
        if (REPO / f).is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / f, dest / f)
    return dest


def snakemake(wd: Path, cores: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(wd / "workflow")}
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "snakemake", "--cores", str(cores), "--quiet",
                        "all"], cwd=wd, capture_output=True, text=True, env=env)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"snakemake failed in {wd}:\n{r.stderr[-3000:]}")
    return dt


def slice_counts(wd: Path, since: float) -> dict:
    """Cache counts of the slices that ran after `since` (their logs' last lines)."""
    tot = {"cells": 0, "skipped": 0, "from_cache": 0, "fitted": 0, "slices": 0}
    for log in (wd / "results/logs/grid_slice").rglob("*.log"):
        if log.stat().st_mtime < since:
            continue
        m = re.findall(r"(\d+) cells: (\d+) skipped, (\d+) from cache, (\d+) fitted",
                       log.read_text())
        if m:
            tot["slices"] += 1
            for k, v in zip(("cells", "skipped", "from_cache", "fitted"), m[-1], strict=True):
                tot[k] += int(v)
    return tot


def line(name: str, ok: bool, what: str) -> None:
    print(f"  {name:<34} {what:<60} {'met' if ok else 'MISSED'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()
    out = {}
    with tempfile.TemporaryDirectory(prefix="saucegrid-rerun-") as tmp:
        wd = project_copy(Path(tmp))
        t0 = time.time()
        out["cold_s"] = snakemake(wd, args.cores)
        out["cold"] = slice_counts(wd, t0)

        (wd / "plugin_trim.py").write_text(PLUGIN)
        cfg = yaml.safe_load((wd / "config.yaml").read_text())
        cfg["grid"]["dimensions"]["trim"] = ["none", "drop_floor"]
        cfg["grid"]["plugins"] = ["plugin_trim.py"]
        cfg["grid"]["skip"].append({"when": {"benchmark": "math_l5", "trim": "drop_floor"},
                                    "reason": "trim: MMLU-Pro only"})
        (wd / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False))
        t0 = time.time()
        out["add_dimension_s"] = snakemake(wd, args.cores)
        out["add_dimension"] = slice_counts(wd, t0)

        with open(wd / "plugin_trim.py", "a") as f:
            f.write("# a comment\n")
        t0 = time.time()
        out["plugin_edit_s"] = snakemake(wd, args.cores)
        out["plugin_edit"] = slice_counts(wd, t0)
        out["noop_s"] = snakemake(wd, args.cores)

    old = out["cold"]["cells"] - out["cold"]["skipped"]  # the old cells that were fitted
    hits = out["add_dimension"]["from_cache"]
    print(f"saucegrid rerun benchmark ({args.cores} cores)")
    line("cold default run", out["cold_s"] <= 90, f"{out['cold_s']:.1f} s (target <= 90 s)")
    line("rerun after adding a dimension", hits >= 0.95 * old,
         f"{out['add_dimension_s']:.1f} s; {hits} cells from the cache for {old} old "
         f"fitted cells; {out['add_dimension']['fitted']} fitted")
    line("rerun after a plugin comment edit", out["plugin_edit"]["fitted"] == 0,
         f"{out['plugin_edit_s']:.1f} s; {out['plugin_edit']['fitted']} cells refitted "
         f"(target 0)")
    line("no-op rerun", out["noop_s"] <= 5, f"{out['noop_s']:.1f} s (target <= 5 s)")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
