"""Formatting for the reports: numbers and p values as table cells, markdown tables, and a
markdown report as one HTML page."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def fmt_number(x, f: str = ".3f") -> str:
    """A table cell: x in format f; — for NaN, ∞ for infinities, .2e from 1e5 up; anything
    that is not a number as it is."""
    import numpy as np

    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if not np.isfinite(v):
        return "—" if np.isnan(v) else ("∞" if v > 0 else "−∞")
    return format(v, ".2e") if abs(v) >= 1e5 else format(v, f)


def fmt_p(p, digits: int = 3) -> str:
    """A p value with `digits` decimals, '< 0.001' (for 3) where it would print as 0; — for
    NaN. A bootstrap or randomization p value is never 0, so it is never printed as 0."""
    v = float(p)
    if v != v:
        return "—"
    floor = 10.0 ** -digits
    return f"< {floor:.{digits}f}" if v < floor else f"{v:.{digits}f}"


def markdown_table(df: pd.DataFrame, **kw) -> str:
    """A data frame as a GitHub markdown table, without its index (tabulate options in kw)."""
    from tabulate import tabulate

    return tabulate(df, headers="keys", tablefmt="github", showindex=False, **kw)


def markdown_html(text: str, title: str) -> str:
    """A markdown report as one standalone HTML page (for the Snakemake report)."""
    import html

    import markdown

    body = markdown.markdown(text, extensions=["tables"])
    style = ("body{font-family:sans-serif;max-width:1200px;margin:2em auto;font-size:14px}"
             "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
             "padding:2px 6px;font-size:12px}th{background:#f3f3f3}")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title><style>{style}</style></head><body>{body}</body></html>\n")
