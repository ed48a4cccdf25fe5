"""The ``saucegrid`` console command.

    saucegrid run [SNAKEMAKE ARGS...]    run the workflow in the current directory
    saucegrid fit SAMPLE [--link ...]    fit one specification on an analysis sample, print it
    saucegrid diff RUN_A RUN_B           what changed between two runs (exit 0 when no shared
                                         number changed, 1 when one did, 2 bad input)
    saucegrid cache prune [RESULTS]      remove cached cells the latest run did not use
    saucegrid fetch DIR                  download every raw input from its pinned URL into DIR
                                         and verify its sha256 (refreshes data/raw, or a mirror)
"""

from __future__ import annotations

import argparse
import subprocess
import sys

import pandas as pd
import yaml

from saucegrid import __version__


def _fit(args) -> int:
    from saucegrid.estimation import specs
    from saucegrid.grid import fit
    from saucegrid.report import tables

    sample = pd.read_parquet(args.sample)
    cfg = yaml.safe_load(open(args.configfile)) if args.configfile else None
    devsets = cfg["developer_sets"] if cfg else {args.devset: args.majors.split(",")}
    spec = specs.Spec(benchmark=args.benchmark, link=args.link, time=args.time,
                      devset=args.devset, sample=args.subsample, interaction=args.interaction)
    cells, terms = fit.fit_cells({spec.benchmark: sample}, [spec], devsets)
    c = cells.iloc[0]
    if c["status"] != "ok":
        print(f"{spec.cell_id}: {c['status']} ({c['reason']})", file=sys.stderr)
        return 1
    f = fit.fit_from_terms(terms, cells, spec.cell_id)
    long = tables.long_table({1: f})
    print(tables.to_markdown(long, [spec.cell_id]))
    print("Shapley shares: " + ", ".join(
        f"{k} {c[f'shapley_{k}']:.3f}" for k in ("scale", "time", "company", "residual")))
    return 0


def _diff(args) -> int:
    from saucegrid import diff
    from saucegrid.fileio import write_text

    tol = diff.Tolerances(rtol=args.rtol, atol=args.atol)
    for spec in args.tol:
        col, (rtol, atol) = diff.parse_tol(spec)
        tol.columns[col] = (rtol, args.atol if atol is None else atol)
    result = diff.compare(args.run_a, args.run_b, tol)
    if args.json:
        print(diff.to_json(result))
    else:
        print(diff.render(result, limit=args.limit), end="")
    if args.html:
        write_text(args.html, diff.render(result, limit=args.limit, fmt="html"))
    return 0 if result["shared_equal"] else 1


def _prune(args) -> int:
    from pathlib import Path

    from saucegrid.grid import cache

    results = Path(args.results)
    folder, keys = results / "grid" / "cache", results / "grid" / cache.KEYS_FILE
    if not keys.is_file():
        print(f"saucegrid cache prune: {keys} is missing, so which entries the latest run used "
              "is unknown. Fix: run the workflow (it writes the file), then prune.",
              file=sys.stderr)
        return 2
    keep = set(keys.read_text().split())
    removed, kept, freed = cache.prune(folder, keep, dry_run=args.dry_run)
    verb = "would remove" if args.dry_run else "removed"
    print(f"{folder}: {verb} {removed} entries ({freed / 1e6:.1f} MB) not used by the latest "
          f"run; kept {kept} of the {len(keep)} it used")
    return 0


