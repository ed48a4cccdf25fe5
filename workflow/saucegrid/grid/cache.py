"""The grid's per-cell cache, keyed by content: what a fit depends on, not what the cell is
called.

A cell's key hashes the sample rows it is fitted on (after its construction, panel and every
registered dimension), its spec, the developer set and size-group cut points, the inference
settings and the fitting code (:func:`saucegrid.imports.fit_code_hash`). A cell's name, its
levels and the plugin files that made its sample are not in the key: renaming a level, adding a
dimension, or editing a plugin in a way that leaves the sample unchanged costs no refit. Entries
hold the fitted numbers only; the caller attaches the cell's id and levels.

Every slice records the keys it used; :func:`prune` removes the entries no slice of the latest
run used (``saucegrid cache prune``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from saucegrid.fileio import write_text

KEYS_FILE = "cache_keys.txt"  # one key per line, beside the collated grid


def frame_hash(df: pd.DataFrame) -> str:
    """sha256 of a frame's column names and values (not its index)."""
    h = hashlib.sha256()
    h.update(",".join(map(str, df.columns)).encode())
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()


def _jsonable(x):
    if isinstance(x, (np.floating, float)):
        return float(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.bool_,)):
        return bool(x)
    return x


class CellCache:
    """Fitted cells on disk, one JSON file per key (``<folder>/<key[:2]>/<key>.json``); a
    folder of None caches nothing. ``used`` lists every key asked for, in order."""

    def __init__(self, folder: str | Path | None):
        self.folder = Path(folder) if folder else None
        self.hits = 0
        self.used: list[str] = []

    @staticmethod
    def key(*parts) -> str:
        return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str):
        """(row, terms) stored under key, or None."""
        self.used.append(key)
        if self.folder is None:
            return None
        p = self._path(key)
        if not p.is_file():
            return None
        try:
            d = json.loads(p.read_text())
        except (OSError, ValueError):
            return None
        self.hits += 1
        return d["row"], d["terms"]

    def put(self, key: str, row: dict, terms: list[dict]) -> None:
        if self.folder is None:
            return
        payload = {"row": {k: _jsonable(v) for k, v in row.items()},
                   "terms": [{k: _jsonable(v) for k, v in t.items()} for t in terms]}
        write_text(self._path(key), json.dumps(payload, allow_nan=True))


def strip(row: dict, terms: list[dict], names: set[str]) -> tuple[dict, list[dict]]:
    """A fitted cell without the fields that name it (its id and levels)."""
    return ({k: v for k, v in row.items() if k not in names},
            [{k: v for k, v in t.items() if k not in names} for t in terms])


def entries(folder: str | Path) -> list[Path]:
    folder = Path(folder)
    return sorted(folder.glob("??/*.json")) if folder.is_dir() else []


def prune(folder: str | Path, keep: set[str], dry_run: bool = False) -> tuple[int, int, int]:
    """Remove the entries whose key is not in `keep`: (removed, kept, bytes freed)."""
    removed = kept = freed = 0
    for p in entries(folder):
        if p.stem in keep:
            kept += 1
            continue
        removed += 1
        freed += p.stat().st_size
        if not dry_run:
            p.unlink()
    if not dry_run:
        for d in sorted(Path(folder).glob("??")):
            if d.is_dir() and not any(d.iterdir()):
                d.rmdir()
    return removed, kept, freed
