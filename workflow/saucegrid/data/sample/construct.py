"""The construction rules: all candidates, then inclusion under one set of options, then the
analysis sample of one benchmark.

1. :func:`build_candidates` turns every raw row of every source into one candidate with
   option-independent facts: release date, developer, params, lineage, the token count under
   each token assignment, reasoning and reward-model flags, raw scores, each with its
   provenance.
2. :func:`apply_options` decides, for one :class:`SampleOptions`, which candidates are included
   and records the first failing reason of every excluded one. It is cheap, so the robustness
   grid rebuilds the sample of every construction variant in-process.
3. :func:`analysis_sample` cuts the sample of one benchmark and adds developer groups.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.data.curated import Curated
from saucegrid.data.sample import aa_panel, artificial_analysis, epoch, leaderboard, lifearchitect
from saucegrid.data.sample.common import (
    ALL_BENCHMARKS,
    CANDIDATE_COLUMNS,
    LEADERBOARD_BENCHMARKS,
    OTHER_GROUPS,
    TOKEN_FIELDS,
    month_index,
    outcome,
    period3,
    quarter_label,
)
from saucegrid.data.sample.options import TOKEN_KEYS, SampleOptions

SCORE_SOURCES = {"artificial_analysis": "artificial_analysis"}  # source -> score_source level
PAPER_SCORE_SOURCE = "paper_sources"


def build_candidates(raw: dict[str, pd.DataFrame], cur: Curated, opts: SampleOptions,
                     files: dict[str, str] | None = None) -> pd.DataFrame:
    """All candidates from all sources, option-independent facts only."""
    files = files or {}
    lb = leaderboard.candidates(raw["oll_v2"], cur, opts.precision_preference,
                                files.get("oll_v2", "oll_v2"))
    la = lifearchitect.candidates(raw["lifearchitect_2025_02"], raw["lifearchitect_2026_03"],
                                  cur, lb["model_id"], files.get("lifearchitect_2025_02", ""))
    ep = epoch.candidates(raw["epoch_hub_math_l5"], raw["epoch_model_versions"],
                          raw["epoch_all_models"], raw["lifearchitect_2025_02"], cur,
                          files.get("epoch_hub_math_l5", ""))
    parts = [lb, la, ep]
    if "artificial_analysis" in raw:
        aa, aa_file = raw["artificial_analysis"], files.get("artificial_analysis", "")
        parts += [artificial_analysis.candidates(aa, la, cur, aa_file),
                  aa_panel.candidates(aa, raw["lifearchitect_2025_02"],
                                      raw["lifearchitect_2026_03"], cur, aa_file),
                  aa_panel.pairs(aa, lb, cur, aa_file)]
    cols = CANDIDATE_COLUMNS + aa_panel.PANEL_COLUMNS + [f"{f}_{k}" for k in TOKEN_KEYS
                                                         for f in TOKEN_FIELDS]
    out = pd.concat([p.reindex(columns=cols) for p in parts if len(p)], ignore_index=True)
    out["release_date"] = pd.to_datetime(out["release_date"])
    numeric = ["params_b", "mmlu_pro_raw", "math_l5_raw", *aa_panel.PANEL_NUMERIC,
               *(f"{b}_{k}" for b in LEADERBOARD_BENCHMARKS for k in ("raw", "norm")),
               *[f"{f}_{k}" for k in TOKEN_KEYS for f in ("tokens_t", "active_ratio")]]
    for c in numeric:  # a source whose column is all None must not make it an object column
        out[c] = pd.to_numeric(out[c], errors="coerce")
    for c in ("is_reasoning", "flagged", "is_reward_model", "merged"):
        out[c] = out[c].fillna(False).astype(bool)
    return out


def _first_reason(checks, start=None) -> pd.Series:
    reason = start
    for name, mask in checks:
        if reason is None:
            reason = pd.Series(None, index=mask.index, dtype="object")
        reason = reason.where(reason.notna() | ~mask.fillna(False).astype(bool), name)
    return reason


def apply_options(cand: pd.DataFrame, opts: SampleOptions) -> pd.DataFrame:
    """Inclusion and the first exclusion reason of every candidate under opts."""
    m = cand.copy()
    k = opts.token_key
    for f in TOKEN_FIELDS:
        m[f] = m[f"{f}_{k}"]
    # models.parquet already holds the default options' column: replace it, never duplicate it
    m = m.drop(columns=["token_is_estimate"], errors="ignore") \
        .rename(columns={"token_estimate": "token_is_estimate"})
    ratio = m["active_ratio"].astype(float)
    use_active = (opts.moe_compute == "active") & ratio.notna()
    m["compute_params_b"] = np.where(use_active, m["params_b"] * ratio, m["params_b"])
    with np.errstate(divide="ignore", invalid="ignore"):
        flops = 6.0 * m["compute_params_b"] * 1e9 * m["tokens_t"] * 1e12
        m["log10_flops"] = np.where(flops > 0, np.log10(flops.where(flops > 0)), np.nan)
    start, end = pd.Timestamp(opts.window_start), pd.Timestamp(opts.window_end)
    src = m["source"]
    reason = _first_reason([
        # the out-of-sample panels' rows (saucegrid.data.panel) and the AA / leaderboard score pairs
        ("not_a_paper_source", src.isin(aa_panel.PANEL_SOURCES)),
        ("duplicate_entry", m["duplicate_of"].notna()),
        ("flagged_on_leaderboard", m["flagged"]),
        ("missing_release_date", m["release_date"].isna()),
        ("outside_window", (m["release_date"] < start) | (m["release_date"] > end)),
        ("reasoning_model", m["is_reasoning"] & (opts.reasoning == "exclude")),
        ("reward_model", m["is_reward_model"] & (opts.reward_models == "exclude")),
        ("merge", m["merged"] & (opts.merges == "exclude")),
        ("aa_standin_not_selected", (src == "artificial_analysis")
         & (opts.aa_standin == "exclude")),
        ("unknown_developer_alias", m["developer"].isna()),
        ("missing_or_nonpositive_params", ~(m["params_b"] > 0)),
        ("no_token_count", ~(m["tokens_t"] > 0)),
    ])
    m["included"] = reason.isna()
    m["exclusion_reason"] = reason

    lb_ids = set(m.loc[src == "leaderboard", "model_id"].str.lower())
    twin = m["twin_leaderboard_id"].astype("string").str.lower()
    for b in ALL_BENCHMARKS:
        raw = m[f"{b}_raw"]
        y = outcome(m, b, opts.mmlu_pro_guess_rate)
        m[f"score_{b}"] = y
        r = _first_reason([
            (f"no_{b}_score", raw.isna()),
            ("score_out_of_range", (raw < 0) | (raw > 1)),
            ("score_not_in_logit_domain", (y <= 0) | (y >= 1)),
        ], reason.copy())
        # a secondary-source row whose leaderboard twin exists (twins=any) or is in this
        # benchmark's sample (twins=in_sample) duplicates it
        if opts.twins == "in_sample":
            lb_in = set(m.loc[(src == "leaderboard") & r.isna(), "model_id"].str.lower())
            has_twin = twin.isin(lb_in)
        else:
            has_twin = twin.isin(lb_ids)
        r = _first_reason([("duplicate_of_leaderboard",
                            (src != "leaderboard") & has_twin.fillna(False))], r)
        m[f"included_{b}"] = r.isna()
        m[f"exclusion_reason_{b}"] = r
    return m


SAMPLE_COLUMNS = [
    "model_id", "developer", "developer_group", "cluster", "release_date", "period3", "quarter",
    "month_index", "params_b", "compute_params_b", "tokens_t", "log10_flops", "score_raw",
    "score", "score_source", "source", "token_source", "token_base", "token_method",
    "token_is_estimate",
]


def _nonmajor_means(df: pd.DataFrame, majors) -> pd.Series:
    """Each non-major developer's mean log10 FLOPs over its models in df."""
    return df.loc[~df["developer"].isin(list(majors))].groupby("developer")["log10_flops"].mean()


