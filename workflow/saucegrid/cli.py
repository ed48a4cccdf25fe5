"""The ``saucegrid`` console command.

    saucegrid run [SNAKEMAKE ARGS...]    run the workflow in the current directory
    saucegrid fit SAMPLE [--link ...]    fit one specification on an analysis sample, print it
"""

from __future__ import annotations

import argparse
import subprocess
import sys

import pandas as pd
import yaml

from . import __version__


def _fit(args) -> int:
    from . import grid, specs, tables

    sample = pd.read_parquet(args.sample)
    cfg = yaml.safe_load(open(args.configfile)) if args.configfile else None
    devsets = cfg["developer_sets"] if cfg else {args.devset: args.majors.split(",")}
    spec = specs.Spec(benchmark=args.benchmark, link=args.link, time=args.time,
                      devset=args.devset, sample=args.subsample, interaction=args.interaction)
    cells, terms = grid.fit_cells({spec.benchmark: sample}, [spec], devsets)
    c = cells.iloc[0]
    if c["status"] != "ok":
        print(f"{spec.cell_id}: {c['status']} ({c['reason']})", file=sys.stderr)
        return 1
    f = grid.fit_from_terms(terms, cells, spec.cell_id)
    long = tables.long_table({1: f})
    print(tables.to_markdown(long, [spec.cell_id]))
    print("Shapley shares: " + ", ".join(
        f"{k} {c[f'shapley_{k}']:.3f}" for k in ("scale", "time", "company", "residual")))
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

    args = p.parse_args(argv)
    if args.cmd == "run":
        extra = args.snakemake_args or ["--cores", "all"]
        return subprocess.call([sys.executable, "-m", "snakemake", *extra])
    if args.cmd == "fit":
        try:
            return _fit(args)
        except (OSError, ValueError, KeyError) as e:
            print(f"saucegrid fit: {e}", file=sys.stderr)
            return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
