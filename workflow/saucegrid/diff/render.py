"""The ``saucegrid diff`` report: markdown or HTML from the comparison dict."""

from __future__ import annotations

import json
import math

from tabulate import tabulate

from saucegrid.diff import rank
from saucegrid.diff.compare import COLUMN_TOLERANCES, table_differs

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


def _capped(doc: _Doc, title: str, items: list, limit: int, headers, row, level: int = 3):
    if not items:
        return
    more = f", showing {limit}" if len(items) > limit else ""
    doc.h(level, f"{title} ({len(items)}{more})")
    doc.table(headers, [row(d) for d in items[:limit]])


def _grid_line(result: dict) -> str:
    cells = next((t for t in result["tables"] if t["table"] == "cells"), None)
    if cells is None or cells["presence"] != "both":
        return ""
    shared = (cells["rows_a"] or 0) - cells["n_removed"]
    state = ("identical within tolerance" if not cells["changed_values"] else
             f"{cells['changed_rows']:,} of them changed")
    return (f"Grid cells: {cells['n_added']:,} added (only in B), {cells['n_removed']:,} removed "
            f"(only in A), {shared:,} shared: {state}.")


def _verdict(result: dict) -> list[str]:
    changed = [t for t in result["tables"] if t["changed_values"]]
    if result["shared_equal"]:
        first = "**No number the two runs share changed**"
    else:
        first = ("**Shared numbers changed**: " + ", ".join(
            f"{t['table']} {t['changed_values']:,} values in {t['changed_rows']:,} rows"
            for t in changed))
    tl = result["tolerance"]
    user = {k: v for k, v in tl["columns"].items() if k not in COLUMN_TOLERANCES
            or list(COLUMN_TOLERANCES[k]) != v}
    tol = (f" (rtol {tl['rtol']:g}, atol {tl['atol']:g}"
           + "".join(f"; {k}: rtol {v[0]:g}, atol {v[1]:g}" for k, v in user.items()) + ").")
    lines = [first + tol, _grid_line(result),
             "Exit code " + ("0: every shared number is equal." if result["shared_equal"]
                             else "1: a shared number changed.")]
    return [x for x in lines if x]


def _context(doc: _Doc, ctx: dict):
    doc.h(2, "Configuration and code")
    rows = []
    for d in ctx["config"]:
        note = "" if d["counted"] else " (location only)"
        rows.append(["config", d["key"] + note, _val(d["a"]), _val(d["b"])])
    for d in ctx["inputs"]:
        what = {"raw": "raw input", "curated": "curated table", "plugins": "plugin"}[d["kind"]]
        rows.append([f"{what} sha256", d["key"], _short(d["a"]), _short(d["b"])])
    code = ctx["code"]
    rows.append(["code", "git commit", _code_label(code["a"]), _code_label(code["b"])])
    for k, label in (("package_sha256", "package sha256"),
                     ("fit_sha256", "fitting code sha256 (the cell cache's key)")):
        if code["a"].get(k) != code["b"].get(k):
            rows.append(["code", label, _short(code["a"].get(k)), _short(code["b"].get(k))])
    for d in ctx["packages"]:
        rows.append(["package", d["key"], _val(d["a"]), _val(d["b"])])
    doc.table(["what", "key", "A", "B"], rows)
    if not ctx["config"] and not ctx["inputs"]:
        doc.p(f"Same config (sha256 {_short(ctx['config_sha256']['a'])}) and the same raw "
              "inputs, curated tables and plugins.")


def _headline(doc: _Doc, result: dict):
    rows = []
    for d in result.get("headline", []):
        a, b = d["a"], d["b"]
        delta = (_num(b - a) if isinstance(a, (int, float)) and isinstance(b, (int, float))
                 else "—")
        rows.append([d["benchmark"], d["label"], _num(a), _num(b), delta])
    if rows:
        doc.h(2, "Baseline cells: headline numbers")
        doc.p("The cell at the baseline (first) level of every dimension, per benchmark.")
        doc.table(["benchmark", "number", "A", "B", "B − A"], rows)


