"""The project's hand-curated tables (data/*.csv): loaded and validated, one fact per row.

A malformed table fails with an :class:`saucegrid.io.InputError` that names the file, the rows and
the fix.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .io import InputError, line_of, read_csv_checked, require_positive


@dataclass
class Curated:
    """The project's hand-curated tables, validated."""

    base_model_tokens: pd.DataFrame
    lineage_links: pd.DataFrame
    family_patterns: pd.DataFrame
    developers: pd.DataFrame
    reasoning_models: pd.DataFrame
    external_scores: pd.DataFrame
    cross_source_links: pd.DataFrame
    leaderboard_backfill: pd.DataFrame
    reward_models: pd.DataFrame
    moe_active_params: pd.DataFrame
    aa_crosswalk: pd.DataFrame
    paths: dict = field(default_factory=dict)


CURATED_FILES = {
    "base_model_tokens": "base_model_tokens.csv",
    "lineage_links": "lineage_links.csv",
    "family_patterns": "family_patterns.csv",
    "developers": "developers.csv",
    "reasoning_models": "reasoning_models.csv",
    "external_scores": "external_scores.csv",
    "cross_source_links": "cross_source_links.csv",
    "leaderboard_backfill": "leaderboard_backfill.csv",
    "reward_models": "reward_models.csv",
    "moe_active_params": "moe_active_params.csv",
    "aa_crosswalk": "aa_crosswalk.csv",
}
LINK_RELATIONS = ("same_weights", "parent", "corrects_field")
REWARD_KINDS = ("reward_model", "process_reward_model", "classifier")
AA_LINKS = ("exact", "derivative", "family")
# protocols the paper's MMLU-Pro sources use: TIGER-Lab accepts 5-shot runs and self-reports
EXTERNAL_SCORE_KINDS = ("self_reported", "tiger_lab")
AA_MODES = ("non_reasoning", "reasoning", "hybrid_off")


def _check_regex(df: pd.DataFrame, col: str, path) -> None:
    for i, pat in df[col].items():
        try:
            re.compile(str(pat))
        except re.error as e:
            raise InputError(path, f"invalid regular expression {pat!r} ({e})",
                             "fix the pattern (Python re syntax)", row=line_of(i)) from None


def _check_bool(df: pd.DataFrame, col: str, path) -> pd.Series:
    s = df[col].astype(str).str.strip().str.lower()
    ok = s.isin(["true", "false"])
    if not ok.all():
        raise InputError(path, f"column {col!r} must be true or false, got "
                         f"{df.loc[~ok, col].tolist()[:5]}", "write true or false",
                         row=[line_of(i) for i in df.index[~ok]])
    return s.eq("true")


def _check_nonempty(df: pd.DataFrame, cols: Iterable[str], path, what: str) -> None:
    for c in cols:
        empty = df[c].isna() | df[c].astype(str).str.strip().eq("")
        if empty.any():
            raise InputError(path, f"{what}: column {c!r} is empty",
                             f"fill in {c!r} (every fact needs its value and its source)",
                             row=[line_of(i) for i in df.index[empty]])


