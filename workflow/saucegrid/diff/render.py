"""The ``saucegrid diff`` report: markdown or HTML from the comparison dict."""

from __future__ import annotations

import json
import math

from tabulate import tabulate

from .compare import COLUMN_TOLERANCES, table_differs

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