def _ranked(doc: _Doc, result: dict, limit: int):
    # every list is ranked across the tables, not table after table
    allc = [{**c, "table": t["table"]} for t in result["tables"] for c in t["changes"]]
    z = sorted((c for c in allc if c.get("z") is not None), key=lambda c: -c["z"])
    _capped(doc, "Changes ranked by |Δ|/SE", z, limit,
            ["table", "key", "column", "A", "B", "B − A", "|Δ|/SE(A)"],
            lambda d: [d["table"], _val(d["key"], 200), d["column"], _num(d["a"]),
                       _num(d["b"]), _num(d["abs_diff"]), f"{d['z']:.2f}"], level=2)
    fac = [c for c in allc if c.get("factor_state") is not None]
    if fac:
        n = {s: sum(c["factor_state"] == s for c in fac) for s in ("ok", "undefined",
                                                                    "blown up")}
        doc.h(2, "Compute factors (log10)")
        doc.p(f"{n['ok']:,} changed factors are readable on both sides and ranked by |Δ log10|; "
              f"{n['undefined']:,} are undefined on a side (NaN, infinite or ≤ 0) and "
              f"{n['blown up']:,} blown up (beyond 1e6× either way) on a side: counted, not "
              "ranked.")
        ok = sorted((c for c in fac if c["factor_state"] == "ok"),
                    key=lambda c: -abs(c["log10_diff"]))
        _capped(doc, "Largest readable changes", ok, limit,
                ["table", "key", "column", "A", "B", "Δ log10"],
                lambda d: [d["table"], _val(d["key"], 200), d["column"], _num(d["a"]),
                           _num(d["b"]), f"{d['log10_diff']:+.3f}"])
    flips = rank.by_z([{**f, "table": t["table"]} for t in result["tables"]
                       for f in t["sign_flips"]])
    stars = rank.by_z([{**s, "table": t["table"]} for t in result["tables"]
                       for s in t["star_changes"]])
    if flips or stars:
        doc.h(2, "Sign flips and significance-star changes")
        moved = {(r["table"], r["dimension"]) for r in result.get("by_level", [])
                 if r["sign_flips"] or r["star_changes"]}
        rows = [[r["table"], r["dimension"], r["level"], r["shared"], r["sign_flips"],
                 r["star_changes"]] for r in result.get("by_level", [])
                if (r["table"], r["dimension"]) in moved]
        if rows:
            doc.p("By dimension and level (shared cells at that level; a term's change counts "
                  "under its cell's levels):")
            doc.table(["table", "dimension", "level", "shared cells", "sign flips",
                       "star changes"], rows)
        _capped(doc, "Sign flips, by |Δ|/SE", flips, limit,
                ["table", "key", "column", "A", "B", "|Δ|/SE(A)"],
                lambda d: [d["table"], _val(d["key"], 200), d["column"], _num(d["a"]),
                           _num(d["b"]), "—" if d.get("z") is None else f"{d['z']:.2f}"])
        _capped(doc, "Star changes, by the estimate's |Δ|/SE", stars, limit,
                ["table", "key", "column", "A", "B", "|Δ|/SE(A)"],
                lambda d: [d["table"], _val(d["key"], 200), d["column"], d["a"] or "(none)",
                           d["b"] or "(none)", "—" if d.get("z") is None else f"{d['z']:.2f}"])
    other = [c for c in allc if c.get("z") is None and c.get("factor_state") is None]
    _capped(doc, "Other changed values, by relative change", other, limit,
            ["table", "key", "column", "A", "B", "abs diff", "rel diff"],
            lambda d: [d["table"], _val(d["key"], 200), d["column"], _val(d["a"]),
                       _val(d["b"]), _num(d["abs_diff"]), _num(d["rel_diff"])], level=2)


def _table_details(doc: _Doc, t: dict, limit: int):
    doc.h(3, f"{t['table']} ({t['path']}, key {' · '.join(t['key'])})")
    if t["presence"] != "both":
        doc.p(f"The table exists {t['presence']}.")
        return
    if t["columns_added"] or t["columns_removed"]:
        doc.p("Columns only in A: " + (", ".join(t["columns_removed"]) or "none")
              + ". Columns only in B: " + (", ".join(t["columns_added"]) or "none") + ".")
    if t["columns"]:
        doc.table(["changed column", "values", "max abs diff", "max rel diff", "rtol"],
                  [[c["column"], c["changed"], _col_max(c), _num(c["max_rel_diff"]),
                    _num(c["rtol"])] for c in t["columns"]])
    _capped(doc, "N changes", t["n_obs_changes"], limit, ["key", "column", "A", "B"],
            lambda d: [_val(d["key"], 200), d["column"], _num(d["a"]), _num(d["b"])], level=4)
    for title, keys, n in (("Added (only in B)", t["added"], t["n_added"]),
                           ("Removed (only in A)", t["removed"], t["n_removed"])):
        if n:
            more = f", showing {limit}" if n > limit else ""
            doc.h(4, f"{title} ({n}{more})")
            doc.table([" · ".join(t["key"])], [[_val(k, 200)] for k in keys[:limit]])


def _col_max(c: dict) -> str:
    if c.get("scale") != "log10":
        return _num(c["max_abs_diff"])
    top = "—" if c["max_abs_diff"] is None else f"{c['max_abs_diff']:.3f} in log10"
    return top + (f"; {c['unreadable']} unreadable" if c.get("unreadable") else "")


def render(result: dict, limit: int = 20, fmt: str = "markdown") -> str:
    """The report: the verdict; the config and code changes; the baseline cells' headline
    numbers; the changes ranked by |Δ|/SE; compute factors in log10; sign flips and star
    changes by dimension and level; then each table's details."""
    doc = _Doc(fmt)
    ctx = result["context"]
    doc.h(1, "saucegrid diff")
    doc.p(f"A: {result['run_a']}  \nB: {result['run_b']}" if fmt != "html" else
          f"A: {result['run_a']} — B: {result['run_b']}")
    for line in _verdict(result):
        doc.p(line)
    _context(doc, ctx)
    _headline(doc, result)

    doc.h(2, "Summary")
    srows = []
    for t in result["tables"]:
        status = ("equal" if not table_differs(t) else
                  t["presence"] if t["presence"] != "both" else
                  "differs" if t["changed_values"] else "rows or columns differ")
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
    _ranked(doc, result, limit)
    differing = [t for t in result["tables"] if table_differs(t)]
    if differing:
        doc.h(2, "Tables in detail")
        for t in differing:
            _table_details(doc, t, limit)
    return doc.text()
