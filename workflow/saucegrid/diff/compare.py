"""Comparing two loaded runs, table by table and key by key (the ``--json`` dict)."""

from __future__ import annotations

import contextlib
import fnmatch
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from saucegrid.diff import align, rank
from saucegrid.diff.runs import Run, TableSpec, load_run, read_table, table_specs
from saucegrid.fileio import InputError

DEFAULT_RTOL = 1e-9
DEFAULT_ATOL = 1e-12
# built-in per-column defaults (fnmatch patterns -> (rtol, atol)) for anything simulated
COLUMN_TOLERANCES: dict[str, tuple[float, float]] = {
    "p_wcr": (1e-6, 1e-9),
    "p_wcr_*": (1e-6, 1e-9),
    "ci_wcr_*": (1e-6, 1e-9),
}
# config keys that only locate inputs (their content is compared by hash): shown, not counted
LOCATION_KEYS = ("raw_dir",)
SIGN_COLUMNS = ("beta_c", "estimate")
STAR_COLUMNS = ("stars",)
N_COLUMNS = ("n_obs", "n_clusters")
JSON_LIMIT = 1000  # entries per list in the JSON output


# --------------------------------------------------------------------------------------------
# tolerances


@dataclass
class Tolerances:
    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL
    columns: dict[str, tuple[float, float]] = field(default_factory=dict)  # user overrides

    def for_column(self, col: str) -> tuple[float, float]:
        """A user override wins; else the looser of the global and the built-in default."""
        for pat, tol in self.columns.items():
            if fnmatch.fnmatchcase(col, pat):
                return tol
        for pat, (r, a) in COLUMN_TOLERANCES.items():
            if fnmatch.fnmatchcase(col, pat):
                return max(r, self.rtol), max(a, self.atol)
        return self.rtol, self.atol


def parse_tol(spec: str) -> tuple[str, tuple[float, float | None]]:
    """'COLUMN=RTOL[,ATOL]' -> (column, (rtol, atol or None))."""
    col, sep, vals = spec.partition("=")
    parts = vals.split(",")
    try:
        if not sep or not col or len(parts) > 2:
            raise ValueError
        rtol = float(parts[0])
        atol = float(parts[1]) if len(parts) == 2 else None
        if rtol < 0 or (atol is not None and atol < 0):
            raise ValueError
    except ValueError:
        raise InputError("--tol", f"cannot parse {spec!r}",
                         "write COLUMN=RTOL or COLUMN=RTOL,ATOL with non-negative numbers "
                         "(COLUMN may be a glob such as 'factor_*')") from None
    return col, (rtol, atol)


# --------------------------------------------------------------------------------------------
# comparing


def _fmt_key(vals) -> str:
    return " · ".join(str(v) for v in vals)