def _fetch(args) -> int:
    from saucegrid.data import raw_inputs

    files = yaml.safe_load(open(args.configfile))["raw_files"]
    written = raw_inputs.fetch(args.dest, files, force=args.force,
                               progress=lambda m: print(m, file=sys.stderr))
    print(f"{len(files)} raw inputs verified in {args.dest} ({len(written)} downloaded); "
          f"use them with: snakemake --cores 2 --config raw_dir={args.dest}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="saucegrid", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"saucegrid {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True)

    r = sub.add_parser("run", help="run the workflow (arguments go to snakemake)")
    r.add_argument("snakemake_args", nargs=argparse.REMAINDER)

    f = sub.add_parser("fit", help="fit one specification on an analysis sample")
    f.add_argument("sample", help="an analysis sample (results/data/sample_*.parquet)")
    f.add_argument("--benchmark", default="mmlu_pro")
    f.add_argument("--link", default="v1.0")
    f.add_argument("--time", default="tri")
    f.add_argument("--devset", default="paper")
    f.add_argument("--sample", dest="subsample", default="full")
    f.add_argument("--interaction", default="none")
    f.add_argument("--configfile", default="config.yaml",
                   help="where developer_sets are read (default config.yaml; '' to use --majors)")
    f.add_argument("--majors", default="DeepSeek,Qwen,Meta,Google,Microsoft,OpenAI,Anthropic,"
                   "xAI,01-AI,Nvidia")

    d = sub.add_parser(
        "diff", help="compare two runs (results directories or archives of them)",
        description="Compare two runs: config and code first, then the baseline cells' headline "
        "numbers, then the changes ranked by |change|/SE. Cells are matched by their levels; a "
        "dimension one run lacks counts as its baseline level there. Exit 0 when every number "
        "the runs share is equal within tolerance (added or removed cells do not count), 1 "
        "when one changed, 2 on bad input.")
    d.add_argument("run_a", metavar="RUN_A", help="results directory (or its parent), or a "
                   ".tar.gz/.tgz/.tar/.zip archive of one")
    d.add_argument("run_b", metavar="RUN_B")
    d.add_argument("--rtol", type=float, default=None,
                   help="relative tolerance for every column (default 1e-9)")
    d.add_argument("--atol", type=float, default=None,
                   help="absolute tolerance for every column (default 1e-12)")
    d.add_argument("--tol", action="append", default=[], metavar="COLUMN=RTOL[,ATOL]",
                   help="tolerance for one column (or a glob such as 'factor_*'); repeatable")
    d.add_argument("--json", action="store_true", help="print JSON instead of markdown")
    d.add_argument("--html", metavar="FILE", help="also write the report as HTML to FILE")
    d.add_argument("--limit", type=int, default=20,
                   help="rows shown per list in the report (default 20)")

    fe = sub.add_parser(
        "fetch", help="download every raw input from its pinned URL and verify it",
        description="Download every raw input listed under raw_files: in config.yaml from its "
        "pinned URL into DIR (same relative paths), checking each sha256 before the file takes "
        "its name. Files already there with the pinned sha256 are kept. Exit 0 when every "
        "input is verified, 2 when any could not be fetched (all named in one message).")
    fe.add_argument("dest", metavar="DIR", help="the folder to fill (e.g. data/raw)")
    fe.add_argument("--configfile", default="config.yaml",
                    help="the config whose raw_files: are fetched (default config.yaml)")
    fe.add_argument("--force", action="store_true",
                    help="download again even the files that are already verified")

    c = sub.add_parser("cache", help="manage the grid's cell cache")
    csub = c.add_subparsers(dest="cache_cmd", required=True)
    pr = csub.add_parser(
        "prune", help="remove cached cells that the latest run did not use",
        description="Remove every entry of RESULTS/grid/cache whose key the latest run's slices "
        "did not use (RESULTS/grid/cache_keys.txt). A later run of another grid refits those "
        "cells.")
    pr.add_argument("results", nargs="?", default="results", metavar="RESULTS",
                    help="the results directory (default results)")
    pr.add_argument("--dry-run", action="store_true", help="count, remove nothing")

    args = p.parse_args(argv)
    if args.cmd == "cache":
        return _prune(args)
    if args.cmd == "run":
        extra = args.snakemake_args or ["--cores", "all"]
        return subprocess.call([sys.executable, "-m", "snakemake", *extra])
    if args.cmd == "fit":
        try:
            return _fit(args)
        except (OSError, ValueError, KeyError) as e:
            print(f"saucegrid fit: {e}", file=sys.stderr)
            return 2
    if args.cmd == "fetch":
        from saucegrid.fileio import InputError

        try:
            return _fetch(args)
        except (InputError, OSError) as e:
            print(f"saucegrid fetch: {e}", file=sys.stderr)
            return 2
    if args.cmd == "diff":
        from saucegrid.diff import DEFAULT_ATOL, DEFAULT_RTOL
        from saucegrid.fileio import InputError

        args.rtol = DEFAULT_RTOL if args.rtol is None else args.rtol
        args.atol = DEFAULT_ATOL if args.atol is None else args.atol
        try:
            return _diff(args)
        except InputError as e:
            print(f"saucegrid diff: {e}", file=sys.stderr)
            return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
