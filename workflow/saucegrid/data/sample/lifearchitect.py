"""Source: the LifeArchitect.ai models table (2025-02 snapshot; scores also from 2026-03).

Proprietary and large models with LifeArchitect's parameter and token estimates. The MMLU-Pro
score is the 2025-02 snapshot's, else the 2026-03 snapshot's, else a self-reported score from
``data/external_scores.csv``. The leaderboard twin of a row (``data/cross_source_links.csv``, or an
identical normalised name) is recorded; the ``twins`` option decides what it does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.data.curated import Curated
from saucegrid.data.sample.common import (
    developer_lookup,
    moe_ratio_lookup,
    norm_name,
    reasoning_flags,
    short_name,
    source_table_tokens,
)
from saucegrid.data.sample.options import TOKEN_KEYS

SNAPSHOT_URL = "https://lifearchitect.ai/models-table (2025-02 snapshot)"


def la_month(s) -> pd.Series:
    return pd.to_datetime(s, format="%b/%Y", errors="coerce")


def twin_map(cur: Curated, source: str) -> dict[str, str]:
    """lower-case source name -> leaderboard id: curated same_as_leaderboard links."""
    xs = cur.cross_source_links
    sel = (xs["source"] == source) & (xs["relation"] == "same_as_leaderboard")
    return {n.strip().lower(): t for n, t in
            xs.loc[sel, ["source_name", "target"]].itertuples(index=False)}


def candidates(la: pd.DataFrame, la_new: pd.DataFrame, cur: Curated, leaderboard_ids,
               source_file: str) -> pd.DataFrame:
    la = la[la["name"].notna() & la["name"].str.len().gt(0)].reset_index(drop=True)
    devmap = developer_lookup(cur)
    new_score = {n.lower(): v for n, v in
                 la_new.loc[la_new["mmlu_pro_pct"].notna() & la_new["name"].notna(),
                            ["name", "mmlu_pro_pct"]].itertuples(index=False)}
    ext = cur.external_scores[cur.external_scores["benchmark"] == "mmlu_pro"]
    ext_score = {m.strip().lower(): (s, src) for m, s, src in
                 ext[["model", "score", "source"]].itertuples(index=False)}
    twin = twin_map(cur, "lifearchitect")
    lb_norm: dict[str, str] = {}
    for m in leaderboard_ids:
        lb_norm.setdefault(norm_name(short_name(m)), m)
    active = moe_ratio_lookup(cur)

    out = pd.DataFrame({
        "model_id": "lifearchitect:" + la["name"],
        "name": la["name"],
        "source": "lifearchitect",
        "source_file": source_file,
        "source_row": la["source_row"],
        "developer_alias": la["lab"].astype("string").str.strip(),
    })
    out["developer"] = [devmap.get(str(a).lower()) if pd.notna(a) else None
                        for a in out["developer_alias"]]
    out["release_date"] = la_month(la["announced"])
    out["release_date_source"] = "LifeArchitect Announced (month; day set to 1)"
    out["params_b"] = la["params_b"]
    out["params_source"] = "LifeArchitect Parameters (B), 2025-02 snapshot"
    out["lineage"] = la["name"]
    out["is_reasoning"], out["reasoning_match"] = reasoning_flags([[n] for n in la["name"]], cur)
    out["is_reward_model"], out["reward_match"] = False, None
    out["merged"] = False
    score, ssrc = [], []
    for n, pct in la[["name", "mmlu_pro_pct"]].itertuples(index=False):
        if pd.notna(pct):
            score.append(pct / 100.0)
            ssrc.append("LifeArchitect MMLU-Pro, 2025-02 snapshot")
        elif n.lower() in new_score:
            score.append(new_score[n.lower()] / 100.0)
            ssrc.append("LifeArchitect MMLU-Pro, 2026-03 snapshot")
        elif n.lower() in ext_score:
            s, src = ext_score[n.lower()]
            score.append(s)
            ssrc.append(f"data/external_scores.csv ({src})")
        else:
            score.append(np.nan)
            ssrc.append(None)
    out["mmlu_pro_raw"] = score
    out["mmlu_pro_source"] = ssrc
    out["math_l5_raw"] = np.nan
    out["math_l5_source"] = None
    key = la["name"].str.lower()
    out["duplicate_of"] = np.where(~key.duplicated(keep="first"), None,
                                   "lifearchitect:" + la["name"])
    out["flagged"] = False
    out["twin_leaderboard_id"] = [twin.get(n.lower()) or lb_norm.get(norm_name(n))
                                  for n in la["name"]]
    ratio = pd.Series([active.get(norm_name(n), np.nan) for n in la["name"]],
                      index=out.index) / la["params_b"]
    return source_table_tokens(out, la["tokens_b"] / 1000.0,
                               pd.Series(SNAPSHOT_URL, index=out.index), ratio, TOKEN_KEYS)
