"""Source: the Epoch AI Benchmarking Hub, MATH Level 5 (0-shot), for models the leaderboard
lacks. Params and dataset size come from Epoch's model database, or from LifeArchitect through
``data/cross_source_links.csv``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.data.curated import Curated
from saucegrid.data.sample.common import (
    CANDIDATE_COLUMNS,
    developer_lookup,
    moe_ratio_lookup,
    norm_name,
    reasoning_flags,
    source_table_tokens,
)
from saucegrid.data.sample.lifearchitect import SNAPSHOT_URL, twin_map
from saucegrid.data.sample.options import TOKEN_KEYS


def candidates(hub: pd.DataFrame, versions: pd.DataFrame, allm: pd.DataFrame,
               la: pd.DataFrame, cur: Curated, source_file: str) -> pd.DataFrame:
    devmap = developer_lookup(cur)
    hub = hub.merge(versions, on="version", how="left")
    db = allm.set_index("epoch_model")
    xs = cur.cross_source_links
    sel = (xs["source"] == "epoch_hub") & (xs["relation"] == "lifearchitect_name")
    la_link = {n.lower(): t for n, t in xs.loc[sel, ["source_name", "target"]]
               .itertuples(index=False)}
    twin = twin_map(cur, "epoch_hub")
    la_by = la.dropna(subset=["name"]).drop_duplicates("name")
    la_by = la_by.set_index(la_by["name"].str.lower())
    active = moe_ratio_lookup(cur)

    rows = []
    for r in hub.itertuples(index=False):
        params = tokens = np.nan
        psrc = tsrc = None
        em = r.epoch_model if isinstance(r.epoch_model, str) else None
        if em is not None and em in db.index:
            e = db.loc[em]
            if pd.notna(e["params"]) and pd.notna(e["dataset_size"]):
                params, tokens = e["params"] / 1e9, e["dataset_size"] / 1e12
                psrc = f"Epoch AI all_ai_models Parameters ({em})"
                tsrc = f"https://epoch.ai/data/all_ai_models.csv ({em}, dataset size)"
        lk = la_link.get(r.version.lower())
        if pd.isna(params) and lk is not None and lk.lower() in la_by.index:
            L = la_by.loc[lk.lower()]
            if pd.notna(L["params_b"]) and pd.notna(L["tokens_b"]):
                params, tokens = L["params_b"], L["tokens_b"] / 1000.0
                psrc = f"LifeArchitect Parameters (B) ({lk})"
                tsrc = f"{SNAPSHOT_URL[:-1]}; {lk})"
        names = [x for x in (lk, em, r.version) if x]
        act = next((active[norm_name(x)] for x in names if norm_name(x) in active), np.nan)
        rows.append({
            "model_id": f"epoch:{r.version}", "name": r.version, "source": "epoch_hub",
            "source_file": source_file, "source_row": r.source_row, "developer_alias": r.lab,
            "developer": devmap.get(str(r.lab).strip().lower()) if pd.notna(r.lab) else None,
            "release_date": pd.to_datetime(r.release_date, errors="coerce"),
            "release_date_source": "Epoch hub Release date", "params_b": params,
            "params_source": psrc, "lineage": em or r.version,
            "tokens": tokens, "tsrc": tsrc, "epoch_model": em or r.version,
            "active_ratio": act / params if pd.notna(params) and params > 0 else np.nan,
            "math_l5_raw": r.math_l5_raw, "twin": twin.get(r.version.lower()),
        })
    if not rows:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    out = pd.DataFrame(rows)
    out["is_reasoning"], out["reasoning_match"] = reasoning_flags(
        [[v, e] for v, e in zip(out["name"], out["epoch_model"], strict=True)], cur)
    out["is_reward_model"], out["reward_match"] = False, None
    out["merged"] = False
    out["mmlu_pro_raw"] = np.nan
    out["mmlu_pro_source"] = None
    out["math_l5_source"] = "Epoch Benchmarking Hub MATH Level 5 mean_score (0-shot)"
    # one row per Epoch model: plain version first, then earliest release, then name
    order = out.assign(_suffix=out["name"].str.contains("_"))
    order = order.sort_values(["epoch_model", "_suffix", "release_date", "name"])
    keep = order.drop_duplicates("epoch_model", keep="first")
    kept_id = dict(zip(keep["epoch_model"], keep["model_id"], strict=True))
    kept = set(keep["model_id"])
    out["duplicate_of"] = [None if i in kept else kept_id[e]
                           for i, e in zip(out["model_id"], out["epoch_model"], strict=True)]
    out["flagged"] = False
    out["twin_leaderboard_id"] = out["twin"]
    out = source_table_tokens(out, out["tokens"], out["tsrc"], out["active_ratio"], TOKEN_KEYS)
    return out.drop(columns=["tokens", "tsrc", "epoch_model", "twin", "active_ratio"])
