"""Source: Artificial Analysis (AA) MMLU-Pro, the stand-in for TIGER-Lab's leaderboard.

The paper appends 87 proprietary and large models with TIGER-Lab MMLU-Pro scores; that
leaderboard is not public. The stand-in (option ``aa_standin=include``) adds the LifeArchitect
models that have params and tokens but no MMLU-Pro score of their own, with AA's score, through
the curated ``data/aa_crosswalk.csv`` (non-reasoning entries only; a vision run is not the
text benchmark). AA runs its own chain-of-thought protocol, about +9 points above the
leaderboard's 5-shot runs on the same models, so these rows carry ``score_source =
artificial_analysis`` and the design gets a score-source dummy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.data.checks import known
from saucegrid.data.curated import Curated
from saucegrid.data.sample.common import CANDIDATE_COLUMNS, TOKEN_FIELDS
from saucegrid.data.sample.options import TOKEN_KEYS
from saucegrid.fileio import line_of

AA_URL = "https://artificialanalysis.ai/models/"


def candidates(aa: pd.DataFrame, la_cand: pd.DataFrame, cur: Curated,
               source_file: str) -> pd.DataFrame:
    """One candidate per crosswalk row: LifeArchitect's facts, AA's score and date."""
    xw = cur.aa_crosswalk
    # the stand-in is the LifeArchitect 2025-02 row itself (exact or derivative), never a
    # family sibling; the other rows serve the out-of-sample panels (sample.aa_panel)
    xw = xw[(xw["la_snapshot"] == "2025-02") & (xw["link"] != "family")]
    path = cur.paths.get("aa_crosswalk", "data/aa_crosswalk.csv")
    by_slug = aa.set_index("aa_slug")
    known(xw["aa_slug"], by_slug.index, path, "slug(s)", "the Artificial Analysis file",
          "fix the slug or delete the row")
    la = la_cand[la_cand["duplicate_of"].isna()]
    la = la.set_index(la["name"].str.lower())
    known(xw["la_name"], la.index, path, "LifeArchitect name(s)", "the LifeArchitect table",
          "fix the name or delete the row", casefold=True)
    rows = []
    for i, r in xw.iterrows():
        a = by_slug.loc[r["aa_slug"]]
        L = la.loc[r["la_name"].lower()]
        row = {c: L[c] for c in CANDIDATE_COLUMNS if c in L.index}
        row.update({f"{f}_{k}": L[f"{f}_{k}"] for k in TOKEN_KEYS for f in TOKEN_FIELDS})
        note = str(r.get("note", "") or "")
        row.update({
            "model_id": f"aa:{r['aa_slug']}", "name": a["aa_name"],
            "source": "artificial_analysis", "source_file": source_file,
            "source_row": int(a["entry"]),
            "release_date": a["release_date"], "release_date_source": "Artificial Analysis "
            "release_date",
            "is_reasoning": r["mode"] == "reasoning",
            "reasoning_match": f"data/aa_crosswalk.csv mode={r['mode']}"
            if r["mode"] != "non_reasoning" else None,
            "mmlu_pro_raw": a["mmlu_pro"] if "vision" not in note.lower() else np.nan,
            "mmlu_pro_source": f"{AA_URL}{r['aa_slug']} (AA's own run)",
            "math_l5_raw": np.nan, "math_l5_source": None, "lineage": r["la_name"],
            "params_source": f"{L['params_source']} ({r['la_name']}, crosswalk line "
            f"{line_of(i)}, link {r['link']})",
            # the LifeArchitect row is this model: the stand-in replaces it only where that row
            # has no score of its own
            "duplicate_of": L["model_id"] if pd.notna(L["mmlu_pro_raw"]) else None,
        })
        rows.append(row)
    if not rows:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    return pd.DataFrame(rows)
