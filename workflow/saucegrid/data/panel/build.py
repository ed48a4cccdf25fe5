"""The analysis sample of one out-of-sample panel.

- **post**: the Artificial Analysis (AA) panel rows released 2025-04-01 to 2025-12-31; the time
  structure is their quarters (2025q2 the baseline).
- **single**: the AA panel rows released 2022-10-01 to 2025-12-31 (AA's scores only, one
  protocol); the paper's three periods, then 2025q2-2025q4 as a fourth.
- **extended**: the paper-faithful sample (the default construction) plus the post rows as a
  fourth period, their scores mapped onto the leaderboard's scale (:mod:`.rescale`).

Every panel drops reasoning entries; the options drop hybrids' non-thinking modes or
family-imputed rows, take compute from active parameters, or take LifeArchitect's 2025-02
figures where a model is in both snapshots. Developer groups are re-cut on the panel's own
non-major developers, as in every sample.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.data.panel.options import END, IN_START, POST_START, PanelOptions
from saucegrid.data.panel.rescale import fit_rescale
from saucegrid.data.sample.common import corrected_score, month_index, period3, quarter_label
from saucegrid.data.sample.construct import (
    PAPER_SCORE_SOURCE,
    SAMPLE_COLUMNS,
    assign_developer_groups,
)

POST_PERIOD = "2025q2-2025q4"


def panel_rows(models: pd.DataFrame, opts: PanelOptions, guess_rate: float = 0.1
               ) -> tuple[pd.DataFrame, pd.Series]:
    """The AA panel rows usable under opts, from the panel's start to 2025-12-31, with compute
    and score; and the count dropped at each step (for the report's flow table)."""
    start = POST_START if opts.panel in ("post", "extended") else IN_START
    m = models[models["source"] == "aa_panel"].copy()
    flow = {"crosswalk rows": len(m)}
    steps = [
        ("in the window", m["release_date"].between(pd.Timestamp(start), pd.Timestamp(END))),
        ("not reasoning", m["aa_mode"] != "reasoning"),
        ("hybrids kept" if opts.hybrids == "include" else "no hybrid modes",
         (m["aa_mode"] != "hybrid_off") | (opts.hybrids == "include")),
        ("family rows kept" if opts.family == "include" else "no family-imputed rows",
         (m["aa_link"] != "family") | (opts.family == "include")),
        ("estimated figures kept" if opts.estimates == "include" else "disclosed figures only",
         ~(m["params_estimate"].fillna(False).astype(bool)
           | m["token_estimate_one_hop"].fillna(False).astype(bool))
         | (opts.estimates == "include")),
        ("known developer", m["developer"].notna()),
        ("MMLU-Pro score", m["mmlu_pro_raw"].notna()),
    ]
    for label, keep in steps:
        m = m[keep.reindex(m.index).fillna(False).astype(bool)]
        flow[label] = len(m)
    tok = m["tokens_t_one_hop"].astype(float)
    params = m["params_b"].astype(float)
    active = m["active_params_b"].astype(float)
    if opts.la_figures == "2025-02":  # models in both snapshots (the others are NaN there)
        old = m["tokens_t_2025_02"].notna() & m["params_b_2025_02"].notna()
        tok = tok.where(~old, m["tokens_t_2025_02"])
        params = params.where(~old, m["params_b_2025_02"])
        active = active.where(~old, m["active_params_b_2025_02"])
    n_params = active.where((opts.compute == "active") & (active > 0), params)
    m["compute_params_b"] = n_params
    m["params_b"] = params
    m["tokens_t"] = tok
    m["log10_flops"] = np.log10(6.0 * n_params * 1e9 * tok * 1e12)
    m["score_raw"] = m["mmlu_pro_raw"].astype(float)
    m["score"] = corrected_score(m["score_raw"], "mmlu_pro", guess_rate)
    m = m[(m["score"] > 0) & (m["score"] < 1) & np.isfinite(m["log10_flops"])]
    flow["score in the logit domain"] = len(m)
    return m, pd.Series(flow)


def twins_in(rows: pd.DataFrame, paper_sample: pd.DataFrame) -> set:
    """Panel rows whose model is already in the paper sample as a LifeArchitect row (by name),
    when the two sources date it on either side of April 2025. They stay out of the extended
    panel (the paper's row is kept)."""
    paper_ids = set(paper_sample["model_id"])
    la = {mid.split(":", 1)[1].strip().lower() for mid in paper_ids
          if str(mid).startswith("lifearchitect:")}
    hit = rows["lineage"].fillna("").str.strip().str.lower().isin(la)
    return set(rows.loc[hit, "model_id"])


def _periods(dates: pd.Series, panel: str) -> pd.Series:
    if panel == "post":
        return quarter_label(dates).str.lower()
    per = period3(dates)
    return per.where(per.notna(), np.where(pd.to_datetime(dates) >= pd.Timestamp(POST_START),
                                           POST_PERIOD, None))


def panel_sample(models: pd.DataFrame, opts: PanelOptions, majors, guess_rate: float = 0.1,
                 quantiles=(1 / 3, 2 / 3), paper_sample: pd.DataFrame | None = None
                 ) -> pd.DataFrame:
    """The analysis sample of one panel (columns of saucegrid.data.sample.SAMPLE_COLUMNS). For the
    extended panel, `paper_sample` is the default construction's MMLU-Pro sample."""
    m, _ = panel_rows(models, opts, guess_rate)
    if opts.panel == "extended":
        if paper_sample is None:
            raise ValueError("the extended panel needs the paper-faithful sample")
        m["score"] = fit_rescale(models, guess_rate).apply(m["score"])
    s = pd.DataFrame({
        "model_id": m["model_id"], "developer": m["developer"], "cluster": m["developer"],
        "release_date": m["release_date"], "period3": _periods(m["release_date"], opts.panel),
        "quarter": quarter_label(m["release_date"]), "month_index": month_index(
            m["release_date"]),
        "params_b": m["params_b"], "compute_params_b": m["compute_params_b"],
        "tokens_t": m["tokens_t"], "log10_flops": m["log10_flops"],
        "score_raw": m["score_raw"], "score": m["score"],
        # one score scale in every panel (AA's own, or mapped onto the leaderboard's): no
        # score-source dummy
        "score_source": PAPER_SCORE_SOURCE, "source": m["source"],
        "token_source": m["token_source_one_hop"], "token_base": m["token_base_one_hop"],
        "token_method": m["token_method_one_hop"],
        "token_is_estimate": m["token_estimate_one_hop"],
    })
    if opts.panel == "extended":
        s = pd.concat([paper_sample.drop(columns="developer_group"),
                       s[~s["model_id"].isin(twins_in(m, paper_sample))]],
                      ignore_index=True)
    s["developer_group"] = assign_developer_groups(s, majors, quantiles)
    return s[SAMPLE_COLUMNS].sort_values("model_id", kind="mergesort").reset_index(drop=True)
