"""Compare two runs: ``saucegrid diff RUN_A RUN_B``.

A run is a results directory (or the working directory holding ``results/``), or a ``.tar.gz``,
``.tgz``, ``.tar`` or ``.zip`` archive of one. It must hold ``grid/cells.parquet`` and
``run.json``.

What is compared, each table keyed by its natural key:

- ``grid/cells.parquet`` by ``cell_id`` (which encodes every grid dimension);
- ``grid/terms.parquet`` by (``cell_id``, ``term``);
- every analysis sample ``data/sample_<benchmark>.parquet`` by ``model_id``;
- the paper tables ``tables/table_<name>.csv``: C.1/E.1 by (``column``, ``term``), B.1 by
  ``comparison``;
- ``run.json``: the config (key by key), the raw input and curated table hashes, and, as context
  only, the code commit and package versions.

Numbers are equal when ``|b - a| <= atol + rtol * max(|a|, |b|)``; NaN equals NaN and an
infinity equals the same infinity. Every computation in the workflow is deterministic, so the
default is rtol 1e-9, atol 1e-12; :data:`COLUMN_TOLERANCES` gives looser defaults to columns that
come from simulation (a wild-cluster bootstrap's p values and intervals).

:func:`compare` returns a plain dict (the ``--json`` output); :func:`render` turns it into the
markdown (or HTML) report. Bad input raises :class:`saucegrid.io.InputError`.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import math
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from tabulate import tabulate

from . import runinfo
from .io import InputError

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
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")
JSON_LIMIT = 1000  # entries per list in the JSON output


@dataclass(frozen=True)
class TableSpec:
    name: str  # shown in the report
    path: str  # relative to the results directory
    key: tuple[str, ...]
    required: bool = False


def table_specs(root_a: Path, root_b: Path) -> list[TableSpec]:
    """The tables to compare: grid cells and terms, every sample and every paper table."""
    specs = [TableSpec("cells", "grid/cells.parquet", ("cell_id",), required=True),
             TableSpec("terms", "grid/terms.parquet", ("cell_id", "term"))]
    names = {p.name for r in (root_a, root_b) for p in (r / "data").glob("sample_*.parquet")}
    for n in sorted(names):
        specs.append(TableSpec(n.removesuffix(".parquet"), f"data/{n}", ("model_id",)))
    names = {p.name for r in (root_a, root_b) for p in (r / "tables").glob("table_*.csv")}
    for n in sorted(names):
        key = ("comparison",) if n == "table_b1.csv" else ("column", "term")
        specs.append(TableSpec(n.removesuffix(".csv"), f"tables/{n}", key))
    return specs


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
    missing = [k for k in spec.key if k not in df.columns]
    if missing:
        raise InputError(p, f"incompatible schema: no key column(s) {missing} (it has "
                         f"{list(df.columns)[:12]})",
                         "compare runs made by compatible versions of saucegrid, or rerun "
                         "the workflow")
    return df


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
           "columns": [], "changes": [], "sign_flips": [], "star_changes": [], "n_obs_changes": []}
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
            out["columns"].append({
                "column": c, "changed": len(idx),
                "max_abs_diff": _jsonable(_nanmax(ad)), "max_rel_diff": _jsonable(_nanmax(rd)),
                "rtol": rtol, "atol": atol})
            for i in idx:
                changes.append({"key": bkeys[i], "column": c, "a": _jsonable(fa[i]),
                                "b": _jsonable(fb[i]), "abs_diff": _jsonable(diff[i]),
                                "rel_diff": _jsonable(rel[i]),
                                "_mag": (abs(rel[i]) if not np.isnan(rel[i]) else np.inf,
                                         abs(diff[i]) if not np.isnan(diff[i]) else np.inf)})
                if c in SIGN_COLUMNS and fa[i] * fb[i] < 0:
                    out["sign_flips"].append({"key": bkeys[i], "column": c,
                                              "a": _jsonable(fa[i]), "b": _jsonable(fb[i])})
                if c in N_COLUMNS:
                    out["n_obs_changes"].append({"key": bkeys[i], "column": c,
                                             "a": _jsonable(fa[i]), "b": _jsonable(fb[i])})
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
                changes.append({"key": bkeys[i], "column": c, "a": _jsonable(sa.iloc[i]),
                                "b": _jsonable(sb.iloc[i]), "abs_diff": None,
                                "rel_diff": None, "_mag": (np.inf, np.inf)})
                if c in STAR_COLUMNS:
                    out["star_changes"].append({"key": bkeys[i], "column": c,
                                                "a": _jsonable(sa.iloc[i]) or "",
                                                "b": _jsonable(sb.iloc[i]) or ""})
        row_changed[idx] = True
    changes.sort(key=lambda d: (-d["_mag"][0], -d["_mag"][1]))
    for d in changes:
        del d["_mag"]
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


def compare_runs(ra: Run, rb: Run, tol: Tolerances | None = None) -> dict:
    tol = tol or Tolerances()
    ctx = compare_context(ra.info, rb.info)
    tables = []
    for spec in table_specs(ra.root, rb.root):
        tables.append(compare_table(spec, read_table(ra, spec), read_table(rb, spec), tol))
    counted_ctx = any(d["counted"] for d in ctx["config"]) or bool(ctx["inputs"])
    differs = counted_ctx or any(table_differs(t) for t in tables)
    return {
        "equal": not differs,
        "run_a": ra.arg, "run_b": rb.arg,
        "tolerance": {"rtol": tol.rtol, "atol": tol.atol,
                      "columns": {**{k: list(v) for k, v in COLUMN_TOLERANCES.items()},
                                  **{k: list(v) for k, v in tol.columns.items()}}},
        "context": ctx,
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


# --------------------------------------------------------------------------------------------
# the report


def _num(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return f"{v:.6g}"
    return str(v)


def _val(v, width: int = 60) -> str:
    if v is None:
        return "—"
    s = v if isinstance(v, str) else (_num(v) if isinstance(v, (int, float)) else
                                        json.dumps(v, default=str))
    s = s.replace("|", "\\|").replace("\n", " ")
    return s if len(s) <= width else s[: width - 1] + "…"


def _short(h) -> str:
    return "—" if h is None else str(h)[:12]


class _Doc:
    def __init__(self, fmt: str):
        self.fmt = fmt
        self.parts: list[str] = []

    def h(self, level: int, text: str):
        if self.fmt == "html":
            self.parts.append(f"<h{level}>{_esc(text)}</h{level}>")
        else:
            self.parts.append("#" * level + " " + text)

    def p(self, text: str):
        self.parts.append(f"<p>{_esc(text)}</p>" if self.fmt == "html" else text)

    def table(self, headers, rows):
        fmt = "html" if self.fmt == "html" else "github"
        self.parts.append(tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True))

    def text(self) -> str:
        body = "\n\n".join(str(p) for p in self.parts) + "\n"
        if self.fmt != "html":
            return body
        return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>saucegrid diff"
                "</title><style>body{font-family:sans-serif} table{border-collapse:collapse}"
                " td,th{border:1px solid #ccc;padding:2px 6px;font-size:90%}</style></head>"
                f"<body>\n{body}</body></html>\n")


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _code_label(c: dict) -> str:
    commit = c.get("commit")
    if commit is None:
        return "not a git checkout"
    return f"{commit[:12]}" + (" (dirty)" if c.get("dirty") else " (clean)")


def _capped(doc: _Doc, title: str, items: list, limit: int, headers, row):
    if not items:
        return
    more = f", showing {limit}" if len(items) > limit else ""
    doc.h(3, f"{title} ({len(items)}{more})")
    doc.table(headers, [row(d) for d in items[:limit]])


def render(result: dict, limit: int = 20, fmt: str = "markdown") -> str:
    """The report: configuration and inputs first, then a summary table, then details."""
    doc = _Doc(fmt)
    ctx = result["context"]
    tl = result["tolerance"]
    doc.h(1, "saucegrid diff")
    doc.p(f"A: {result['run_a']}  \nB: {result['run_b']}" if fmt != "html" else
          f"A: {result['run_a']} — B: {result['run_b']}")
    verdict = ("**identical within tolerance**" if result["equal"] else "**the runs differ**")
    user = {k: v for k, v in tl["columns"].items() if k not in COLUMN_TOLERANCES
            or list(COLUMN_TOLERANCES[k]) != v}
    doc.p(f"Result: {verdict} (rtol {tl['rtol']:g}, atol {tl['atol']:g}"
          + "".join(f"; {k}: rtol {v[0]:g}, atol {v[1]:g}" for k, v in user.items()) + ").")

    doc.h(2, "Configuration and inputs")
    rows = []
    for d in ctx["config"]:
        note = "" if d["counted"] else " (location only)"
        rows.append(["config", d["key"] + note, _val(d["a"]), _val(d["b"])])
    for d in ctx["inputs"]:
        what = {"raw": "raw input", "curated": "curated table", "plugins": "plugin"}[d["kind"]]
        rows.append([f"{what} sha256", d["key"], _short(d["a"]), _short(d["b"])])
    code = ctx["code"]
    rows.append(["code", "git commit", _code_label(code["a"]), _code_label(code["b"])])
    if code["a"].get("package_sha256") != code["b"].get("package_sha256"):
        rows.append(["code", "package sha256", _short(code["a"].get("package_sha256")),
                     _short(code["b"].get("package_sha256"))])
    for d in ctx["packages"]:
        rows.append(["package", d["key"], _val(d["a"]), _val(d["b"])])
    doc.table(["what", "key", "A", "B"], rows)
    if not ctx["config"] and not ctx["inputs"]:
        doc.p(f"Same config (sha256 {_short(ctx['config_sha256']['a'])}) and the same raw "
              "inputs, curated tables and plugins.")

    doc.h(2, "Summary")
    srows = []
    for t in result["tables"]:
        status = ("equal" if not table_differs(t) else
                  t["presence"] if t["presence"] != "both" else "differs")
        srows.append([t["table"], status, _num(t["rows_a"]), _num(t["rows_b"]), t["n_added"],
                      t["n_removed"], t["changed_rows"], t["changed_values"],
                      len(t["sign_flips"]), len(t["star_changes"]), len(t["n_obs_changes"])])
    doc.table(["table", "status", "rows A", "rows B", "added", "removed", "changed rows",
               "changed values", "sign flips", "star changes", "N changes"], srows)
    sizes = [f"{t['table']} {_num(t['rows_a'])} → {_num(t['rows_b'])}"
             for t in result["tables"]
             if t["table"].startswith("sample_") and t["rows_a"] != t["rows_b"]]
    sizes += [f"grid {d['key']} {_num(d['a'])} → {_num(d['b'])}" for d in ctx["grid"]]
    if sizes:
        doc.p("N changes: " + "; ".join(sizes) + ".")

    for t in result["tables"]:
        if not table_differs(t):
            continue
        doc.h(2, f"{t['table']} ({t['path']}, key {' · '.join(t['key'])})")
        if t["presence"] != "both":
            doc.p(f"The table exists {t['presence']}.")
            continue
        if t["columns_added"] or t["columns_removed"]:
            doc.p("Columns only in A: " + (", ".join(t["columns_removed"]) or "none")
                  + ". Columns only in B: " + (", ".join(t["columns_added"]) or "none") + ".")
        if t["columns"]:
            doc.h(3, "Changed columns")
            doc.table(["column", "changed", "max abs diff", "max rel diff", "rtol"],
                      [[c["column"], c["changed"], _num(c["max_abs_diff"]),
                        _num(c["max_rel_diff"]), _num(c["rtol"])] for c in t["columns"]])
        _capped(doc, "Largest changes", t["changes"], limit,
                ["key", "column", "A", "B", "abs diff", "rel diff"],
                lambda d: [_val(d["key"], 200), d["column"], _val(d["a"]), _val(d["b"]),
                           _num(d["abs_diff"]), _num(d["rel_diff"])])
        _capped(doc, "Sign flips", t["sign_flips"], limit, ["key", "column", "A", "B"],
                lambda d: [_val(d["key"], 200), d["column"], _num(d["a"]), _num(d["b"])])
        _capped(doc, "Significance-star changes", t["star_changes"], limit,
                ["key", "A", "B"],
                lambda d: [_val(d["key"], 200), d["a"] or "(none)", d["b"] or "(none)"])
        _capped(doc, "N changes", t["n_obs_changes"], limit, ["key", "column", "A", "B"],
                lambda d: [_val(d["key"], 200), d["column"], _num(d["a"]), _num(d["b"])])
        for title, keys, n in (("Added (only in B)", t["added"], t["n_added"]),
                               ("Removed (only in A)", t["removed"], t["n_removed"])):
            if n:
                more = f", showing {limit}" if n > limit else ""
                doc.h(3, f"{title} ({n}{more})")
                doc.table([" · ".join(t["key"])], [[_val(k, 200)] for k in keys[:limit]])
    return doc.text()
