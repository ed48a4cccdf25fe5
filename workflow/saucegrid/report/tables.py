"""Regression tables in the style of an etable: a long machine form, and markdown / LaTeX forms.

The long form has one row per column x term with the columns ``column, term, estimate,
std_error, p_value, stars, n_obs, n_clusters, r2`` (plus ``omitted``: empty or collinear). The
human forms put coefficients with stars over clustered SEs in parentheses, "—" for omitted terms.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from tabulate import tabulate

from saucegrid.estimation.estimate import stars
from saucegrid.estimation.specs import LOG_FLOPS
from saucegrid.formatting import fmt_p

LONG_COLUMNS = ["column", "term", "estimate", "std_error", "p_value", "stars", "n_obs",
                "n_clusters", "r2", "omitted"]
WCR_COLUMNS = ["p_wcr", "ci_wcr_low", "ci_wcr_high", "stars_wcr"]
RI_COLUMNS = ["p_ri_beta", "p_ri_t", "n_placebo"]

NICE = {"xAI": "X-AI", "DeepSeek": "Deepseek"}


def term_label(term: str) -> str:
    if term == LOG_FLOPS:
        return "Log(FLOPs)"
    if term == "const":
        return "Constant"
    if " x " in term:
        a, b = term.split(" x ", 1)
        return f"{term_label(a)} × {term_label(b)}"
    kind, _, lv = term.partition(":")
    if kind == "period":
        return lv.replace("-", "–")
    if kind == "quarter":
        return lv.lower()
    if kind == "dev":
        if lv.startswith("other-"):
            return f"Other ({lv[6:]})"
        return NICE.get(lv, lv)
    return term


def long_table(fits: dict, term_order: list[str] | None = None) -> pd.DataFrame:
    """fits: column label -> Fit. Terms absent from a column but present elsewhere are listed
    with an empty estimate and omitted='absent'."""
    rows = []
    all_terms: list[str] = list(term_order or [])
    for f in fits.values():
        for t in list(f.names) + list(f.omitted):
            if t not in all_terms:
                all_terms.append(t)
    for col, f in fits.items():
        tab = f.table().set_index("term")
        for t in all_terms:
            base = {"column": col, "term": t, "n_obs": f.n, "n_clusters": f.g, "r2": f.r2}
            if t in tab.index:
                r = tab.loc[t]
                rows.append({**base, "estimate": r["estimate"], "std_error": r["std_error"],
                             "p_value": r["p_value"], "stars": r["stars"], "omitted": ""})
            else:
                rows.append({**base, "estimate": np.nan, "std_error": np.nan,
                             "p_value": np.nan, "stars": "",
                             "omitted": f.omitted.get(t, "absent")})
    return pd.DataFrame(rows, columns=LONG_COLUMNS)


def with_wcr(long: pd.DataFrame, terms: pd.DataFrame, column_cells: dict) -> pd.DataFrame:
    """Add the WCR bootstrap columns (p_wcr, ci_wcr_low, ci_wcr_high, stars_wcr) and the
    randomization-inference columns (p_ri_beta, p_ri_t, n_placebo) of each column's cell
    (column label -> cell_id in `terms`) to a long table."""
    have = [c for c in WCR_COLUMNS + RI_COLUMNS if c in terms]
    if not have:
        return long
    parts = []
    for col, cid in column_cells.items():
        t = terms.loc[terms["cell_id"] == cid, ["term", *have]].assign(column=col)
        parts.append(t)
    w = pd.concat(parts, ignore_index=True)
    out = long.merge(w, on=["column", "term"], how="left")
    if "stars_wcr" in out:
        out["stars_wcr"] = out["stars_wcr"].fillna("")
    return out


def _cells(long: pd.DataFrame, digits: int = 3, wcr_line: bool = False):
    """Table body: per term a coefficient line, an SE line and, with `wcr_line`, a line of
    [WCR p] and {RI-β p} (the latter for one-cluster developer effects), each with stars."""
    cols = list(dict.fromkeys(long["column"]))
    terms = list(dict.fromkeys(long["term"]))
    wcr_line = wcr_line and ("p_wcr" in long or "p_ri_beta" in long)
    body = []
    for t in terms:
        coef, se, wcr = [term_label(t)], [""], [""]
        for c in cols:
            r = long[(long["column"] == c) & (long["term"] == t)].iloc[0]
            if np.isfinite(r["estimate"]):
                coef.append(f"{r['estimate']:.{digits}f}{r['stars']}")
                se.append(f"({r['std_error']:.{digits}f})")
            else:
                coef.append("—")
                se.append("")
            pw, pr = r.get("p_wcr", np.nan), r.get("p_ri_beta", np.nan)
            cell = ""
            if wcr_line and np.isfinite(pw):
                cell = f"[{fmt_p(pw, digits)}]{r['stars_wcr']}"
            elif wcr_line and np.isfinite(pr):
                cell = f"{{{fmt_p(pr, digits)}}}{stars(pr)}"
            wcr.append(cell)
        body += [coef, se] + ([wcr] if wcr_line and any(wcr[1:]) else [])
    first = long.drop_duplicates("column").set_index("column")
    body.append(["N"] + [f"{int(first.loc[c, 'n_obs'])}" for c in cols])
    body.append(["Clusters"] + [f"{int(first.loc[c, 'n_clusters'])}" for c in cols])
    body.append(["R²"] + [f"{first.loc[c, 'r2']:.3f}" for c in cols])
    return cols, body


def wcr_note(wcr: dict) -> str:
    """The table note for the WCR line, from the ``wcr`` config."""
    w = wcr.get("weights", "auto")
    how = (f"Webb weights for {wcr.get('webb_max_clusters', 12)} clusters or fewer, else "
           "Rademacher" if w == "auto" else f"{w.capitalize()} weights")
    note = (f"Brackets: wild cluster restricted bootstrap p value (null imposed, {how}, "
            f"B = {wcr.get('draws')}), with its stars.")
    if not wcr.get("one_cluster", False):
        note += (" A developer effect identified by a single cluster (each major developer is "
                 "one cluster) gets no bracket: the bootstrap is unreliable there (MacKinnon "
                 "and Webb 2017, 2018).")
    note += (" Braces: randomization-inference p value (RI-β) of a one-cluster developer "
             "effect; null: the developer is no different from non-major developers of similar "
             "size (its effect within its size group against the same for placebo developers, "
             "every non-major developer with enough models), with its stars; none in samples "
             "without non-major developers, or with fewer than 19 placebos. See README.")
    return note


def ri_sets_note(cells: pd.DataFrame, terms: pd.DataFrame, cell_id: str, column: str) -> str:
    """The table note with the inverted randomization-inference sets of one column's majors
    (null: a major is no different from non-major developers of similar size), the majors'
    mean effect and the closed-testing count; '' where the column has none."""
    c = cells.set_index("cell_id").loc[cell_id]
    t = terms[(terms["cell_id"] == cell_id) & terms["ri_ci_low"].notna()]
    if not len(t):
        return ""
    bc = float(c["beta_c"])

    def fac(x):
        return f"{10 ** (x / bc):.2g}x" if bc > 0 and abs(x / bc) <= 6 else "undefined"
    sets = "; ".join(f"{r.term.removeprefix('dev:')} [{r.ri_ci_low:.2f}, {r.ri_ci_high:.2f}]"
                     for r in t.itertuples(index=False))
    note = (f"Column {column}, each major against non-major developers of similar size (its "
            f"size group; null: no difference), 95% sets by inverting the randomization t test, "
            f"in logits: {sets}.")
    lo, hi = c.get("mean_major_ci_low", np.nan), c.get("mean_major_ci_high", np.nan)
    if np.isfinite(lo) and np.isfinite(hi):
        note += (f" The majors' mean effect: {c['mean_major_effect']:.2f} [{lo:.2f}, "
                 f"{hi:.2f}], a compute factor of {fac(lo)} to {fac(hi)} at beta_c = {bc:.3f}.")
    note += (f" Closed testing across the majors (family-wise 5%) rejects "
             f"{int(c['majors_ri_closed_reject'])} of {int(c['majors_ri_tested'])}.")
    return note


def to_markdown(long: pd.DataFrame, headers: list[str], title: str = "",
                notes: str = "", wcr_line: bool = False) -> str:
    cols, body = _cells(long, wcr_line=wcr_line)
    text = tabulate(body, headers=[""] + headers, tablefmt="github", disable_numparse=True)
    out = [f"### {title}", ""] if title else []
    out += [text, ""]
    if notes:
        out += [notes, ""]
    return "\n".join(out)


def tex_escape(s: str) -> str:
    """Text as LaTeX: its special characters escaped, its symbols as math."""
    return (s.replace("&", r"\&").replace("%", r"\%").replace("_", r"\_").replace("^", r"\^{}")
            .replace("×", r"$\times$").replace("→", r"$\to$").replace("Δ", r"$\Delta$")
            .replace("—", "---").replace("–", "--").replace("R²", "$R^2$"))


def _tex_stars(cell: str) -> str:
    m = re.fullmatch(r"(.*?)(\*+)", cell)
    return f"{m.group(1)}$^{{{m.group(2)}}}$" if m else cell


def to_latex(long: pd.DataFrame, headers: list[str], caption: str = "", label: str = "",
             notes: str = "", wcr_line: bool = False) -> str:
    cols, body = _cells(long, wcr_line=wcr_line)
    align = "l" + "c" * len(cols)
    lines = [r"\begin{table}[htbp]", r"\centering"]
    if caption:
        lines.append(rf"\caption{{{tex_escape(caption)}}}")
    if label:
        lines.append(rf"\label{{{label}}}")
    lines += [rf"\begin{{tabular}}{{{align}}}", r"\toprule"]
    lines.append(" & ".join([""] + [tex_escape(h) for h in headers]) + r" \\")
    lines.append(" & ".join([""] + [f"({i + 1})" for i in range(len(cols))]) + r" \\")
    lines.append(r"\midrule")
    n_terms = len(body) - 3
    for i, row in enumerate(body):
        if i == n_terms:
            lines.append(r"\midrule")
        cells = [_tex_stars(tex_escape(x)) for x in row]
        lines.append(" & ".join(cells) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}"]
    if notes:
        lines.append(rf"\par\footnotesize {tex_escape(notes)}")
    lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Table B.1: the frontier and threshold decompositions of the baseline cell


B1_COMPONENTS = ("scaling", "shared", "company", "model", "total")


def table_b1(t: pd.DataFrame, paper: dict) -> tuple[list[str], list[list[str]]]:
    """(headers, rows) of Table B.1: each component's change in log-odds, ours next to the
    paper's, for each comparison of `t` (the cell's table_b1.csv; frontier first)."""
    rows = []
    for comp in B1_COMPONENTS:
        row = [f"Δ {comp}" if comp != "total" else "Total change"]
        for k, r in enumerate(t.itertuples()):
            ref = paper["frontier" if k == 0 else "threshold"]["delta"][comp]
            row += [f"{getattr(r, f'delta_{comp}'):+.2f}", f"{ref:+.1f}"]
        rows.append(row)
    heads = [""]
    for r in t.itertuples():
        name = (f"{r.comparison}: {r.from_model} ({r.from_score:.1%}, 10^{r.from_log10_flops:.1f}"
                f") → {r.to_model} ({r.to_score:.1%}, 10^{r.to_log10_flops:.1f})")
        heads += [f"ours — {name}", "paper"]
    return heads, rows


def table_b1_markdown(heads: list[str], rows: list[list[str]]) -> str:
    return ("### Table B.1: contributions to the change in log-odds\n\n"
            + tabulate(rows, headers=heads, tablefmt="github", disable_numparse=True) + "\n")


def table_b1_latex(heads: list[str], rows: list[list[str]]) -> str:
    lines = [r"\begin{table}[htbp]", r"\centering",
             r"\caption{Counterfactual contributions to benchmark scores in log-odds}",
             r"\begin{tabular}{l" + "c" * (len(heads) - 1) + "}", r"\toprule",
             " & ".join(["", *[tex_escape(h) for h in heads[1:]]]) + r" \\", r"\midrule"]
    lines += [" & ".join(tex_escape(x) for x in row) + r" \\" for row in rows]
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines) + "\n"
