"""Readers of the raw public inputs: each checks its columns and keeps the file's line numbers."""

from __future__ import annotations

import pandas as pd

from saucegrid.fileio import InputError, line_of, read_csv_checked

LEADERBOARD_COLUMNS = {
    "id": "row_id",
    "model_name": "model_id",
    "model_precision": "precision",
    "model_type": "model_type",
    "model_has_chat_template": "chat_template",
    "evaluations_mmlu_pro_value": "mmlu_pro_raw",
    "evaluations_math_value": "math_l5_raw",
    # the leaderboard's four other benchmarks: raw accuracy and its own normalized score
    # (per subtask (raw - random baseline) / (1 - random baseline), clipped at 0, x 100)
    **{f"evaluations_{b}_{k}": f"{b}_{v}" for b in ("ifeval", "bbh", "gpqa", "musr")
       for k, v in (("value", "raw"), ("normalized_score", "normalized"))},
    "features_is_flagged": "flagged",
    "features_is_merged": "merged",
    "metadata_upload_date": "upload_date",
    "metadata_submission_date": "submission_date",
    "metadata_base_model": "base_model_field",
    "metadata_params_billions": "params_b",
}


def read_leaderboard(path) -> pd.DataFrame:
    df = read_csv_checked(path, LEADERBOARD_COLUMNS, key="id", what="Open LLM Leaderboard v2")
    df = df[list(LEADERBOARD_COLUMNS)].rename(columns=LEADERBOARD_COLUMNS)
    df["source_row"] = df.index.map(line_of)
    return df


def _match_columns(df: pd.DataFrame, wanted: dict[str, str], path, what: str) -> pd.DataFrame:
    """Select columns whose whitespace-free lower-case name starts with a wanted prefix."""
    norm = {c: "".join(str(c).split()).lower() for c in df.columns}
    out = {}
    for prefix, new in wanted.items():
        hits = [c for c, n in norm.items() if n.startswith(prefix)]
        if not hits:
            raise InputError(path, f"{what} lacks a column starting with {prefix!r}",
                             "use the pinned version of the file (check its sha256)")
        out[hits[0]] = new
    return df[list(out)].rename(columns=out)


LIFEARCHITECT_COLUMNS = {
    "model": "name",
    "lab": "lab",
    "parameters(b)": "params_b",
    "tokenstrained(b)": "tokens_b",
    "mmlu-pro": "mmlu_pro_pct",
    "announced": "announced",
}


def read_lifearchitect(path, skiprows: int = 0) -> pd.DataFrame:
    df = read_csv_checked(path, what="LifeArchitect models table", skiprows=skiprows)
    df.columns = [str(c).replace("\n", "") for c in df.columns]
    df = _match_columns(df, LIFEARCHITECT_COLUMNS, path, "LifeArchitect models table")
    df["source_row"] = df.index.map(lambda i: line_of(i) + skiprows)
    for c in ("params_b", "tokens_b", "mmlu_pro_pct"):
        df[c] = pd.to_numeric(df[c].astype(str).str.replace(",", "").str.strip(),
                              errors="coerce")
    df["name"] = df["name"].astype("string").str.strip()
    return df


def read_epoch_hub_math(path) -> pd.DataFrame:
    df = read_csv_checked(path, ["Model version", "mean_score", "Release date", "Organization"],
                          key="Model version", what="Epoch hub MATH Level 5")
    out = df.rename(columns={"Model version": "version", "mean_score": "math_l5_raw",
                             "Release date": "release_date", "Organization": "lab"})
    out["source_row"] = out.index.map(line_of)
    return out[["version", "math_l5_raw", "release_date", "lab", "source_row"]]


def read_epoch_model_versions(path) -> pd.DataFrame:
    df = read_csv_checked(path, ["id", "Model"], key="id", what="Epoch model versions",
                          encoding="utf-8-sig", casefold=False)
    return df[["id", "Model"]].rename(columns={"id": "version", "Model": "epoch_model"})


def read_epoch_all_models(path) -> pd.DataFrame:
    cols = ["Model", "Parameters", "Training dataset size (datapoints)"]
    df = read_csv_checked(path, cols, what="Epoch all AI models", low_memory=False)
    df = df[cols].rename(columns={"Model": "epoch_model", "Parameters": "params",
                                  "Training dataset size (datapoints)": "dataset_size"})
    df["source_row"] = df.index.map(line_of)
    return df.drop_duplicates("epoch_model", keep="first")


def read_artificial_analysis(path) -> pd.DataFrame:
    """The Artificial Analysis API dump: one row per model (and per mode of a hybrid), with its
    slug, name, creator, release date and AA's own MMLU-Pro run."""
    import json

    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(path, f"cannot parse the Artificial Analysis JSON ({e})",
                         "use the pinned version of the file (check its sha256)") from None
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, list):
        raise InputError(path, "the Artificial Analysis JSON has no list under 'data'",
                         "use the pinned version of the file (check its sha256)")
    rows = []
    for i, r in enumerate(data):
        if not isinstance(r, dict) or not r.get("slug"):
            raise InputError(path, f"entry {i} of 'data' has no slug",
                             "use the pinned version of the file (check its sha256)")
        ev = r.get("evaluations") or {}
        creator = r.get("model_creator") or {}
        rows.append({"aa_slug": r["slug"], "aa_name": r.get("name"),
                     "aa_creator": creator.get("name"), "release_date": r.get("release_date"),
                     "mmlu_pro": ev.get("mmlu_pro"), "entry": i})
    df = pd.DataFrame(rows)
    dup = df["aa_slug"].duplicated(keep=False)
    if dup.any():
        raise InputError(path, f"duplicate slug(s) {df.loc[dup, 'aa_slug'].tolist()[:3]}",
                         "use the pinned version of the file (check its sha256)")
    df["mmlu_pro"] = pd.to_numeric(df["mmlu_pro"], errors="coerce")
    df["release_date"] = pd.to_datetime(df["release_date"], errors="coerce")
    return df


RAW_READERS = {
    "oll_v2": read_leaderboard,
    "lifearchitect_2025_02": read_lifearchitect,
    "lifearchitect_2026_03": lambda p: read_lifearchitect(p, skiprows=1),
    "epoch_hub_math_l5": read_epoch_hub_math,
    "epoch_model_versions": read_epoch_model_versions,
    "epoch_all_models": read_epoch_all_models,
    "artificial_analysis": read_artificial_analysis,
}


def read_raw(paths: dict[str, str]) -> dict[str, pd.DataFrame]:
    """Read every raw input named in paths (name -> file) with its checked reader."""
    unknown = set(paths) - set(RAW_READERS)
    if unknown:
        raise KeyError(f"no reader for raw input(s) {sorted(unknown)}")
    return {name: RAW_READERS[name](p) for name, p in paths.items()}
