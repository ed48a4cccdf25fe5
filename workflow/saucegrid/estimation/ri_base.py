"""The pieces every randomization test shares: cluster sums in one pass and the rank p value."""

from __future__ import annotations

import numpy as np

TIE = 1e-12



def rank_p(obs: float, placebo: np.ndarray) -> float:
    """(1 + #{placebo >= obs, up to a relative TIE}) / (1 + P); NaN without placebos."""
    placebo = np.asarray(placebo, float)
    placebo = placebo[np.isfinite(placebo)]
    if not len(placebo) or not np.isfinite(obs):
        return np.nan
    return float((1 + np.sum(placebo >= obs * (1 - TIE) - TIE)) / (1 + len(placebo)))


class Clusters:
    """Cluster sums of any n-row array in one pass (rows sorted by cluster once)."""

    def __init__(self, codes: np.ndarray):
        self.codes = np.asarray(codes)
        self.G = int(self.codes.max()) + 1
        self.order = np.argsort(self.codes, kind="stable")
        self.starts = np.searchsorted(self.codes[self.order], np.arange(self.G))
        self.n = np.bincount(self.codes, minlength=self.G).astype(float)

    def sum(self, M: np.ndarray) -> np.ndarray:
        return np.add.reduceat(np.asarray(M)[self.order], self.starts, axis=0)
