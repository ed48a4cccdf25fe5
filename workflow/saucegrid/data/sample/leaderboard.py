"""Source: the Open LLM Leaderboard v2 (final scrape), one candidate per row."""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.data.curated import Curated
from saucegrid.data.sample.common import (
    LEADERBOARD_BENCHMARKS,
    developer_lookup,
    developer_of_namespace,
    reasoning_flags,
    reward_flags,
)
from saucegrid.data.sample.lineage import Lineage, TokenResolver, token_table


def dedup(lb: pd.DataFrame, precision_preference) -> pd.Series:
    """Return, per row, the row id of the row it duplicates (None for the kept row).

    One row per model (case-insensitive id) survives: the first precision in
    precision_preference, then the latest submission date, then the smallest row id.
    """
    rank = {p: i for i, p in enumerate(precision_preference)}
    key = lb["model_id"].str.lower()
    order = pd.DataFrame({
        "key": key,
        "prec": lb["precision"].map(rank).fillna(len(rank)),
        "sub": pd.to_datetime(lb["submission_date"], errors="coerce"),
        "rid": lb["row_id"],
    })
    order = order.sort_values(["key", "prec", "sub", "rid"], ascending=[True, True, False, True],
                              na_position="last")
    kept = order.drop_duplicates("key", keep="first")
    kept_row = pd.Series(kept.index, index=kept["key"])
    dup_of = pd.Series(None, index=lb.index, dtype="object")
    is_dup = ~lb.index.isin(kept.index)
    dup_of[is_dup] = lb.loc[kept_row[key[is_dup]].values, "row_id"].values
    return dup_of


def candidates(lb: pd.DataFrame, cur: Curated, precision_preference,
               source_file: str) -> pd.DataFrame:
    lb = lb.reset_index(drop=True)
    devmap = developer_lookup(cur)
    lin = Lineage(lb, cur)
    res = TokenResolver(cur, devmap)
    bf = cur.leaderboard_backfill
    bf_date = {m.lower(): (v, s) for m, v, s in
               bf.loc[bf["field"] == "upload_date", ["model_id", "value", "source"]]
               .itertuples(index=False)}

    out = pd.DataFrame({
        "model_id": lb["model_id"].values,
        "name": lb["model_id"].values,
        "source": "leaderboard",
        "source_file": source_file,
        "source_row": lb["source_row"].values,
    })
    out["developer_alias"] = [m.split("/", 1)[0] for m in out["model_id"]]
    out["developer"] = [developer_of_namespace(m, devmap) for m in out["model_id"]]
    date = pd.to_datetime(lb["upload_date"], errors="coerce")
    src = pd.Series(np.where(date.notna(), "leaderboard upload date", None), dtype="object")
    key = out["model_id"].str.lower()
    fill = date.isna() & key.isin(bf_date)
    date[fill] = pd.to_datetime(key[fill].map(lambda k: bf_date[k][0]), errors="coerce")
    src[fill] = key[fill].map(lambda k: f"backfill ({bf_date[k][1]})")
    out["release_date"] = date
    out["release_date_source"] = src
    out["params_b"] = pd.to_numeric(lb["params_b"], errors="coerce").values
    out["params_source"] = "leaderboard #Params (B)"
    chains = [lin.chain(m) for m in out["model_id"]]
    out["lineage"] = [" > ".join(c) for c in chains]
    out["is_reasoning"], out["reasoning_match"] = reasoning_flags(chains, cur)
    out["is_reward_model"], out["reward_match"] = reward_flags(list(out["model_id"]), cur)
    out["merged"] = lb["merged"].astype(str).str.lower().eq("true").values
    out["mmlu_pro_raw"] = pd.to_numeric(lb["mmlu_pro_raw"], errors="coerce").values
    out["mmlu_pro_source"] = "leaderboard MMLU-PRO Raw"
    out["math_l5_raw"] = pd.to_numeric(lb["math_l5_raw"], errors="coerce").values
    out["math_l5_source"] = "leaderboard MATH Lvl 5 Raw"
    for b in LEADERBOARD_BENCHMARKS:
        out[f"{b}_raw"] = pd.to_numeric(lb[f"{b}_raw"], errors="coerce").values
        out[f"{b}_norm"] = pd.to_numeric(lb[f"{b}_normalized"], errors="coerce").values / 100
        out[f"{b}_source"] = f"leaderboard {b} normalized score / 100"
    out["duplicate_of"] = dedup(lb, precision_preference).values
    out["flagged"] = lb["flagged"].astype(str).str.lower().eq("true").values
    out["twin_leaderboard_id"] = None
    return pd.concat([out, token_table(list(out["model_id"]), lin, res)], axis=1)
