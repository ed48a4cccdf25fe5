"""Validators of the curated tables: each raises an InputError naming the file, the rows and the
fix."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from saucegrid.fileio import InputError, line_of


def regex(df: pd.DataFrame, col: str, path) -> None:
    for i, pat in df[col].items():
        try:
            re.compile(str(pat))
        except re.error as e:
            raise InputError(path, f"invalid regular expression {pat!r} ({e})",
                             "fix the pattern (Python re syntax)", row=line_of(i)) from None


def bool_(df: pd.DataFrame, col: str, path) -> pd.Series:
    s = df[col].astype(str).str.strip().str.lower()
    ok = s.isin(["true", "false"])
    if not ok.all():
        raise InputError(path, f"column {col!r} must be true or false, got "
                         f"{df.loc[~ok, col].tolist()[:5]}", "write true or false",
                         row=[line_of(i) for i in df.index[~ok]])
    return s.eq("true")


def nonempty(df: pd.DataFrame, cols: Iterable[str], path, what: str) -> None:
    for c in cols:
        empty = df[c].isna() | df[c].astype(str).str.strip().eq("")
        if empty.any():
            raise InputError(path, f"{what}: column {c!r} is empty",
                             f"fill in {c!r} (every fact needs its value and its source)",
                             row=[line_of(i) for i in df.index[empty]])


def enum(df: pd.DataFrame, col: str, allowed, path, why: str = "") -> None:
    bad = ~df[col].astype(str).str.strip().isin(allowed)
    if bad.any():
        raise InputError(path, f"column {col!r} has unknown value(s) "
                         f"{df.loc[bad, col].tolist()[:5]}",
                         f"use one of {list(allowed)}" + (f" ({why})" if why else ""),
                         row=[line_of(i) for i in df.index[bad]])


def active(df: pd.DataFrame, key: str, total: str, path, source: str) -> None:
    """Optional active-parameter counts (MoE): blank for dense models, else positive, at most
    the total, and with a source."""
    if "active_params_b" not in df:
        df["active_params_b"] = float("nan")
        return
    a = pd.to_numeric(df["active_params_b"], errors="coerce")
    given = df["active_params_b"].notna() & df["active_params_b"].astype(str).str.strip().ne("")
    t = pd.to_numeric(df[total], errors="coerce")
    bad = given & ~((a > 0) & (a <= t))
    if bad.any():
        raise InputError(path, f"active_params_b must be a positive number no larger than "
                         f"{total} for {df.loc[bad, key].tolist()[:5]}",
                         "write the documented active parameters in billions, or leave the "
                         "cell blank for a dense model", row=[line_of(i) for i in df.index[bad]])
    nosrc = given & (df[source].isna() | df[source].astype(str).str.strip().eq(""))
    if nosrc.any():
        raise InputError(path, f"active_params_b without a {source!r}",
                         f"give the source of every active-parameter count in {source!r}",
                         row=[line_of(i) for i in df.index[nosrc]])
    df["active_params_b"] = a


def known(ids: pd.Series, allowed, path, what: str, where: str, fix: str,
          casefold: bool = False) -> None:
    """Stop at the ids (naming their rows) that are not among the allowed ones."""
    fold = (lambda s: s.lower()) if casefold else (lambda s: s)
    bad = ~ids.astype(str).map(fold).isin({fold(str(a)) for a in allowed})
    if bad.any():
        raise InputError(path, f"{what} {ids[bad].tolist()[:5]} are not in {where}", fix,
                         row=[line_of(i) for i in ids.index[bad]])