def load_curated(data_dir: str | os.PathLike) -> Curated:
    """Load and validate every curated table in data_dir."""
    d = Path(data_dir)
    p = {k: d / v for k, v in CURATED_FILES.items()}

    tok = read_csv_checked(
        p["base_model_tokens"],
        ["base_model", "family", "params_b", "tokens_t", "is_estimate", "source"],
        key="base_model", what="base-model token table", dtype={"base_model": str},
    )
    _check_nonempty(tok, ["base_model", "source"], p["base_model_tokens"], "token table")
    require_positive(tok, "tokens_t", p["base_model_tokens"], "token table",
                     "pretraining tokens are in trillions and must be > 0")
    tok["tokens_t"] = tok["tokens_t"].astype(float)
    tok["is_estimate"] = _check_bool(tok, "is_estimate", p["base_model_tokens"])
    _check_active(tok, "base_model", "params_b", p["base_model_tokens"], "active_source")

    links = read_csv_checked(p["lineage_links"], ["model_id", "parent_id", "relation", "source"],
                             key="model_id", what="lineage links")
    _check_nonempty(links, ["model_id", "parent_id", "relation", "source"], p["lineage_links"],
                    "lineage links")
    _check_enum(links, "relation", LINK_RELATIONS, p["lineage_links"])
    known = set(tok["base_model"].str.lower())
    self_ref = links["model_id"].str.lower() == links["parent_id"].str.lower()
    if self_ref.any():
        raise InputError(p["lineage_links"], "a model is linked to itself",
                         "a link must name a different parent",
                         row=[line_of(i) for i in links.index[self_ref]])

    pats = read_csv_checked(p["family_patterns"], ["pattern", "base_model"],
                            what="family name patterns")
    _check_regex(pats, "pattern", p["family_patterns"])
    unknown = ~pats["base_model"].str.lower().isin(known)
    if unknown.any():
        raise InputError(p["family_patterns"],
                         f"pattern points at base model(s) not in base_model_tokens.csv: "
                         f"{pats.loc[unknown, 'base_model'].tolist()[:5]}",
                         "add the base model to data/base_model_tokens.csv or fix the name",
                         row=[line_of(i) for i in pats.index[unknown]])

    dev = read_csv_checked(p["developers"], ["alias", "developer", "source"], key="alias",
                           what="developer map")
    _check_nonempty(dev, ["alias", "developer"], p["developers"], "developer map")

    rsn = read_csv_checked(p["reasoning_models"], ["pattern", "source"],
                           what="reasoning-model list")
    _check_regex(rsn, "pattern", p["reasoning_models"])
    _check_nonempty(rsn, ["pattern", "source"], p["reasoning_models"], "reasoning-model list")

    ext = read_csv_checked(p["external_scores"], ["model", "benchmark", "score", "score_kind",
                                                  "source"],
                           key=["model", "benchmark"], what="external scores")
    _check_nonempty(ext, ["model", "benchmark", "score", "source"], p["external_scores"],
                    "external scores")
    sc = pd.to_numeric(ext["score"], errors="coerce")
    bad = ~((sc > 0) & (sc < 1))
    if bad.any():
        raise InputError(p["external_scores"],
                         f"score must be a raw accuracy strictly between 0 and 1, got "
                         f"{ext.loc[bad, 'score'].tolist()[:5]}",
                         "write scores on the 0-1 scale (e.g. 0.726, not 72.6)",
                         row=[line_of(i) for i in ext.index[bad]])
    ext["score"] = sc
    _check_enum(ext, "score_kind", EXTERNAL_SCORE_KINDS, p["external_scores"],
                "Artificial Analysis scores run their own protocol: they enter only through "
                "data/aa_crosswalk.csv and the aa_standin construction, with a score-source "
                "dummy")

    xs = read_csv_checked(p["cross_source_links"],
                          ["source", "source_name", "relation", "target"],
                          key=["source", "source_name", "relation"],
                          what="cross-source links")
    badrel = ~xs["relation"].isin(["same_as_leaderboard", "lifearchitect_name"])
    if badrel.any():
        raise InputError(p["cross_source_links"], "unknown relation "
                         f"{xs.loc[badrel, 'relation'].tolist()[:3]}",
                         "use same_as_leaderboard or lifearchitect_name",
                         row=[line_of(i) for i in xs.index[badrel]])

    bf = read_csv_checked(p["leaderboard_backfill"], ["model_id", "field", "value", "source"],
                          key=["model_id", "field"], what="leaderboard backfill",
                          casefold=False)
    badf = ~bf["field"].isin(["upload_date", "base_model"])
    if badf.any():
        raise InputError(p["leaderboard_backfill"], "unknown field", "use upload_date or "
                         "base_model", row=[line_of(i) for i in bf.index[badf]])

    rwd = read_csv_checked(p["reward_models"], ["pattern", "kind", "source"],
                           what="reward-model list")
    _check_nonempty(rwd, ["pattern", "kind", "source"], p["reward_models"], "reward-model list")
    _check_regex(rwd, "pattern", p["reward_models"])
    _check_enum(rwd, "kind", REWARD_KINDS, p["reward_models"])

    moe = read_csv_checked(p["moe_active_params"], ["model", "active_params_b",
                                                    "total_params_b", "source"],
                           key="model", what="MoE active parameters")
    _check_nonempty(moe, ["model", "source"], p["moe_active_params"], "MoE active parameters")
    require_positive(moe, "total_params_b", p["moe_active_params"], "MoE active parameters",
                     "write the documented total in billions")
    _check_active(moe, "model", "total_params_b", p["moe_active_params"], "source")

    aa = read_csv_checked(p["aa_crosswalk"], ["aa_slug", "la_name", "link", "mode", "source"],
                          key="aa_slug", what="Artificial Analysis crosswalk")
    _check_nonempty(aa, ["aa_slug", "la_name", "link", "mode", "source"], p["aa_crosswalk"],
                    "Artificial Analysis crosswalk")
    _check_enum(aa, "link", AA_LINKS, p["aa_crosswalk"])
    _check_enum(aa, "mode", AA_MODES, p["aa_crosswalk"])

    return Curated(tok, links, pats, dev, rsn, ext, xs, bf, rwd, moe, aa,
                   paths={k: str(v) for k, v in p.items()})


def _check_enum(df: pd.DataFrame, col: str, allowed, path, why: str = "") -> None:
    bad = ~df[col].astype(str).str.strip().isin(allowed)
    if bad.any():
        raise InputError(path, f"column {col!r} has unknown value(s) "
                         f"{df.loc[bad, col].tolist()[:5]}",
                         f"use one of {list(allowed)}" + (f" ({why})" if why else ""),
                         row=[line_of(i) for i in df.index[bad]])


def _check_active(df: pd.DataFrame, key: str, total: str, path, source: str) -> None:
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
