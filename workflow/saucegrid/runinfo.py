"""Run metadata: ``results/run.json`` records what a run was made from.

It holds the git commit and dirty flag of the workflow checkout, a hash of the package source,
the full resolved config and its hash, the sha256 of every raw input (from the checksum stamps),
of every curated table and grid plugin, the package versions, the analysis-sample sizes and the
grid's cell counts by status. ``saucegrid diff`` reads it to explain why two runs differ.

Everything but the ``git`` block is a function of the run's inputs, code and environment, so two
clean runs of the same checkout on the same inputs write identical files (no timestamps).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyarrow.parquet as pq

from saucegrid import __version__
from saucegrid.fileio import InputError, write_text
from saucegrid.imports import fit_code_hash

SCHEMA = 1
PACKAGES = ("snakemake", "pandas", "numpy", "scipy", "statsmodels", "pyarrow", "matplotlib")
# top-level keys that are informational only: diff shows them but never counts them
CONTEXT_KEYS = ("git", "code", "packages")


def _sha256_bytes(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def normalise_config(config: Mapping) -> dict:
    """The config as plain JSON types (Snakemake may hand over its own mapping types)."""
    return json.loads(json.dumps(config, sort_keys=True, default=str))


def config_hash(config: Mapping) -> str:
    """sha256 of the config serialised as JSON with sorted keys."""
    return _sha256_bytes(json.dumps(normalise_config(config), sort_keys=True).encode())


def git_info(basedir: str | Path) -> dict:
    """Commit and dirty flag of the checkout holding basedir; None for both outside git."""

    def git(*args):
        return subprocess.run(["git", "-C", str(basedir), *args], capture_output=True,
                              text=True, timeout=60)

    try:
        head = git("rev-parse", "HEAD")
        if head.returncode != 0:
            return {"commit": None, "dirty": None}
        status = git("status", "--porcelain")
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    dirty = bool(status.stdout.strip()) if status.returncode == 0 else None
    return {"commit": head.stdout.strip(), "dirty": dirty}


def code_hash(package_dir: str | Path) -> str:
    """sha256 over the package's python files, subpackages included (relative paths and
    contents), in sorted order."""
    root = Path(package_dir)
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.py")):
        if "__pycache__" not in p.parts:
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def package_versions() -> dict:
    out = {"python": platform.python_version(), "saucegrid": __version__}
    for name in PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


def read_stamp(path: str | Path) -> str:
    """The sha256 in a checksum stamp written by rule verify_raw ('<sha256>  <path>')."""
    text = Path(path).read_text(encoding="utf-8").split()
    if not text or len(text[0]) != 64:
        raise InputError(path, "not a checksum stamp (expected '<sha256>  <path>')",
                         "delete the stamp and rerun the workflow to re-verify the raw input")
    return text[0]


def file_hashes(paths: Iterable[str | Path], prefix: str = "") -> dict:
    return {f"{prefix}{Path(p).name}": _sha256_bytes(Path(p).read_bytes()) for p in paths}


def build(config: Mapping, basedir: str | Path, stamps: Mapping[str, str | Path],
          curated: Iterable[str | Path], samples: Mapping[str, str | Path],
          cells: str | Path, plugins: Iterable[str | Path] = ()) -> dict:
    """The run metadata as a JSON-ready dict.

    basedir: the workflow's folder (for git); stamps: raw input name -> checksum stamp;
    curated: the data/*.csv files; samples: benchmark -> analysis sample parquet; cells:
    results/grid/cells.parquet. The code hash covers the saucegrid package that runs.
    """
    status = pq.read_table(cells, columns=["status"]).column("status").to_pylist()
    by_status: dict[str, int] = {}
    for s in status:
        by_status[str(s)] = by_status.get(str(s), 0) + 1
    cfg = normalise_config(config)
    return {
        "schema": SCHEMA,
        "git": git_info(basedir),
        "code": {"package_sha256": code_hash(Path(__file__).parent),
                 # what the cell cache keys on: a change here refits the grid
                 "fit_sha256": fit_code_hash()},
        "config_sha256": config_hash(cfg),
        "config": cfg,
        "inputs": {
            "raw": {name: read_stamp(p) for name, p in sorted(stamps.items())},
            "curated": dict(sorted(file_hashes(curated, "data/").items())),
            "plugins": {str(p): _sha256_bytes(Path(p).read_bytes()) for p in sorted(plugins)},
        },
        "packages": package_versions(),
        "sample_sizes": {b: pq.ParquetFile(p).metadata.num_rows
                         for b, p in sorted(samples.items())},
        "grid": {"cells": len(status), "by_status": dict(sorted(by_status.items()))},
    }


def dumps(info: Mapping) -> str:
    return json.dumps(info, indent=2, sort_keys=True) + "\n"


def write(path: str | Path, info: Mapping) -> None:
    write_text(path, dumps(info))
