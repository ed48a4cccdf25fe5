"""Write data/leaderboard_backfill.csv: one fact per row, each with its upstream commit.

For models later removed from the Hugging Face hub, the final leaderboard scrape lost the upload
date and the base model. Earlier daily versions of the same upstream file still had them. The
mirror's derived table records, per model, the value and the fboulnois/llm-leaderboard-csv commit
it came from; this tool reshapes it into the project's own long table so that an online user, who
downloads only pinned upstream files, gets the same sample as the mirror.

Usage:
    python tools/curate_leaderboard_backfill.py \
        MIRROR/oll_v2_fboulnois/derived_removed_models_backfill.csv
"""

import sys

import pandas as pd


def commit_url(ref: str) -> str:
    repo, sha = ref.split("@", 1)
    return f"https://github.com/{repo}/blob/{sha}/csv/huggingface_v2.csv"


def main(path: str, out: str = "data/leaderboard_backfill.csv") -> None:
    bf = pd.read_csv(path)
    rows = []
    for r in bf.itertuples(index=False):
        if isinstance(r.upload_date_backfill, str):
            rows.append((r.model_name, "upload_date", r.upload_date_backfill[:10],
                         commit_url(r.upload_date_source_commit)))
        if isinstance(r.base_model_backfill, str):
            rows.append((r.model_name, "base_model", r.base_model_backfill,
                         commit_url(r.base_model_source_commit)))
    df = pd.DataFrame(rows, columns=["model_id", "field", "value", "source"])
    df = df.sort_values(["model_id", "field"], kind="mergesort")
    df.to_csv(out, index=False, lineterminator="\n")
    print(f"wrote {len(df)} facts for {df.model_id.nunique()} models to {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
