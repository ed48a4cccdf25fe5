"""Source: Artificial Analysis (AA) entries for the out-of-sample panels (saucegrid.data.panel).

Every row of the curated ``data/aa_crosswalk.csv`` becomes one candidate with AA's own MMLU-Pro
run, AA's release date, and the crosswalk's parameters and tokens (each with its source and an
estimate flag). These rows never enter the paper's sample: ``apply_options`` excludes them
(``panel_only``); the panels read them directly.

The mode of every AA entry is identified from its name, not taken on trust from the crosswalk:

- a ``(Non-reasoning)`` tag marks the non-thinking mode of a hybrid (``hybrid_off``);
- a ``(Reasoning)`` tag, "Thinking", or an effort tag such as ``(high)`` or ``(minimal)`` marks
  a reasoning mode;
- a name matching ``data/aa_always_reasoning.csv`` (families that always reason, each with its
  source) is reasoning;
- anything else is non-reasoning.

A crosswalk row whose ``mode`` disagrees stops the run, naming the row. So does a LifeArchitect
link whose figures disagree with that LifeArchitect row.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from saucegrid.data.checks import known
from saucegrid.data.curated import Curated
from saucegrid.data.sample.common import CANDIDATE_COLUMNS, TOKEN_FIELDS, developer_lookup
from saucegrid.data.sample.options import TOKEN_KEYS
from saucegrid.fileio import InputError, line_of

AA_URL = "https://artificialanalysis.ai/models/"
PANEL_SOURCES = ("aa_panel", "aa_pair")
PANEL_NUMERIC = ["active_params_b", "params_b_2025_02", "active_params_b_2025_02",
                 "tokens_t_2025_02"]
PANEL_COLUMNS = ["aa_mode", "aa_link", "params_estimate", "la_snapshot", *PANEL_NUMERIC]
NON_REASONING_TAG = re.compile(r"\(non[- ]reasoning\)", re.IGNORECASE)
REASONING_TAG = re.compile(r"\(reasoning\)|thinking|\((x?high|medium|low|minimal)\)|"
                           r"\breasoning\b", re.IGNORECASE)
FIGURE_TOLERANCE = 0.01  # relative: a LifeArchitect link must carry that row's figures


def aa_mode(name: str, slug: str, always: list[re.Pattern]) -> tuple[str, str]:
    """(mode, why) of one AA entry from its name and slug."""
    text = f"{name} {slug}"
    if NON_REASONING_TAG.search(name or ""):
        return "hybrid_off", "tag (Non-reasoning)"
    m = REASONING_TAG.search(name or "")
    if m:
        return "reasoning", f"tag {m.group(0)!r}"
    for rx in always:
        if rx.search(text):
            return "reasoning", f"data/aa_always_reasoning.csv /{rx.pattern}/"
    return "non_reasoning", "no reasoning tag or family"


def _la_lookup(la: pd.DataFrame) -> dict[str, pd.Series]:
    la = la[la["name"].notna()]
    return {str(n).strip().lower(): r for n, r in zip(la["name"], la.itertuples(index=False),
                                                       strict=True)}


def _from_elsewhere(facts_source: str, figure: str) -> bool:
    """Does facts_source give `figure` ("params" or "tokens") its own non-LifeArchitect source,
    as a segment "tokens 7.5T: <source>"?"""
    for seg in str(facts_source).split(";"):
        seg = seg.strip()
        if seg.lower().startswith(figure) and ":" in seg \
                and "lifearchitect" not in seg.split(":", 1)[1].lower():
            return True
    return False


def _check_la_figures(xw: pd.DataFrame, la_by_snap: dict, path) -> None:
    """exact and derivative rows whose facts come from LifeArchitect must carry its figures
    (a figure with a source of its own, "tokens 7.5T: <blog>", is exempt)."""
    bad = []
    for i, r in xw.iterrows():
        if r["link"] == "family" or "lifearchitect" not in str(r["facts_source"]).lower():
            continue
        L = la_by_snap[r["la_snapshot"]].get(str(r["la_name"]).strip().lower())
        if L is None:
            raise InputError(path, f"LifeArchitect {r['la_snapshot']} has no row "
                             f"{r['la_name']!r}", "fix la_name or la_snapshot", row=line_of(i))
        for fig, ours, theirs in (("params", r["params_b"], L.params_b),
                                  ("tokens", r["tokens_t"], L.tokens_b / 1e3)):
            if _from_elsewhere(r["facts_source"], fig):
                continue
            if not np.isclose(ours, theirs, rtol=FIGURE_TOLERANCE, atol=0):
                bad.append((i, ours, theirs))
    if bad:
        i, ours, theirs = bad[0]
        raise InputError(path, f"{len(bad)} row(s) cite LifeArchitect but carry other figures "
                         f"(first: {ours} against LifeArchitect's {theirs:g})",
                         "copy the LifeArchitect figures, or cite the source the figure "
                         "comes from", row=[line_of(j) for j, _, _ in bad])


def candidates(aa: pd.DataFrame, la_2025: pd.DataFrame, la_2026: pd.DataFrame, cur: Curated,
               source_file: str) -> pd.DataFrame:
    """One panel candidate per crosswalk row."""
    xw = cur.aa_crosswalk
    path = cur.paths.get("aa_crosswalk", "data/aa_crosswalk.csv")
    known(xw["aa_slug"], aa["aa_slug"], path, "slug(s)", "the Artificial Analysis file",
          "fix the slug or delete the row")
    by_slug = aa.set_index("aa_slug")
    la_by_snap = {"2025-02": _la_lookup(la_2025), "2026-03": _la_lookup(la_2026)}
    _check_la_figures(xw, la_by_snap, path)
    always = [re.compile(str(p), re.IGNORECASE) for p in cur.aa_always_reasoning["pattern"]]
    devmap = developer_lookup(cur)
    rows, wrong = [], []
    for i, r in xw.iterrows():
        a = by_slug.loc[r["aa_slug"]]
        mode, why = aa_mode(str(a["aa_name"]), r["aa_slug"], always)
        if mode != r["mode"]:
            wrong.append((i, r["aa_slug"], r["mode"], mode, why))
            continue
        old = la_by_snap["2025-02"].get(str(r["la_name"]).strip().lower())
        alt = _figures_2025_02(r, old)
        params, active, tokens = r["params_b"], r["active_params_b"], r["tokens_t"]
        creator = a["aa_creator"]
        row = {c: None for c in CANDIDATE_COLUMNS}
        row.update({
            "model_id": f"aapanel:{r['aa_slug']}", "name": a["aa_name"], "source": "aa_panel",
            "source_file": source_file, "source_row": int(a["entry"]),
            "developer_alias": creator,
            "developer": devmap.get(str(creator).strip().lower()) if pd.notna(creator) else None,
            "release_date": a["release_date"],
            "release_date_source": "Artificial Analysis release_date",
            "params_b": params, "params_source": r["facts_source"],
            "lineage": r["la_name"] if pd.notna(r["la_name"]) else None,
            "is_reasoning": mode == "reasoning", "reasoning_match": why,
            "is_reward_model": False, "merged": False, "flagged": False,
            "mmlu_pro_raw": a["mmlu_pro"], "mmlu_pro_source": f"{AA_URL}{r['aa_slug']} (AA's "
            "own run)", "math_l5_raw": np.nan,
            "aa_mode": mode, "aa_link": r["link"], "params_estimate": r["params_estimate"],
            "active_params_b": active, "la_snapshot": r["la_snapshot"], **alt,
        })
        tok = {"token_base": r["la_name"] if pd.notna(r["la_name"]) else None,
               "tokens_t": tokens, "token_source": r["facts_source"],
               "token_estimate": r["tokens_estimate"], "token_method": f"aa_crosswalk:{r['link']}",
               "base_developer": None,
               "active_ratio": active / params if active > 0 else np.nan}
        row.update({f"{f}_{k}": tok[f] for k in TOKEN_KEYS for f in TOKEN_FIELDS})
        rows.append(row)
    if wrong:
        i, slug, said, found, why = wrong[0]
        raise InputError(path, f"{len(wrong)} row(s) give a mode the AA name does not (first: "
                         f"{slug} says {said}, its name says {found}: {why})",
                         "fix the mode, or data/aa_always_reasoning.csv if the family always "
                         "reasons", row=[line_of(j) for j, *_ in wrong])
    cols = CANDIDATE_COLUMNS + PANEL_COLUMNS + [f"{f}_{k}" for k in TOKEN_KEYS
                                                for f in TOKEN_FIELDS]
    return pd.DataFrame(rows, columns=cols)


def _figures_2025_02(r: pd.Series, old) -> dict:
    """The row's figures with LifeArchitect's 2025-02 ones where the model is in that snapshot
    (all NaN when it is not): each figure taken from the 2025-02 row only when that row has it
    and the crosswalk took the figure from LifeArchitect; a family row keeps its params (from
    the name), and a figure with a source of its own keeps it."""
    if old is None:
        return {"params_b_2025_02": np.nan, "active_params_b_2025_02": np.nan,
                "tokens_t_2025_02": np.nan}
    params, tokens = r["params_b"], r["tokens_t"]
    if r["link"] != "family" and old.params_b > 0 \
            and not _from_elsewhere(r["facts_source"], "params"):
        params = old.params_b
    if old.tokens_b > 0 and not _from_elsewhere(r["facts_source"], "tokens"):
        tokens = old.tokens_b / 1e3
    share = r["active_params_b"] / r["params_b"] if r["active_params_b"] > 0 else np.nan
    return {"params_b_2025_02": params, "active_params_b_2025_02": params * share,
            "tokens_t_2025_02": tokens}


def pairs(aa: pd.DataFrame, lb: pd.DataFrame, cur: Curated, source_file: str) -> pd.DataFrame:
    """One row per curated AA / leaderboard pair (``data/aa_leaderboard_pairs.csv``): AA's
    score, the leaderboard id in ``lineage`` (saucegrid.data.panel.rescale fits on them)."""
    pr = cur.aa_leaderboard_pairs
    path = cur.paths.get("aa_leaderboard_pairs", "data/aa_leaderboard_pairs.csv")
    known(pr["aa_slug"], aa["aa_slug"], path, "slug(s)", "the Artificial Analysis file",
          "fix the slug or delete the row")
    known(pr["leaderboard_id"], lb["model_id"], path, "leaderboard id(s)", "the leaderboard",
          "fix the id (as on the leaderboard) or delete the row")
    a = aa.set_index("aa_slug").loc[pr["aa_slug"]]
    out = pd.DataFrame({c: None for c in CANDIDATE_COLUMNS}, index=range(len(pr)))
    out["model_id"] = ("aapair:" + pr["aa_slug"]).to_numpy()
    out["name"] = a["aa_name"].to_numpy()
    out["source"] = "aa_pair"
    out["source_file"] = source_file
    out["source_row"] = a["entry"].to_numpy()
    out["release_date"] = a["release_date"].to_numpy()
    out["lineage"] = pr["leaderboard_id"].to_numpy()
    out["mmlu_pro_raw"] = a["mmlu_pro"].to_numpy(float)
    out["mmlu_pro_source"] = (AA_URL + pr["aa_slug"] + " (AA's own run)").to_numpy()
    for c in ("is_reasoning", "flagged", "is_reward_model", "merged"):
        out[c] = False
    return out
