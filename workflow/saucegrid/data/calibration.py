"""Calibration of the sample construction on the paper's published counts.

Every construction variant (``constructions:`` in config.yaml) is built from the same candidates
and counted the way the paper counts: leaderboard models with tokens and their bases, the
additions of each secondary source, N, the major-developer N and its median split, the MATH L5
N and the reasoning models excluded. The distance of a variant is the mean absolute relative
deviation of its counts from the paper's,

    d = mean_k |ours_k - paper_k| / paper_k,

and the default construction should be the *reading* of the paper's text (``reading: true``)
with the smallest d (ties: config order). Robustness constructions (``reading: false``) are
counted and shown, but never chosen: they change what the paper says it did.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.data import sample
from saucegrid.data.constructions import construction_options

# (key of data/paper_reference.yaml sample:, label)
COUNTS = [
    ("leaderboard_models_with_tokens", "leaderboard models with tokens"),
    ("base_models_with_tokens", "bases"),
    ("lifearchitect_added", "LifeArchitect additions"),
    ("epoch_added", "Epoch additions"),
    ("tiger_added", "TIGER additions"),
    ("mmlu_pro_n", "N"),
    ("mmlu_pro_major_n", "N major"),
    ("mmlu_pro_major_below_n", "major below median"),
    ("mmlu_pro_major_above_n", "major above median"),
    ("math_l5_n", "MATH L5 N"),
    ("reasoning_excluded", "reasoning models excluded"),
]


def reasoning_excluded(cand: pd.DataFrame, opts: sample.SampleOptions) -> pd.DataFrame:
    """The reasoning models the options exclude that would otherwise be in the MMLU-Pro sample
    (the paper's footnote 5 counts 10), with what flagged them."""
    if opts.reasoning != "exclude":
        return cand.iloc[:0][["model_id", "source", "reasoning_match"]]
    o2 = sample.SampleOptions(**{**opts.__dict__, "reasoning": "include"})
    m2 = sample.apply_options(cand, o2)
    hit = m2["included_mmlu_pro"] & m2["is_reasoning"]
    return m2.loc[hit, ["model_id", "source", "reasoning_match"]].reset_index(drop=True)


def counts(cand: pd.DataFrame, opts: sample.SampleOptions, majors) -> dict[str, int]:
    """The paper's counts for one construction, from the candidates."""
    m = sample.apply_options(cand, opts)
    mm = sample.analysis_sample(m, "mmlu_pro", majors, opts)
    ma = sample.analysis_sample(m, "math_l5", majors, opts)
    lb = m[(m["source"] == "leaderboard") & m["included"]]
    major = mm[mm["developer_group"].isin(list(majors))]
    med = np.median(major["log10_flops"]) if len(major) else np.nan
    return {
        "leaderboard_models_with_tokens": len(lb),
        "base_models_with_tokens": int(lb["token_base"].nunique()),
        "lifearchitect_added": int((mm["source"] == "lifearchitect").sum()),
        "epoch_added": int((ma["source"] == "epoch_hub").sum()),
        "tiger_added": int((mm["source"] == "artificial_analysis").sum()),
        "mmlu_pro_n": len(mm),
        "mmlu_pro_major_n": len(major),
        "mmlu_pro_major_below_n": int((major["log10_flops"] <= med).sum()),
        "mmlu_pro_major_above_n": int((major["log10_flops"] > med).sum()),
        "math_l5_n": len(ma),
        "reasoning_excluded": len(reasoning_excluded(cand, opts)),
    }


def distance(c: dict[str, int], paper: dict[str, float]) -> float:
    return float(np.mean([abs(c[k] - paper[k]) / paper[k] for k, _ in COUNTS]))


def calibration_table(cand: pd.DataFrame, sample_cfg: dict, constructions: dict, majors,
                      paper_sample: dict) -> pd.DataFrame:
    """One row per construction variant: its counts, its distance and whether it is a reading
    of the paper's text; the paper's counts as the first row."""
    ref = {k: float(paper_sample[k]["value"]) for k, _ in COUNTS}
    rows = [{"construction": "paper", "reading": "", **{k: int(v) for k, v in ref.items()},
             "distance": 0.0}]
    for name, con in constructions.items():
        c = counts(cand, construction_options(sample_cfg, constructions, name), majors)
        rows.append({"construction": name, "reading": "yes" if con.get("reading") else "no", **c,
                     "distance": distance(c, ref)})
    return pd.DataFrame(rows)


def closest_reading(table: pd.DataFrame) -> str:
    """The reading with the smallest distance (ties: config order)."""
    r = table[table["reading"].eq("yes")]
    return str(r.loc[r["distance"].idxmin(), "construction"])
