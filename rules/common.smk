# Shared setup: config validation, paths and input functions. No analysis logic lives here.
import os
import sys
from pathlib import Path

import pandas as pd
import yaml
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

BASE = Path(workflow.basedir)
DATA_DIR = BASE / "data"
BENCHMARKS = ["mmlu_pro", "math_l5"]

from saucegrid.settings import coerce_cli, problems

# typed values for --config 'wcr={draws: 999}'
for _section in ("wcr", "ri", "findings"):
    if isinstance(config.get(_section), dict):
        config[_section] = coerce_cli(config[_section])
validate(config, schema=str(BASE / "workflow/schemas/config.schema.yaml"))

_problems = problems(config)
if _problems:
    raise WorkflowError("config.yaml:\n- " + "\n- ".join(_problems))

CONSTRUCTIONS = config["constructions"]
PANELS = config.get("panels") or {}

from saucegrid.data import raw_inputs
from saucegrid.fileio import InputError

RAW_NAMES = sorted(config["raw_files"])
# a relative raw_dir is read from the project folder, whatever the working directory
_raw_abs = raw_inputs.resolve(config["raw_dir"], BASE)
RAW_DIR = os.path.relpath(_raw_abs)
try:  # every raw input present and pinned, before any job: all problems in one message
    raw_inputs.check(
        _raw_abs,
        config["raw_files"],
        shipped=config["raw_dir"] == raw_inputs.DEFAULT_DIR,
    )
except InputError as e:
    sys.exit(f"saucegrid: raw inputs: {e}")


CURATED = sorted(os.path.relpath(p) for p in DATA_DIR.glob("*.csv"))
PAPER = yaml.safe_load((DATA_DIR / "paper_reference.yaml").read_text())
MAJORS = config["developer_sets"][config["sample"]["devset"]]


def raw_path(name):
    return str(Path(RAW_DIR) / config["raw_files"][name]["path"])


def raw_paths():
    return {name: raw_path(name) for name in RAW_NAMES}


from saucegrid import imports

SCRIPTS = BASE / "workflow" / "scripts"
PKG = BASE / "workflow" / "saucegrid"


def code_of(script):
    """The package modules that workflow/scripts/<script>.py runs, read from the import graph
    (saucegrid.imports): inputs, so editing any of them re-runs the rule, and editing any other
    module does not. Paths are relative to the working directory, so a copy of the project
    keeps its record of what ran."""
    return [
        os.path.relpath(p)
        for p in imports.script_closure(SCRIPTS / f"{script}.py", PKG)
    ]


# ---------------------------------------------------------------------------- the grid
from snakemake.utils import Paramspace
from saucegrid.grid import cells

GRID = config["grid"]
GRID_PLUGINS = cells.load_plugins(GRID.get("plugins", []))
try:
    GRID_ALL = cells.cell_frame(GRID)
except ValueError as e:
    raise WorkflowError(f"config key grid: {e}") from None
_SUB = cells.sub_grid_of(GRID_ALL, GRID)
SUB_GRIDS = cells.sub_grids(GRID)
_NAMED = [n for n, sg in SUB_GRIDS.items() if sg["named"]]
_MAIN = GRID_ALL[~cells.named_cells(GRID_ALL, GRID)]
GRID_CELLS = (
    cells.paper_subset(_MAIN, cells.baseline_levels(GRID))
    if config["grid_subset"] == "paper"
    else _MAIN
)
# named sub-grids (grid.sub_grids, named: true): fitted only when a target asks for them
NAMED_CELLS = {n: GRID_ALL[_SUB == n] for n in _NAMED}
FIT_CELLS = pd.concat([GRID_CELLS, *NAMED_CELLS.values()])
# the enumeration order of the collated tables
GRID_ORDER = GRID_ALL["cell_id"][GRID_ALL.index.isin(FIT_CELLS.index)].tolist()


def _slices(frame):
    return Paramspace(
        frame[GRID["slice_by"]].drop_duplicates().reset_index(drop=True),
        filename_params=None,
    )


SLICES = _slices(FIT_CELLS)
MAIN_SLICES = list(_slices(GRID_CELLS).instance_patterns)
NAMED_SLICES = {n: list(_slices(f).instance_patterns) for n, f in NAMED_CELLS.items()}


def slice_files(patterns, kind):
    return expand(f"results/grid/slices/{{params}}/{kind}", params=patterns)


def built_slices(kind):
    """The main grid's slice files, then those of every named sub-grid whose slices have all
    been built (the collated tables include a named sub-grid once its target has run).
    """
    out = slice_files(MAIN_SLICES, kind)
    for pats in NAMED_SLICES.values():
        files = slice_files(pats, "cells.parquet")
        if all(os.path.exists(f) for f in files):
            out += slice_files(pats, kind)
    return out


def if_built(path):
    """[path] once a named target has built it, else []: an optional input."""
    return [path] if os.path.exists(path) else []


def slice_cells(wildcards):
    """The cells of one slice, as records: a param, so changing a level re-runs its slices."""
    m = FIT_CELLS[GRID["slice_by"]].eq(pd.Series(dict(wildcards))).all(axis=1)
    return FIT_CELLS[m].to_dict("records")


# the levels at which the paper's specifications are read off the grid: the baseline of every
# dimension (the default construction is `sample:` itself)
PAPER_LEVELS = cells.baseline_levels(GRID)


def paper_cell(**over):
    """The grid cell id of a paper specification at the paper levels."""
    return cells.id_at(GRID["dimensions"], **over)


BASELINE_CELL = paper_cell()
# Figure 2 / D.3 / E.3 / E.7 and Figure 4 / D.5 / E.4 / E.8: one fitted cell each
FIGURE_CELLS = {
    "mmlu_pro": paper_cell(),
    "math_l5": paper_cell(benchmark="math_l5"),
    "mmlu_pro_v0.7": paper_cell(link="v0.7"),
    "mmlu_pro_v1.2": paper_cell(link="v1.2"),
}


# ---------------------------------------------------------------------------- the default run
def default_targets():
    """Every artifact the default run (rule all) builds; named targets (size_power,
    interval_coverage) are built on request."""
    return [
        "results/findings.md",
        "results/findings.html",
        "results/figures/findings_forest.png",
        "results/data/models.parquet",
        expand("results/data/sample_{benchmark}.parquet", benchmark=BENCHMARKS),
        "results/data/coverage.md",
        expand(
            "results/tables/table_{table}.{ext}",
            table=["c1", "e1"],
            ext=["csv", "md", "tex"],
        ),
        "results/replication.md",
        "results/fidelity.md",
        "results/fidelity.html",
        "results/figures/fidelity.png",
        "results/grid/cells.parquet",
        "results/grid/summary.md",
        "results/figures/spec_curve.png",
        "results/figures/majors_forest.png",
        "results/out_of_sample.md",
        expand(
            "results/figures/cells/{cell}/{fig}.png",
            cell=FIGURE_CELLS.values(),
            fig=["main_results", "decomposition"],
        ),
        expand(
            "results/figures/{benchmark}/{fig}.png",
            benchmark=BENCHMARKS,
            fig=[
                "shapley_by_sample",
                "shapley_by_link",
                "shapley_by_time",
                "factors_by_time",
                "top_models",
                "logistic_fit",
            ],
        ),
        expand("results/tables/table_b1.{ext}", ext=["csv", "md", "tex"]),
        "results/run.json",
    ]
