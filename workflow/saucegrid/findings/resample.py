"""The hybrid bootstrap behind the ledger's share and spread intervals (claims C1, C2, C5).

The paper's claims are about *named* companies: the ten major developers are not a sample
from a population of majors, and each is one cluster, so no cluster bootstrap can resample them.
The other developers (about 180 of them, pooled into three size groups) are a sample. The
bootstrap therefore

- keeps every major and resamples its models with replacement within it (the uncertainty of
  which models a major happened to release), and
- resamples the non-major developers as clusters, with replacement, each drawn developer
  bringing all its models (their developer-level shocks stay in the residual, so their
  dependence is kept).

It is a fixed-effects inference on the majors and a cluster inference on the rest. It is valid
with many non-major clusters; :mod:`.coverage` checks its coverage on synthetic outcomes shaped
like the real sample. Everything is computed on the design matrix (rows drawn, no rebuild), so a
draw costs one small OLS.
"""

from __future__ import annotations

import numpy as np


def draw_rows(codes: np.ndarray, is_major: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Row indices of one bootstrap sample: majors' models within each major, other developers
    (clusters `codes`) as whole clusters."""
    out = []
    major_codes = np.unique(codes[is_major])
    for c in major_codes:
        rows = np.flatnonzero(codes == c)
        out.append(rng.choice(rows, size=len(rows), replace=True))
    other = np.setdiff1d(np.unique(codes), major_codes)
    by = {c: np.flatnonzero(codes == c) for c in other}
    for c in rng.choice(other, size=len(other), replace=True):
        out.append(by[c])
    return np.concatenate(out) if out else np.array([], int)


def live_columns(X: np.ndarray, protect: int = 0) -> np.ndarray:
    """Columns of X that are not constant zero (a size group none of whose developers was drawn
    has an empty dummy; it is dropped from the draw)."""
    keep = np.any(X != 0, axis=0)
    keep[protect] = True
    return np.flatnonzero(keep)


def percentile(draws: np.ndarray, level: float = 0.95) -> tuple[float, float, int]:
    """(low, high, usable draws): the percentile interval of the finite draws; NaN when fewer
    than 100 draws are usable."""
    x = np.asarray(draws, float)
    x = x[np.isfinite(x)]
    if len(x) < 100:
        return np.nan, np.nan, len(x)
    a = (1 - level) / 2
    lo, hi = np.quantile(x, [a, 1 - a])
    return float(lo), float(hi), len(x)
