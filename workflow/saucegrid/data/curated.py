"""The project's hand-curated tables (data/*.csv): loaded and validated, one fact per row.

A malformed table fails with an :class:`saucegrid.fileio.InputError` that names the file, the
rows and the fix.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from saucegrid.data import curated_aa
from saucegrid.data.checks import active as _check_active
from saucegrid.data.checks import bool_ as _check_bool
from saucegrid.data.checks import enum as _check_enum
from saucegrid.data.checks import known as _check_known
from saucegrid.data.checks import nonempty as _check_nonempty
from saucegrid.data.checks import regex as _check_regex
from saucegrid.fileio import InputError, line_of, read_csv_checked, require_positive


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
    aa_always_reasoning: pd.DataFrame
    aa_leaderboard_pairs: pd.DataFrame
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
    "aa_always_reasoning": "aa_always_reasoning.csv",
    "aa_leaderboard_pairs": "aa_leaderboard_pairs.csv",
}
LINK_RELATIONS = ("same_weights", "parent", "corrects_field")
REWARD_KINDS = ("reward_model", "process_reward_model", "classifier")
# protocols the paper's MMLU-Pro sources use: TIGER-Lab accepts 5-shot runs and self-reports
EXTERNAL_SCORE_KINDS = ("self_reported", "tiger_lab")


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
    _check_known(pats["base_model"], known, p["family_patterns"], "pattern base model(s)",
                 "base_model_tokens.csv",
                 "add the base model to data/base_model_tokens.csv or fix the name",
                 casefold=True)

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

    aa = curated_aa.load_crosswalk(p["aa_crosswalk"])
    always = curated_aa.load_always_reasoning(p["aa_always_reasoning"])
    pairs = curated_aa.load_pairs(p["aa_leaderboard_pairs"])

    return Curated(tok, links, pats, dev, rsn, ext, xs, bf, rwd, moe, aa, always, pairs,
                   paths={k: str(v) for k, v in p.items()})


