"""Benchmark the wild cluster restricted bootstrap against its targets (reports, never fails).

    python benchmarks/wcr.py [--raw-dir DIR] [--cores 2] [--draws 9999] [--runs 3]

Every figure is the median of --runs runs, measured on this machine:
  1. the whole default workflow (`snakemake`, every target, bootstrap, intervals and
     randomization inference on), cold from a clean results/. Target: <= 120 s wall on 2 cores
     at B = 9,999; and the same without the bootstrap (wcr.enabled: false), so the difference
     is what the bootstrap costs in wall time;
  2. in-process, one core: the bootstrap's CPU seconds summed over every cell of the default
     grid, split into the X-only draw products (x_part), the rest of the draw products
     (test_many), the p values and the test-inversion intervals. Target: <= 40 ms of CPU per
     cell on average. Beside it, the CPU of randomization inference per cell (its cost over the
     default grid);
  3. one real cell (MMLU-Pro baseline, full sample): a naive bootstrap that refits statsmodels
     OLS with cluster-robust standard errors for every draw, timed on a few draws of one
     coefficient and extrapolated to B draws of every bootstrapped coefficient, against our p
     values of the same coefficients (intervals excluded: the naive loop has none). Target:
     >= 20x faster.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

# one BLAS thread, as in the grid_slice jobs, before numpy is imported (process_time would
# otherwise add up the CPU of every BLAS thread)
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import yaml  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from grid import REPO, snakemake  # noqa: E402

PARTS = ("x_part", "test_many", "pvalues", "ci_many")


def workflow_cold(raw: str, cores: int, extra: str) -> tuple[float, Path]:
    wd = Path(tempfile.mkdtemp(prefix="saucegrid-bench-wcr-"))
    return snakemake(wd, raw, cores, extra_config=[extra]), wd


def in_process(models: pd.DataFrame, cfg: dict, draws: int) -> tuple[dict, float, int]:
    """CPU seconds of each bootstrap part, and of randomization inference, summed over every
    cell of the default grid."""
    from saucegrid.estimation.bootstrap import per_cell
    from saucegrid.grid import fit, run
    from saucegrid.grid.cells import cell_frame

    spent = dict.fromkeys(PARTS, 0.0)
    orig = {k: getattr(per_cell, k) for k in spent}
    ri_spent = [0.0]
    ri_orig = fit.randomization.ri_cell

    def timed(name):
        def f(*a, **k):
            t0 = time.process_time()
            out = orig[name](*a, **k)
            spent[name] += time.process_time() - t0
            return out
        return f

    def ri_timed(*a, **k):
        t0 = time.process_time()
        out = ri_orig(*a, **k)
        ri_spent[0] += time.process_time() - t0
        return out

    for k in spent:
        setattr(per_cell, k, timed(k))
    fit.randomization.ri_cell = ri_timed
    try:
        frame = cell_frame(cfg["grid"])
        for _, cells in frame.groupby(cfg["grid"]["slice_by"], sort=False):
            run.run_slice(models, cells, cfg["sample"], cfg["developer_sets"], None,
                        wcr={**cfg["wcr"], "draws": draws}, constructions=cfg["constructions"],
                        ri=cfg["ri"], panels=cfg.get("panels"))
    finally:
        for k, f in orig.items():
            setattr(per_cell, k, f)
        fit.randomization.ri_cell = ri_orig
    return spent, ri_spent[0], len(frame)


def naive_ratio(models: pd.DataFrame, cfg: dict, draws: int, n_loop: int = 40) -> dict:
    import statsmodels.api as sm

    from saucegrid.data import constructions
    from saucegrid.estimation import bootstrap, estimate, specs

    majors = cfg["developer_sets"][cfg["sample"]["devset"]]
    s = constructions.construction_sample(models, "mmlu_pro", cfg["sample"], {}, majors)
    d = specs.design(s, specs.Spec(), majors, cfg["sample"]["size_group_quantiles"])
    wcr = bootstrap.WCR.from_config({**cfg["wcr"], "draws": draws})
    skip = {"const"} | (set() if wcr.one_cluster else
                        estimate.one_cluster_terms(d.X, d.names, d.clusters))
    ks = [i for i, n in enumerate(d.names) if n not in skip]
    # ours: the p values of every bootstrapped coefficient (draws included, intervals excluded)
    t0 = time.perf_counter()
    Pp = bootstrap.prepare(d.X, d.y, d.clusters)
    V, _ = bootstrap.draws(Pp.G, draws, wcr.kind(Pp.G), wcr.seed)
    tests = bootstrap.test_many(Pp, ks, V)
    bootstrap.pvalues([tests[k] for k in ks])
    ours = time.perf_counter() - t0
    # naive: impose the null on one coefficient, then refit statsmodels per draw
    k = d.names.index(specs.LOG_FLOPS)
    keep = [j for j in range(d.X.shape[1]) if j != k]
    bt = np.linalg.lstsq(d.X[:, keep], d.y, rcond=None)[0]
    fitted = d.X[:, keep] @ bt
    u = d.y - fitted
    _, codes = np.unique(d.clusters, return_inverse=True)
    t0 = time.perf_counter()
    for b in range(n_loop):
        ys = fitted + u * V[codes, b]
        sm.OLS(ys, d.X).fit(cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)
    per_draw = (time.perf_counter() - t0) / n_loop
    naive = per_draw * draws * len(ks)
    return {"cell": specs.Spec().cell_id, "G": int(Pp.G), "coefficients": len(ks),
            "naive_extrapolated_s": naive, "ours_s": ours, "ratio": naive / ours}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--raw-dir", default=str(REPO / "data" / "raw"))
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--draws", type=int, default=9999)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()
    raw = str(Path(args.raw_dir).resolve())
    cfg = yaml.safe_load((REPO / "config.yaml").read_text())
    judged = args.draws == 9999 and args.cores == 2
    med = statistics.median

    on, off, cpu, parts, naive, ri_ms = [], [], [], [], [], []
    for _ in range(args.runs):
        t, wd = workflow_cold(raw, args.cores, f"wcr={{draws: {args.draws}}}")
        on.append(t)
        off.append(workflow_cold(raw, args.cores, "wcr={enabled: false}")[0])
        models = pd.read_parquet(wd / "results/data/models.parquet")
        spent, ri_s, n_cells = in_process(models, cfg, args.draws)
        parts.append(spent)
        ri_ms.append(1000 * ri_s / n_cells)
        cpu.append(1000 * sum(spent.values()) / n_cells)
        naive.append(naive_ratio(models, cfg, args.draws))
    cells = pd.read_parquet(wd / "results/grid/cells.parquet")
    n_ok = int((cells["status"] == "ok").sum())

    print(f"{len(cells)} cells ({n_ok} ok), B = {args.draws}, {args.cores} cores, medians of "
          f"{args.runs} runs" + ("" if judged else
                                 " (the targets are for B = 9,999 on 2 cores: not judged)"))
    rows = [
        ("default workflow, cold, bootstrap on", f"{med(on):.1f} s", "<= 120 s",
         med(on) <= 120 if judged else None),
        ("default workflow, cold, bootstrap off", f"{med(off):.1f} s", "", None),
        ("  bootstrap of every cell, wall", f"{med(on) - med(off):.1f} s", "", None),
        ("bootstrap CPU per cell, in-process, one core", f"{med(cpu):.1f} ms", "<= 40 ms",
         med(cpu) <= 40 if judged else None),
        *[(f"  {k}, summed over cells", f"{med(p[k] for p in parts):.1f} s", "", None)
          for k in PARTS],
        ("randomization inference CPU per cell (all cells)", f"{med(ri_ms):.1f} ms", "", None),
        (f"naive loop, one cell ({naive[0]['coefficients']} coef., G={naive[0]['G']})",
         f"{med(x['naive_extrapolated_s'] for x in naive):.0f} s", "", None),
        ("ours, same cell, p values", f"{med(x['ours_s'] for x in naive):.3f} s", "", None),
        ("naive / ours", f"{med(x['ratio'] for x in naive):.0f}x", ">= 20x",
         med(x["ratio"] for x in naive) >= 20),
    ]
    for name, val, target, ok in rows:
        flag = "" if ok is None else ("met" if ok else "MISSED")
        print(f"  {name:<46} {val:>10}  {target:<9} {flag}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "cells": len(cells), "draws": args.draws, "cores": args.cores, "runs": args.runs,
            "workflow_on_s": on, "workflow_off_s": off, "cpu_ms_per_cell": cpu,
            "parts_s": parts, "ri_cpu_ms_per_cell": ri_ms, "naive": naive}, indent=2))


if __name__ == "__main__":
    main()
