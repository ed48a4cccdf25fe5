"""Small synthetic inputs for unit tests: curated tables and raw tables with known answers."""

from pathlib import Path

import numpy as np
import pandas as pd

from saucegrid.estimation import links

CURATED = {
    "base_model_tokens.csv": (
        "base_model,family,params_b,tokens_t,is_estimate,source,note\n"
        "org/Base-7B,fam,7,2,false,https://example.org/paper,\n"
        "org/Base-7B-Math,fam-math,7,2.5,true,https://example.org/math,continued\n"
    ),
    "lineage_links.csv": (
        "model_id,parent_id,relation,source,note\n"
        "org/Base-7B-Instruct,org/Base-7B,parent,https://huggingface.co/org/Base-7B-Instruct,\n"
        "someone/Base-7B-Instruct-4bit,org/Base-7B-Instruct,same_weights,"
        "https://huggingface.co/x,\n"
        "mirror/Base-7B,org/Base-7B,same_weights,https://huggingface.co/mirror/Base-7B,\n"
    ),
    "family_patterns.csv": "pattern,base_model,note\nbase-?7b,org/Base-7B,\n",
    "developers.csv": (
        "alias,developer,source\n"
        "meta-llama,Meta,https://huggingface.co/meta-llama\n"
        "facebook,Meta,https://huggingface.co/facebook\n"
        "org,Org,self\n"
        "Meta AI,Meta,self\n"
        "OpenAI,OpenAI,self\n"
    ),
    "reasoning_models.csv": "pattern,model_family,source,note\n\\bthinker\\b,thinker,https://x,\n",
    "external_scores.csv": (
        "model,benchmark,score,score_kind,source,note\n"
        "GPT-X,mmlu_pro,0.7,self_reported,https://example.org,\n"
    ),
    "cross_source_links.csv": (
        "source,source_name,relation,target,note\n"
        "lifearchitect,Base 7B Instruct,same_as_leaderboard,org/Base-7B-Instruct,\n"
    ),
    "reward_models.csv": (
        "pattern,kind,source,note\n"
        "(^|/)Judge-Scorer-,reward_model,https://example.org/rm,\n"
    ),
    "moe_active_params.csv": (
        "model,active_params_b,total_params_b,source,note\n"
        "MoE-X,10,100,https://example.org/moe,\n"
    ),
    "aa_crosswalk.csv": (
        "aa_slug,la_name,la_snapshot,link,mode,params_b,active_params_b,tokens_t,"
        "params_estimate,tokens_estimate,facts_source,source,note\n"
        "gpt-x,GPT-X,2025-02,exact,non_reasoning,100,,10,true,true,LifeArchitect 2025-02 GPT-X,"
        "https://artificialanalysis.ai/models/gpt-x,\n"
        "gpt-y-vision,GPT-Y,2025-02,exact,non_reasoning,100,,10,true,true,LifeArchitect "
        "2025-02 GPT-Y,https://artificialanalysis.ai/models/gpt-y,vision run\n"
        "gpt-z,GPT-Z,2025-02,exact,non_reasoning,200,,10,true,true,LifeArchitect 2025-02 GPT-Z,"
        "https://artificialanalysis.ai/models/gpt-z,\n"
    ),
    "aa_always_reasoning.csv": (
        "pattern,model_family,source,note\n"
        "(^|[^a-z])o[134]($|[^a-z0-9]),OpenAI o-series,https://example.org/o,\n"
    ),
    "aa_leaderboard_pairs.csv": "aa_slug,leaderboard_id,source,note\n",
    "leaderboard_backfill.csv": (
        "model_id,field,value,source\n"
        "gone/removed-ft,base_model,org/Base-7B,https://github.com/x/y/blob/abc/f.csv\n"
        "gone/removed-ft,upload_date,2024-05-01,https://github.com/x/y/blob/abc/f.csv\n"
    ),
}


# the Artificial Analysis and LifeArchitect rows that CURATED's crosswalk points at
AA_ROWS = [("gpt-x", "GPT X", "OpenAI", "2024-06-10", 0.71),
           ("gpt-y-vision", "GPT Y (Vision)", "OpenAI", "2024-06-11", 0.60),
           ("gpt-z", "GPT Z", "OpenAI", "2024-07-01", 0.66)]
LA_ROWS = [("GPT-X", "OpenAI", 100, 10000, None, "Jun/2024", 2),
           ("GPT-Y", "OpenAI", 100, 10000, None, "Jun/2024", 3),
           ("GPT-Z", "OpenAI", 200, 10000, None, "Jul/2024", 4)]


def write_curated(d: Path, **override) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for name, text in CURATED.items():
        (d / name).write_text(override.get(name, text))
    return d


# the leaderboard's other four benchmarks: (raw, normalized score) of a typical 7B row
OTHER_SCORES = {"ifeval": (0.33, 33.0), "bbh": (0.36, 10.1), "gpqa": (0.26, 1.2),
                "musr": (0.38, 5.9)}


