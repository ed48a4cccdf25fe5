"""Benchmark the robustness grid against its speed targets (not a test: it reports, never fails).

    python benchmarks/grid.py [--raw-dir DIR] [--cores 2] [--runs 3] [--json out.json]

Measures, on this machine, the OLS grid without the WCR bootstrap (benchmarks/wcr.py times that)
and without randomization inference,
each figure the median of --runs runs:
  1. wall time of the full default grid from a clean results/ (cold), sample build included
     (targets results/grid/summary.md and results/figures/spec_curve.png); target <= 60 s;
  2. pure in-process fit time of the same cells (no Snakemake, no cache, no I/O);
     target: workflow wall time <= 3x this;
  3. a no-op rerun; target <= 3 s;
  4. the in-process fit on a synthetic 10x sample (rows resampled with replacement, seeded);
     target <= 2x the time of (2).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")  # as in the grid_slice jobs

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import yaml  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


GRID_TARGETS = ["results/grid/summary.md", "results/figures/spec_curve.png"]
# the OLS grid alone: the bootstrap has its own benchmark (benchmarks/wcr.py), and RI is off
OLS_ONLY = ["wcr={enabled: false}", "ri={enabled: false}"]


def snakemake(workdir: Path, raw_dir: str, cores: int, *targets: str,
              extra_config: list[str] = ()) -> float:
    cmd = [sys.executable, "-m", "snakemake", *targets, "-s", str(REPO / "Snakefile"),
           "--configfile", str(REPO / "config.yaml"), "--directory", str(workdir), "--cores",
           str(cores), "--quiet", "all", "--config", f"raw_dir={raw_dir}", *extra_config]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"snakemake failed:\n{r.stderr[-3000:]}")
    return dt


def in_process_fit(models: pd.DataFrame, cfg: dict, scale: int = 1, seed: int = 0) -> float:
    """Fit every grid cell in this process; return the seconds spent fitting."""
    from saucegrid.grid import run
    from saucegrid.grid.cells import cell_frame

    frame = cell_frame(cfg["grid"])
    sample_cfg = cfg["sample"]
    total = 0.0
    orig = run.construction_sample
    cache: dict = {}

    def resampled(models_, benchmark, sample_cfg_, levels, majors, constructions=None,
                  panels=None):
        key = (benchmark, levels.get("construction"), levels.get("panel"))
        if key not in cache:
            s = orig(models_, benchmark, sample_cfg_, levels, majors, constructions, panels)
            if scale > 1:
                rng = np.random.default_rng(seed)
                s = s.iloc[rng.integers(0, len(s), len(s) * scale)].reset_index(drop=True)
                s["model_id"] = [f"{m}#{i}" for i, m in enumerate(s["model_id"])]
            cache[key] = s
        return cache[key]

    run.construction_sample = resampled
    try:
        for _, cells in frame.groupby(cfg["grid"]["slice_by"], sort=False):
            # build the slice's samples outside the timed region
            live = cells[cells["skip_reason"] == ""]
            keys = [k for k in ("benchmark", "construction", "panel") if k in live]
            for rec in live.drop_duplicates(keys).to_dict("records"):
                resampled(models, rec["benchmark"], sample_cfg, rec,
                          cfg["developer_sets"][sample_cfg["devset"]], cfg["constructions"],
                          cfg.get("panels"))
            t0 = time.perf_counter()
            run.run_slice(models, cells, sample_cfg, cfg["developer_sets"], cache=None,
                        constructions=cfg["constructions"], panels=cfg.get("panels"))
            total += time.perf_counter() - t0
    finally:
        run.construction_sample = orig
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--raw-dir", default=str(REPO / "data" / "raw"))
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()
    raw = str(Path(args.raw_dir).resolve())
    cfg = yaml.safe_load((REPO / "config.yaml").read_text())
    from saucegrid.grid.cells import cell_frame

    n_cells = len(cell_frame(cfg["grid"]))
    runs = {k: [] for k in ("cold", "noop", "fit1", "fit10")}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="saucegrid-bench-") as wd:
            wd = Path(wd)
            runs["cold"].append(snakemake(wd, raw, args.cores, *GRID_TARGETS,
                                          extra_config=OLS_ONLY))
            runs["noop"].append(snakemake(wd, raw, args.cores, *GRID_TARGETS,
                                          extra_config=OLS_ONLY))
            models = pd.read_parquet(wd / "results/data/models.parquet")
        runs["fit1"].append(in_process_fit(models, cfg))
        runs["fit10"].append(in_process_fit(models, cfg, scale=10))
    cold, noop, fit1, fit10 = (statistics.median(runs[k]) for k in
                               ("cold", "noop", "fit1", "fit10"))

    rows = [
        ("full grid, cold, from a clean results/", f"{cold:.1f} s", "<= 60 s", cold <= 60),
        ("in-process fit of the same cells", f"{fit1:.1f} s", "", None),
        ("workflow wall / in-process fit", f"{cold / fit1:.2f}x", "<= 3x", cold / fit1 <= 3),
        ("no-op rerun", f"{noop:.2f} s", "<= 3 s", noop <= 3),
        ("in-process fit, 10x resampled sample", f"{fit10:.1f} s", "", None),
        ("10x / 1x fit time", f"{fit10 / fit1:.2f}x", "<= 2x", fit10 / fit1 <= 2),
    ]
    print(f"{n_cells} cells, {args.cores} cores, medians of {args.runs} runs")
    for name, val, target, ok in rows:
        flag = "" if ok is None else ("met" if ok else "MISSED")
        print(f"  {name:<42} {val:>10}  {target:<8} {flag}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "cells": n_cells, "cores": args.cores, "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