def _cuts(means: pd.Series, quantiles) -> tuple[float, float]:
    if not len(means):
        return np.nan, np.nan
    q1, q2 = np.quantile(means.values, quantiles)
    return float(q1), float(q2)


def size_cuts(df: pd.DataFrame, majors, quantiles=(1 / 3, 2 / 3)) -> tuple[float, float]:
    """The cut points q1, q2 of the developer size groups: the given quantiles (numpy 'linear')
    of the non-major developers' mean log10 FLOPs (NaN when there are none)."""
    return _cuts(_nonmajor_means(df, majors), quantiles)


def size_group(mean_log10_flops, cuts: tuple[float, float]):
    """other-small if mean <= q1, other-medium if <= q2, else other-large."""
    q1, q2 = cuts
    m = np.asarray(mean_log10_flops, float)
    return np.where(m <= q1, OTHER_GROUPS[0], np.where(m <= q2, OTHER_GROUPS[1], OTHER_GROUPS[2]))


def assign_developer_groups(df: pd.DataFrame, majors, quantiles=(1 / 3, 2 / 3)) -> pd.Series:
    """Major developers keep their name; others split by their mean log10 FLOPs.

    The statistic is each non-major developer's mean log10 FLOPs over its models in this sample;
    developers with mean <= q1 are other-small, <= q2 other-medium, else other-large, where
    q1, q2 are the given quantiles (numpy 'linear') of the developer-level means.
    """
    majors = list(majors)
    is_major = df["developer"].isin(majors)
    means = _nonmajor_means(df, majors)
    grp = pd.Series(df["developer"].where(is_major), index=df.index, dtype="object")
    if len(means):
        size = pd.Series(size_group(means.values, _cuts(means, quantiles)), index=means.index)
        grp[~is_major] = df.loc[~is_major, "developer"].map(size)
    return grp


