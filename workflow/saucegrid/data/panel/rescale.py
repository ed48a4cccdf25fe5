"""Artificial Analysis (AA) MMLU-Pro on the leaderboard's scale.

AA runs its own chain-of-thought protocol; on the same non-reasoning models it sits about nine
points above the leaderboard's 5-shot runs, and the gap grows with capability. A level dummy
cannot absorb that, and in the extended panel it would be collinear with the post-window period.
So AA scores are mapped: on the curated pairs (``data/aa_leaderboard_pairs.csv``: an AA entry and
the leaderboard model it is), OLS of the leaderboard's logit guess-corrected score on AA's,

    logit(y_LB) = a + b logit(y_AA),

and a post-window AA score enters as expit(a + b logit(y_AA)): its leaderboard-scale equivalent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from saucegrid.data.sample.common import corrected_score


def _logit(p):
    return np.log(p / (1 - p))


@dataclass(frozen=True)
class Rescale:
    a: float
    b: float
    n: int
    r: float  # correlation of the two logits
    resid_sd: float
    mean_gap_points: float  # mean AA - leaderboard, raw accuracy points

    def apply(self, y_aa):
        """Guess-corrected AA scores -> guess-corrected leaderboard-scale scores."""
        return 1 / (1 + np.exp(-(self.a + self.b * _logit(np.asarray(y_aa, float)))))


def pairs_frame(models: pd.DataFrame) -> pd.DataFrame:
    """The pair rows of the candidates (source aa_pair, their leaderboard id in lineage) with
    both raw scores."""
    pr = models[models["source"] == "aa_pair"]
    lb = models[models["source"] == "leaderboard"].drop_duplicates("model_id") \
        .set_index("model_id")["mmlu_pro_raw"]
    return pd.DataFrame({"aa_slug": pr["model_id"].str.removeprefix("aapair:").to_numpy(),
                         "leaderboard_id": pr["lineage"].to_numpy(),
                         "aa": pr["mmlu_pro_raw"].to_numpy(float),
                         "leaderboard": pr["lineage"].map(lb).to_numpy(float)})


def fit_rescale(models: pd.DataFrame, guess_rate: float = 0.1) -> Rescale:
    p = pairs_frame(models).dropna(subset=["aa", "leaderboard"])
    x = _logit(corrected_score(p["aa"].to_numpy(), "mmlu_pro", guess_rate))
    y = _logit(corrected_score(p["leaderboard"].to_numpy(), "mmlu_pro", guess_rate))
    ok = np.isfinite(x) & np.isfinite(y)
    x, y, p = x[ok], y[ok], p[ok]
    if len(x) < 3:
        raise ValueError(f"{len(x)} usable AA / leaderboard pairs: too few to fit the rescaling")
    X = np.column_stack([np.ones(len(x)), x])
    (a, b), *_ = np.linalg.lstsq(X, y, rcond=None)
    e = y - X @ [a, b]
    return Rescale(float(a), float(b), int(len(x)), float(np.corrcoef(x, y)[0, 1]),
                   float(np.sqrt(e @ e / (len(x) - 2))),
                   float(100 * (p["aa"] - p["leaderboard"]).mean()))
