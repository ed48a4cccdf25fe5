"""The frontier question: from the best model of 2024q3-2025q1 (the paper's last period) to the
best model of 2025q4, how much of the gain in log-odds is scaling?

Fig. 4-style: each component of Eq. (1) (scaling, shared progress, company, model) changes by
some log-odds between the two models; the scaling share of frontier progress is the scaling
change over the total change. Read off a fitted panel cell's stored coefficients (no refit)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.report.paper import pair_rows

START_PERIOD, END_QUARTER = "2024q3-2025q1", "2025Q4"


def frontier_pair(d) -> tuple[int, int] | None:
    """Rows of d: the best-scoring model of 2024q3-2025q1 and of 2025q4 (None if either
    period is empty)."""
    data = d.data
    score = data["score"].to_numpy(float)
    a = np.flatnonzero(data["period3"].to_numpy() == START_PERIOD)
    b = np.flatnonzero(data["quarter"].astype(str).to_numpy() == END_QUARTER)
    if not len(a) or not len(b):
        return None
    return int(a[np.argmax(score[a])]), int(b[np.argmax(score[b])])


def frontier(d, coef: dict, resid) -> pd.DataFrame:
    """The decomposition row, with the scaling share of the change (delta_scaling /
    delta_total); empty when the panel lacks either period."""
    pair = frontier_pair(d)
    if pair is None:
        return pd.DataFrame()
    out = pair_rows(d, coef, resid, {f"best {START_PERIOD} -> best {END_QUARTER.lower()}": pair})
    out["scaling_share_of_progress"] = out["delta_scaling"] / out["delta_total"]
    return out
