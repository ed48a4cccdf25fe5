"""Ranking what moved between two runs, so the report leads with what matters.

- An estimate with a standard error (a cell's β_c, a term's coefficient) is ranked by
  z = |B − A| / SE_A: a move of two standard errors matters more than a large relative move of a
  noisy coefficient.
- A compute factor is compared in log10. One that is undefined (NaN, ≤ 0) or blown up (beyond
  ``decompose.FACTOR_MAX`` either way) on either side is counted apart, never ranked: the
  difference between 1e+209 and inf is not a change anyone can read.
- Everything else is ranked by its relative change, after those.
- Sign flips and significance-star changes are summarized by dimension and level first (are
  they all in one benchmark? one link?), then listed by z.
"""

from __future__ import annotations

import fnmatch
import math

import numpy as np
import pandas as pd

from saucegrid.estimation.decompose import FACTOR_MAX

FACTOR_PATTERNS = ("*factor*", "compute_spread_*")
HEADLINE = (("beta_c", "β_c"), ("shared_progress_factor", "shared progress ×"),
            ("shapley_company", "company share"), ("r2", "R²"), ("n_obs", "N"))


def is_factor(column: str) -> bool:
    return any(fnmatch.fnmatchcase(column, p) for p in FACTOR_PATTERNS)


def factor_state(a: float, b: float) -> str:
    """'ok' when both are readable factors; else 'undefined' (NaN, infinite, ≤ 0 on a side) or
    'blown up' (beyond FACTOR_MAX or below its inverse on a side)."""
    vals = (a, b)
    if any(v is None or not math.isfinite(v) or v <= 0 for v in vals):
        return "undefined"
    if any(v > FACTOR_MAX or v < 1 / FACTOR_MAX for v in vals):
        return "blown up"
    return "ok"


def annotate(change: dict, se_a: float | None) -> dict:
    """Add z (|Δ|/SE_A) or the factor comparison (log10_diff, factor_state) to a change."""
    a, b, col = change["a"], change["b"], change["column"]
    change["z"] = None
    change["log10_diff"] = None
    change["factor_state"] = None
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        if is_factor(col) and (a is None or b is None or isinstance(a, str)
                               or isinstance(b, str)):
            change["factor_state"] = "undefined"
        return change
    if is_factor(col):
        state = factor_state(float(a), float(b))
        change["factor_state"] = state
        if state == "ok":
            change["log10_diff"] = math.log10(b) - math.log10(a)
        return change
    if se_a is not None and math.isfinite(se_a) and se_a > 0 and math.isfinite(a - b):
        change["z"] = abs(b - a) / se_a
    return change


def factor_column(changes: list[dict]) -> dict:
    """A changed factor column's summary: its largest readable move in log10 (as max_abs_diff,
    with scale 'log10'), and how many of its changes are unreadable."""
    ok = [abs(c["log10_diff"]) for c in changes if c["factor_state"] == "ok"]
    return {"scale": "log10", "max_abs_diff": max(ok) if ok else None, "max_rel_diff": None,
            "unreadable": sum(c["factor_state"] != "ok" for c in changes)}


def rank_key(change: dict):
    """Sort key: z-ranked first, then readable factors by |Δlog10|, then other numbers by
    |relative change|, then unreadable factors and text."""
    if change.get("z") is not None:
        return (0, -change["z"])
    if change.get("factor_state") == "ok":
        return (1, -abs(change["log10_diff"]))
    if change.get("factor_state") is None and isinstance(change.get("rel_diff"), (int, float)):
        r = change["rel_diff"]
        return (2, -(abs(r) if math.isfinite(r) else math.inf))
    return (3, 0.0)


def by_z(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda d: -(d.get("z") if d.get("z") is not None else -1.0))


def level_breakdown(table: dict, levels: pd.DataFrame) -> list[dict]:
    """Sign flips and star changes of one grid table, counted by dimension and level, with
    the number of shared cells at that level: every level of each dimension where any moved.
    `levels`: the shared cells' levels, indexed by canonical key."""
    rows = []
    flips = pd.Series([d["cell"] for d in table["sign_flips"]], dtype="string")
    stars = pd.Series([d["cell"] for d in table["star_changes"]], dtype="string")
    if not len(flips) and not len(stars):
        return rows
    for dim in levels.columns:
        lv = levels[dim]
        if lv.nunique() < 2:
            continue
        f = lv.reindex(flips.to_numpy()).value_counts()
        s = lv.reindex(stars.to_numpy()).value_counts()
        n = lv.value_counts()
        for level in n.index:
            rows.append({"table": table["table"], "dimension": dim, "level": str(level),
                         "shared": int(n[level]), "sign_flips": int(f.get(level, 0)),
                         "star_changes": int(s.get(level, 0))})
    return rows


def headline(cells_a: pd.DataFrame, cells_b: pd.DataFrame, keys: dict[str, str],
             key_col: str) -> list[dict]:
    """The baseline cell's headline numbers in each run, per benchmark."""
    ia, ib = cells_a.set_index(key_col), cells_b.set_index(key_col)
    out = []
    for bench, k in keys.items():
        for col, label in HEADLINE:
            va = ia.at[k, col] if k in ia.index and col in ia.columns else None
            vb = ib.at[k, col] if k in ib.index and col in ib.columns else None
            out.append({"benchmark": bench, "cell": k, "column": col, "label": label,
                        "a": _num(va), "b": _num(vb)})
    return out


def _num(v):
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        return None
    return float(v) if isinstance(v, (float, np.floating)) else int(v)


def factor_counts(changes: list[dict]) -> dict[str, int]:
    """How many changed compute factors are readable, undefined or blown up."""
    out = {"ok": 0, "undefined": 0, "blown up": 0}
    for c in changes:
        if c.get("factor_state") in out:
            out[c["factor_state"]] += 1
    return out
