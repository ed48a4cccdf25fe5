"""The curated tables of the Artificial Analysis (AA) source: the crosswalk to parameters and
tokens, the families that always reason, and the AA / leaderboard score pairs."""

from __future__ import annotations

import pandas as pd

from saucegrid.data import checks
from saucegrid.fileio import InputError, line_of, read_csv_checked, require_positive

AA_LINKS = ("exact", "derivative", "family")
AA_MODES = ("non_reasoning", "reasoning", "hybrid_off")
LA_SNAPSHOTS = ("2025-02", "2026-03")
CROSSWALK_COLUMNS = ["aa_slug", "la_name", "la_snapshot", "link", "mode", "params_b",
                     "active_params_b", "tokens_t", "params_estimate", "tokens_estimate",
                     "facts_source", "source"]


def load_crosswalk(path) -> pd.DataFrame:
    """``data/aa_crosswalk.csv``: one row per AA entry used, its figures each with a source."""
    xw = read_csv_checked(path, CROSSWALK_COLUMNS, key="aa_slug",
                          what="Artificial Analysis crosswalk", dtype={"la_snapshot": str})
    checks.nonempty(xw, ["aa_slug", "la_snapshot", "link", "mode", "params_b", "tokens_t",
                        "params_estimate", "tokens_estimate", "facts_source", "source"], path,
                   "Artificial Analysis crosswalk")
    checks.enum(xw, "link", AA_LINKS, path)
    checks.enum(xw, "mode", AA_MODES, path)
    checks.enum(xw, "la_snapshot", LA_SNAPSHOTS, path)
    nola = xw["la_name"].isna() & xw["facts_source"].str.lower().str.contains("lifearchitect")
    if nola.any():
        raise InputError(path, "a row cites LifeArchitect but names no LifeArchitect row",
                         "fill in la_name", row=[line_of(i) for i in xw.index[nola]])
    for col, fix in (("params_b", "total parameters in billions"),
                     ("tokens_t", "training tokens in trillions")):
        require_positive(xw, col, path, "Artificial Analysis crosswalk", f"write the {fix}")
        xw[col] = xw[col].astype(float)
    checks.active(xw, "aa_slug", "params_b", path, "facts_source")
    xw["active_params_b"] = pd.to_numeric(xw["active_params_b"], errors="coerce")
    for col in ("params_estimate", "tokens_estimate"):
        xw[col] = checks.bool_(xw, col, path)
    return xw


def load_always_reasoning(path) -> pd.DataFrame:
    df = read_csv_checked(path, ["pattern", "model_family", "source"],
                          what="families that always reason")
    checks.nonempty(df, ["pattern", "source"], path, "families that always reason")
    checks.regex(df, "pattern", path)
    return df


def load_pairs(path) -> pd.DataFrame:
    """``data/aa_leaderboard_pairs.csv``: AA entries and the leaderboard model they are."""
    df = read_csv_checked(path, ["aa_slug", "leaderboard_id", "source"], key="aa_slug",
                          what="AA / leaderboard score pairs")
    checks.nonempty(df, ["aa_slug", "leaderboard_id", "source"], path,
                   "AA / leaderboard score pairs")
    return df
