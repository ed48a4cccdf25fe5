"""The paper's own specifications: Table C.1, Table E.1, Figure 1 and the headline factors,
all read from fitted cells (see :mod:`saucegrid.grid`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import specs as P

C1_SAMPLES = ("full", "major", "major_below", "major_above")
C1_HEADERS = ["Full sample", "Major developers", "Major developers, below median FLOPs",
              "Major developers, above median FLOPs"]
C1_NOTES = ("OLS of the logit of the guess-corrected MMLU-Pro score on log10 training FLOPs, "
            "period and developer dummies. Baselines: 2022q4–2023q3 and other-small developers "
            "(column 1) or Nvidia (columns 2–4). Standard errors clustered by developer (CR1) "
            "in parentheses; * p<0.10, ** p<0.05, *** p<0.01 from t(G−1). — = omitted (empty "
            "or collinear in that sample).")
E1_NOTES = ("Eq. (E.1): the baseline specification plus period × log10 FLOPs interactions; "
            "baseline period 2022q4–2023q3; company and period effects included.")


def term_order(majors) -> list[str]:
    return ([P.LOG_FLOPS] + [f"period:{p}" for p in list(P.PERIOD3)[1:]]
            + [f"dev:{m}" for m in majors]
            + ["dev:other-medium", "dev:other-large", "dev:other-small", "const"])


def headline(cells: pd.DataFrame, majors, benchmark: str = "mmlu_pro") -> dict:
    """Headline factors of the full-sample baseline cell."""
    c = cells.set_index("cell_id").loc[P.Spec(benchmark=benchmark).cell_id]
    devf = {m: float(c[f"factor_dev:{m}"]) for m in majors
            if f"factor_dev:{m}" in c.index and np.isfinite(c[f"factor_dev:{m}"])}
    best = max(devf, key=devf.get) if devf else ""
    return {
        "beta_c": float(c["beta_c"]),
        "shared_progress_factor": float(c["shared_progress_factor"]),
        "deepseek_factor": devf.get("DeepSeek", np.nan),
        "microsoft_factor": devf.get("Microsoft", np.nan),
        "max_developer_factor": devf.get(best, np.nan),
        "max_developer": best,
        "gap_90_10_factor": float(c["gap_90_10_factor"]),
        "compute_spread_95_5": float(c["compute_spread_95_5"]),
        "developer_factors": devf,
    }