def lb_row(model_id, base=None, params=7.0, mmlu=0.55, math=0.2, date="2024-05-01",
           precision="bfloat16", sub="2024-06-01", flagged=False, rid=None, scores=None):
    other = {**OTHER_SCORES, **(scores or {})}
    return {
        **{f"{b}_{k}": v for b, (raw, norm) in other.items()
           for k, v in (("raw", raw), ("normalized", norm))},
        "row_id": rid or f"{model_id}_{precision}",
        "model_id": model_id, "precision": precision, "model_type": "x", "chat_template": False,
        "mmlu_pro_raw": mmlu, "math_l5_raw": math, "flagged": flagged, "merged": False,
        "upload_date": date, "submission_date": sub,
        "base_model_field": base if base is not None else model_id, "params_b": params,
        "source_row": 0,
    }


def la_frame(rows):
    cols = ["name", "lab", "params_b", "tokens_b", "mmlu_pro_pct", "announced", "source_row"]
    return pd.DataFrame(rows, columns=cols)


def empty_epoch():
    hub = pd.DataFrame(columns=["version", "math_l5_raw", "release_date", "lab", "source_row"])
    ver = pd.DataFrame(columns=["version", "epoch_model"])
    allm = pd.DataFrame(columns=["epoch_model", "params", "dataset_size", "source_row"])
    return hub, ver, allm


def aa_frame(rows=()):
    """Artificial Analysis rows: (slug, name, creator, release date, MMLU-Pro)."""
    cols = ["aa_slug", "aa_name", "aa_creator", "release_date", "mmlu_pro"]
    df = pd.DataFrame(list(rows), columns=cols)
    df["release_date"] = pd.to_datetime(df["release_date"])
    df["entry"] = range(len(df))
    return df


def raw_inputs(lb_rows, la_rows=(), la_new_rows=(), epoch=None, aa_rows=None):
    hub, ver, allm = epoch or empty_epoch()
    extra = {} if aa_rows is None else {"artificial_analysis": aa_frame(aa_rows)}
    return {
        **extra,
        "oll_v2": pd.DataFrame(lb_rows),
        "lifearchitect_2025_02": la_frame(list(la_rows)),
        "lifearchitect_2026_03": la_frame(list(la_new_rows)),
        "epoch_hub_math_l5": hub,
        "epoch_model_versions": ver,
        "epoch_all_models": allm,
    }


# --------------------------------------------------------------------------------------------
# synthetic analysis samples shared by the estimation, grid and randomization tests


MAJORS = ["Meta", "Qwen", "Nvidia"]


def sample(n_dev=40, seed=11):
    """Three majors and many small developers (1 to 9 models each)."""
    rng = np.random.default_rng(seed)
    devs = MAJORS + [f"u{i}" for i in range(n_dev)]
    rows = []
    for d in devs:
        for i in range(12 if d in MAJORS else int(rng.integers(1, 10))):
            month = int(rng.integers(0, 30))
            date = pd.Timestamp("2022-10-01") + pd.DateOffset(months=month)
            rows.append({"model_id": f"{d}/m{i}", "developer": d, "cluster": d,
                         "log10_flops": rng.normal(23 + (d == "Meta"), 1),
                         "release_date": date, "month_index": month})
    df = pd.DataFrame(rows)
    from saucegrid.data.sample import period3, quarter_label

    df["period3"] = period3(df["release_date"])
    df["quarter"] = quarter_label(df["release_date"])
    eff = df["developer"].map(dict(zip(df["developer"].unique(),
                                       rng.normal(0, 0.3, df["developer"].nunique()),
                                       strict=True)))
    z = -17 + 0.75 * df["log10_flops"] + eff + rng.normal(0, 0.4, len(df))
    df["score"] = 1 / (1 + np.exp(-z))
    return df


def R_size_group(m, cuts):
    from saucegrid.data.sample.construct import size_group

    return size_group(m, cuts)


def small_cells(**dims):
    base = {"benchmark": ["mmlu_pro"], "link": ["v1.0"], "time": ["tri"], "devset": ["paper"],
            "sample": ["full", "major", "major_below"], "interaction": ["none"]}
    base.update(dims)
    g = {"dimensions": base}
    rows = [dict(zip(base, c, strict=True)) for c in
            __import__("itertools").product(*base.values())]
    f = pd.DataFrame(rows)
    f.insert(0, "cell_id", ["/".join(f"{k}~{v}" for k, v in r.items()) for r in rows])
    f["skip_reason"] = ""
    return g, f


def toy_sample(n_per=12, seed=5):
    rng = np.random.default_rng(seed)
    devs = ["Meta", "Qwen", "Nvidia", "u1", "u2", "u3", "u4", "u5", "u6"]
    rows = []
    for d in devs:
        for i in range(n_per):
            month = int(rng.integers(0, 30))
            date = pd.Timestamp("2022-10-01") + pd.DateOffset(months=month)
            lf = rng.normal(23 + (d in ("Meta", "Qwen")), 1)
            rows.append({"model_id": f"{d}/m{i}", "developer": d, "cluster": d,
                         "log10_flops": lf, "release_date": date, "month_index": month})
    df = pd.DataFrame(rows)
    from saucegrid.data.sample import period3, quarter_label

    df["period3"] = period3(df["release_date"])
    df["quarter"] = quarter_label(df["release_date"])
    z = -17 + 0.75 * df["log10_flops"] + rng.normal(0, 0.4, len(df))
    df["score"] = links.inverse(z.to_numpy())
    return df
