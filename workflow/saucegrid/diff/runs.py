"""Loading a run for ``saucegrid diff``: a results directory, the folder holding one, or an
archive of one; and the tables compared, each with its natural key."""

from __future__ import annotations

import contextlib
import json
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from saucegrid import runinfo
from saucegrid.fileio import InputError

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")


@dataclass(frozen=True)
class TableSpec:
    name: str  # shown in the report
    path: str  # relative to the results directory
    key: tuple[str, ...]
    required: bool = False
    grid: bool = False  # keyed by the cell's levels (diff.align), read by its cell_id
    se: tuple[tuple[str, str], ...] = ()  # (value column, its standard error column)

    @property
    def source_key(self) -> tuple[str, ...]:
        """The key columns the file itself must hold."""
        return tuple("cell_id" if k == "cell" else k for k in self.key)


def table_specs(root_a: Path, root_b: Path) -> list[TableSpec]:
    """The tables to compare: grid cells and terms, every sample and every paper table."""
    specs = [TableSpec("cells", "grid/cells.parquet", ("cell",), required=True, grid=True,
                       se=(("beta_c", "beta_c_se"),)),
             TableSpec("terms", "grid/terms.parquet", ("cell", "term"), grid=True,
                       se=(("estimate", "std_error"),))]
    names = {p.name for r in (root_a, root_b) for p in (r / "data").glob("sample_*.parquet")}
    for n in sorted(names):
        specs.append(TableSpec(n.removesuffix(".parquet"), f"data/{n}", ("model_id",)))
    names = {p.name for r in (root_a, root_b) for p in (r / "tables").glob("table_*.csv")}
    for n in sorted(names):
        key = ("comparison",) if n == "table_b1.csv" else ("column", "term")
        specs.append(TableSpec(n.removesuffix(".csv"), f"tables/{n}", key))
    return specs



# --------------------------------------------------------------------------------------------
# loading runs


@dataclass
class Run:
    arg: str  # as given on the command line
    root: Path  # the results directory
    info: dict


def _find_root(base: Path) -> Path | None:
    """The results directory at or below base: base itself, base/results, or one level down."""
    cands = [base, base / "results"]
    subdirs = sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []
    if len(subdirs) == 1:
        cands += [subdirs[0], subdirs[0] / "results"]
    for c in cands:
        if (c / "grid" / "cells.parquet").is_file() or (c / "run.json").is_file():
            return c
    return None


def _extract(path: Path, stack: contextlib.ExitStack) -> Path:
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="saucegrid-diff-")))
    try:
        if path.name.endswith(".zip"):
            with zipfile.ZipFile(path) as z:
                z.extractall(tmp)
        else:
            with tarfile.open(path) as t:
                if hasattr(tarfile, "data_filter"):
                    t.extractall(tmp, filter="data")
                else:  # pragma: no cover - python < 3.11.4
                    t.extractall(tmp)  # noqa: S202
    except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError) as e:
        raise InputError(path, f"cannot read the archive ({e})",
                         "pass an intact .tar.gz/.tgz/.tar/.zip of a results directory") from None
    return tmp


def load_run(arg: str | Path, stack: contextlib.ExitStack) -> Run:
    """Locate and check a run; archives are extracted into a temporary folder held by stack."""
    path = Path(arg)
    fix_dir = ("pass a results directory (or the folder holding results/) of a finished run, "
               "or an archive of one")
    if not path.exists():
        raise InputError(path, "no such run (the path does not exist)", fix_dir)
    if path.is_file():
        if not path.name.endswith(ARCHIVE_SUFFIXES):
            raise InputError(path, "is a file but not an archive",
                             "pass a directory or a " + "/".join(ARCHIVE_SUFFIXES) + " archive")
        base = _extract(path, stack)
    else:
        base = path
    root = _find_root(base)
    if root is None or not (root / "grid" / "cells.parquet").is_file():
        raise InputError(path, "is not a saucegrid run: results/grid/cells.parquet is missing",
                         fix_dir + "; rerun snakemake if the run did not finish")
    rj = root / "run.json"
    if not rj.is_file():
        raise InputError(path, "results/run.json is missing (a run from before run metadata, "
                         "or an unfinished one)",
                         "rerun the workflow (snakemake --cores 2 results/run.json) to write it")
    try:
        info = json.loads(rj.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise InputError(rj, f"cannot read run metadata ({e})",
                         "delete it and rerun snakemake results/run.json") from None
    if not isinstance(info, dict) or info.get("schema") != runinfo.SCHEMA:
        got = info.get("schema") if isinstance(info, dict) else None
        raise InputError(rj, f"incompatible run metadata schema {got!r} (this saucegrid "
                         f"reads schema {runinfo.SCHEMA})",
                         "rerun the workflow with this version of saucegrid to rewrite it")
    for k in ("config", "inputs"):
        if not isinstance(info.get(k), dict):
            raise InputError(rj, f"run metadata lacks {k!r}",
                             "delete it and rerun snakemake results/run.json")
    return Run(str(arg), root, info)


def read_table(run: Run, spec: TableSpec) -> pd.DataFrame | None:
    p = run.root / spec.path
    if not p.is_file():
        if spec.required:
            raise InputError(p, "missing", "rerun the workflow")
        return None
    try:
        df = pd.read_parquet(p) if p.suffix == ".parquet" else pd.read_csv(p)
    except Exception as e:  # pyarrow raises several types for a corrupt file
        raise InputError(p, f"cannot read the table ({type(e).__name__}: {e})",
                         "the run is corrupt: rerun the workflow (delete the file first)") from None
    missing = [k for k in spec.source_key if k not in df.columns]
    if missing:
        raise InputError(p, f"incompatible schema: no key column(s) {missing} (it has "
                         f"{list(df.columns)[:12]})",
                         "compare runs made by compatible versions of saucegrid, or rerun "
                         "the workflow")
    return df