def base_org_developers(s: pd.DataFrame, majors) -> pd.Series:
    """developer_rule=base_org: a model of a major group takes the organisation of the base
    model it took its tokens from (AceInstruct-7B, built on Qwen2.5-7B, counts as Qwen's);
    every other model keeps its own developer."""
    swap = s["developer"].isin(list(majors)) & s["base_developer"].notna()
    return s["developer"].where(~swap, s["base_developer"])


def analysis_sample(models: pd.DataFrame, benchmark: str, majors,
                    opts: SampleOptions) -> pd.DataFrame:
    """The estimation sample for one benchmark from apply_options output."""
    s = models[models[f"included_{benchmark}"]].copy()
    if opts.developer_rule == "base_org":
        s["developer"] = base_org_developers(s, majors)
    s["score_raw"] = s[f"{benchmark}_raw"]
    s["score"] = s[f"score_{benchmark}"]
    s["score_source"] = s["source"].map(SCORE_SOURCES).fillna(PAPER_SCORE_SOURCE)
    s["period3"] = period3(s["release_date"])
    s["quarter"] = quarter_label(s["release_date"])
    s["month_index"] = month_index(s["release_date"])
    s["developer_group"] = assign_developer_groups(s, majors, opts.size_group_quantiles)
    s["cluster"] = s["developer"]
    s = s[SAMPLE_COLUMNS].sort_values("model_id", kind="mergesort").reset_index(drop=True)
    missing = s["token_source"].isna() | s["period3"].isna()
    if missing.any():  # an invariant, not an input problem
        raise AssertionError(f"included rows without token source or period: "
                             f"{s.loc[missing, 'model_id'].tolist()[:5]}")
    return s