def _is_numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def _to_float(s: pd.Series) -> np.ndarray:
    return pd.to_numeric(s, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def _jsonable(v):
    if v is None:
        return None
    if isinstance(v, (np.floating, float)):
        f = float(v)
        if math.isnan(f):
            return None
        if math.isinf(f):
            return "inf" if f > 0 else "-inf"
        return f
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(v) if not isinstance(v, (int, str)) else v


def _nanmax(x: np.ndarray) -> float:
    x = x[~np.isnan(x)]
    return float(x.max()) if len(x) else np.nan


def numeric_changes(a: np.ndarray, b: np.ndarray, rtol: float, atol: float):
    """(changed mask, b - a, (b - a) / |a|) for two float arrays."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        both_nan = np.isnan(a) & np.isnan(b)
        same = (a == b) | both_nan
        finite = np.isfinite(a) & np.isfinite(b)
        close = finite & (np.abs(b - a) <= atol + rtol * np.maximum(np.abs(a), np.abs(b)))
        changed = ~(same | close)
        diff = b - a
        rel = np.where(a != 0, diff / np.abs(a), np.where(diff == 0, 0.0, np.inf * np.sign(diff)))
    return changed, diff, rel


def compare_table(spec: TableSpec, a: pd.DataFrame | None, b: pd.DataFrame | None,
                  tol: Tolerances) -> dict:
    out = {"table": spec.name, "path": spec.path, "key": list(spec.key),
           "rows_a": None if a is None else len(a), "rows_b": None if b is None else len(b),
           "presence": "both", "columns_added": [], "columns_removed": [], "added": [],
           "removed": [], "n_added": 0, "n_removed": 0, "changed_rows": 0, "changed_values": 0,
           "columns": [], "changes": [], "sign_flips": [], "star_changes": [], "n_obs_changes": [],
           "factors": {"ok": 0, "undefined": 0, "blown up": 0}}
    if a is None or b is None:
        out["presence"] = "only in A" if b is None else "only in B"
        return out
    key = list(spec.key)

    def keyed(df):
        df = df.copy()
        for k in key:  # stable string keys: 1 and "1" (csv vs parquet) are the same key
            df[k] = df[k].astype("string").fillna("<NA>")
        # a repeated key gets an occurrence number, so duplicates pair up in order
        df["__occ"] = df.groupby(key, sort=False).cumcount()
        return df

    a, b = keyed(a), keyed(b)
    kcols = [*key, "__occ"]
    ca = [c for c in a.columns if c not in kcols]
    cb = [c for c in b.columns if c not in kcols]
    out["columns_removed"] = [c for c in ca if c not in cb]
    out["columns_added"] = [c for c in cb if c not in ca]
    common = [c for c in ca if c in cb]
    m = a[kcols + common].merge(b[kcols + common], on=kcols, how="outer",
                                suffixes=("__a", "__b"), indicator=True, sort=False)

    def keys_of(df):
        return [_fmt_key([*r[:-1]] + ([f"#{r[-1] + 1}"] if r[-1] else []))
                for r in df[kcols].itertuples(index=False)]

    removed = m[m["_merge"] == "left_only"]
    added = m[m["_merge"] == "right_only"]
    out["removed"], out["added"] = keys_of(removed), keys_of(added)
    out["n_removed"], out["n_added"] = len(removed), len(added)
    both = m[m["_merge"] == "both"].reset_index(drop=True)
    bkeys = keys_of(both)
    cells_of = (both[key[0]].astype(str).tolist() if spec.grid else [None] * len(both))
    se_of = {c: s for c, s in spec.se if s in common}
    row_changed = np.zeros(len(both), bool)
    changes = []
    for c in common:
        sa, sb = both[f"{c}__a"], both[f"{c}__b"]
        rtol, atol = tol.for_column(c)
        if _is_numeric(a[c]) and _is_numeric(b[c]):
            fa, fb = _to_float(sa), _to_float(sb)
            ch, diff, rel = numeric_changes(fa, fb, rtol, atol)
            idx = np.flatnonzero(ch)
            if not len(idx):
                continue
            ad, rd = np.abs(diff[idx]), np.abs(rel[idx])
            col = {"column": c, "changed": len(idx), "max_abs_diff": _jsonable(_nanmax(ad)),
                   "max_rel_diff": _jsonable(_nanmax(rd)), "rtol": rtol, "atol": atol}
            out["columns"].append(col)
            se = _to_float(both[f"{se_of[c]}__a"]) if c in se_of else None
            first = len(changes)
            for i in idx:
                ch_i = rank.annotate(
                    {"key": bkeys[i], "cell": cells_of[i], "column": c, "a": _jsonable(fa[i]),
                     "b": _jsonable(fb[i]), "abs_diff": _jsonable(diff[i]),
                     "rel_diff": _jsonable(rel[i])}, None if se is None else float(se[i]))
                changes.append(ch_i)
                if c in SIGN_COLUMNS and fa[i] * fb[i] < 0:
                    out["sign_flips"].append({"key": bkeys[i], "cell": cells_of[i],
                                              "column": c, "a": _jsonable(fa[i]),
                                              "b": _jsonable(fb[i]), "z": ch_i["z"]})
                if c in N_COLUMNS:
                    out["n_obs_changes"].append({"key": bkeys[i], "column": c,
                                             "a": _jsonable(fa[i]), "b": _jsonable(fb[i])})
            if rank.is_factor(c):  # compared in log10; unreadable values counted apart
                col.update(rank.factor_column(changes[first:]))
        else:
            va = sa.astype("string").fillna("<NA>").to_numpy(dtype=object)
            vb = sb.astype("string").fillna("<NA>").to_numpy(dtype=object)
            ch = va != vb
            idx = np.flatnonzero(ch)
            if not len(idx):
                continue
            out["columns"].append({"column": c, "changed": len(idx), "max_abs_diff": None,
                                   "max_rel_diff": None, "rtol": None, "atol": None})
            for i in idx:
                changes.append(rank.annotate(
                    {"key": bkeys[i], "cell": cells_of[i], "column": c,
                     "a": _jsonable(sa.iloc[i]), "b": _jsonable(sb.iloc[i]), "abs_diff": None,
                     "rel_diff": None}, None))
                if c in STAR_COLUMNS:
                    out["star_changes"].append({"key": bkeys[i], "cell": cells_of[i],
                                                "column": c, "a": _jsonable(sa.iloc[i]) or "",
                                                "b": _jsonable(sb.iloc[i]) or ""})
        row_changed[idx] = True
    changes.sort(key=rank.rank_key)
    z_of = {(d["key"], d["column"]): d["z"] for d in changes}
    for s in out["star_changes"]:  # ranked by the move of the estimate they belong to
        s["z"] = z_of.get((s["key"], "estimate" if "estimate" in common else "beta_c"))
    out["sign_flips"] = rank.by_z(out["sign_flips"])
    out["star_changes"] = rank.by_z(out["star_changes"])
    out["factors"] = rank.factor_counts(changes)
    out["changes"] = changes
    out["changed_rows"] = int(row_changed.sum())
    out["changed_values"] = len(changes)
    return out


def table_differs(t: dict) -> bool:
    return bool(t["presence"] != "both" or t["n_added"] or t["n_removed"]
                or t["changed_values"] or t["columns_added"] or t["columns_removed"])


def _flatten(d, prefix=""):
    out = {}
    for k, v in d.items():
        name = f"{prefix}{k}"
        if isinstance(v, dict) and v:
            out.update(_flatten(v, name + "."))
        else:
            out[name] = v
    return out


def _pairs(a: dict, b: dict) -> list[dict]:
    fa, fb = _flatten(a or {}), _flatten(b or {})
    return [{"key": k, "a": fa.get(k), "b": fb.get(k)}
            for k in sorted(set(fa) | set(fb)) if fa.get(k) != fb.get(k)]


def compare_context(ia: dict, ib: dict) -> dict:
    """Config, inputs (counted) and code, packages, sizes (context) from the two run.json."""
    config = _pairs(ia["config"], ib["config"])
    for d in config:
        d["counted"] = d["key"].split(".")[0] not in LOCATION_KEYS
    inputs = []
    for kind in ("raw", "curated", "plugins"):
        for d in _pairs(ia["inputs"].get(kind, {}), ib["inputs"].get(kind, {})):
            inputs.append({"kind": kind, **d})
    code = {"a": {**(ia.get("git") or {}), **(ia.get("code") or {})},
            "b": {**(ib.get("git") or {}), **(ib.get("code") or {})}}
    return {
        "config_sha256": {"a": ia.get("config_sha256"), "b": ib.get("config_sha256")},
        "config": config,
        "inputs": inputs,
        "code": {**code, "same": code["a"] == code["b"]},
        "packages": _pairs(ia.get("packages", {}), ib.get("packages", {})),
        "sample_sizes": _pairs(ia.get("sample_sizes", {}), ib.get("sample_sizes", {})),
        "grid": _pairs(ia.get("grid", {}), ib.get("grid", {})),
    }


def _grid_tables(ra: Run, rb: Run, specs: list[TableSpec]) -> dict:
    """The grid tables of both runs keyed by the cells' levels (see diff.align)."""
    grid = [s for s in specs if s.grid]
    raw = {s.name: (read_table(ra, s), read_table(rb, s)) for s in grid}
    ca, cb = raw["cells"]
    ta, tb = raw.get("terms", (None, None))
    ca, cb, ta, tb, order, base = align.align(ca, cb, ta, tb, ra.info, rb.info)
    return {"cells": (ca, cb), "terms": (ta, tb), "order": order, "base": base}


def compare_runs(ra: Run, rb: Run, tol: Tolerances | None = None) -> dict:
    tol = tol or Tolerances()
    ctx = compare_context(ra.info, rb.info)
    specs = table_specs(ra.root, rb.root)
    grid = _grid_tables(ra, rb, specs)
    tables = []
    for spec in specs:
        a, b = grid[spec.name] if spec.grid else (read_table(ra, spec), read_table(rb, spec))
        tables.append(compare_table(spec, a, b, tol))
    ca, cb = grid["cells"]
    shared = ca[ca[align.KEY].isin(set(cb[align.KEY]))].set_index(align.KEY)[grid["order"]]
    breakdown = [r for t in tables if t["table"] in ("cells", "terms")
                 for r in rank.level_breakdown(t, shared)]
    benches = sorted(set(ca.get("benchmark", [])) | set(cb.get("benchmark", [])))
    keys = align.baseline_keys(grid["order"], grid["base"], benches) \
        if "benchmark" in grid["order"] else {}
    counted_ctx = any(d["counted"] for d in ctx["config"]) or bool(ctx["inputs"])
    differs = counted_ctx or any(table_differs(t) for t in tables)
    return {
        "equal": not differs,
        # the exit code: did any number the two runs share change?
        "shared_equal": not any(t["changed_values"] for t in tables),
        "run_a": ra.arg, "run_b": rb.arg,
        "tolerance": {"rtol": tol.rtol, "atol": tol.atol,
                      "columns": {**{k: list(v) for k, v in COLUMN_TOLERANCES.items()},
                                  **{k: list(v) for k, v in tol.columns.items()}}},
        "context": ctx,
        "dimensions": {"order": grid["order"], "baseline": grid["base"]},
        "headline": rank.headline(ca, cb, keys, align.KEY),
        "by_level": breakdown,
        "tables": tables,
    }


def compare(run_a: str | Path, run_b: str | Path, tol: Tolerances | None = None) -> dict:
    """Load and compare two runs (directories or archives); raise InputError on bad input."""
    with contextlib.ExitStack() as stack:
        ra = load_run(run_a, stack)
        rb = load_run(run_b, stack)
        return compare_runs(ra, rb, tol)


def to_json(result: dict, limit: int = JSON_LIMIT) -> str:
    """The result as JSON, every list capped at limit entries (``totals`` keeps the lengths)."""
    res = json.loads(json.dumps(result, default=_jsonable))
    for t in res["tables"]:
        lists = ("added", "removed", "changes", "sign_flips", "star_changes", "n_obs_changes")
        t["totals"] = {k: len(t[k]) for k in lists}
        t["totals"].update(added=t["n_added"], removed=t["n_removed"])
        for k in lists:
            t[k] = t[k][:limit]
    return json.dumps(res, indent=2, allow_nan=False)


