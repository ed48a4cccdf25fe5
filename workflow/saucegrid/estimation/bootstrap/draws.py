"""Bootstrap weights: Rademacher and Webb draws, full enumeration, and the seeded draws of a
cell (shared by every cell with the same number of clusters)."""

from __future__ import annotations

import itertools

import numpy as np

WEBB = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
RADEMACHER = np.array([-1.0, 1.0])
SUPPORT = {"rademacher": RADEMACHER, "webb": WEBB}


def weights(G: int, B: int, kind: str, rng: np.random.Generator) -> np.ndarray:
    """G x B matrix of cluster weights: 'rademacher' or 'webb'."""
    if kind not in SUPPORT:
        raise ValueError(f"unknown weight distribution {kind!r}; use rademacher or webb")
    return rng.choice(SUPPORT[kind], size=(G, B))


def enumerate_all(G: int, kind: str) -> np.ndarray:
    """Every weight vector of the distribution, as a G x (support^G) matrix."""
    pts = SUPPORT[kind]
    return np.array(list(itertools.product(pts, repeat=G))).T.reshape(G, -1)


def all_rademacher(G: int) -> np.ndarray:
    """Every one of the 2^G Rademacher sign vectors, as a G x 2^G matrix."""
    return enumerate_all(G, "rademacher")


def choose_weights(G: int, webb_max_clusters: int = 12) -> str:
    return "webb" if G <= webb_max_clusters else "rademacher"


def draws(G: int, B: int, kind: str, seed: int) -> tuple[np.ndarray, bool]:
    """The weights for a cell with G clusters: all support^G vectors when there are at most B
    of them (the exact bootstrap distribution, as boottest does), else B seeded random draws.
    Returns (V, enumerated). Cells with the same G share their draws (common random numbers),
    so a cell's result never depends on which other cells are fitted, or in which order."""
    if len(SUPPORT[kind]) ** G <= B:
        return enumerate_all(G, kind), True
    return weights(G, B, kind, np.random.default_rng([seed, G])), False


_DRAWS: dict = {}


def cached_draws(G: int, B: int, kind: str, seed: int) -> tuple[np.ndarray, bool]:
    """:func:`draws`, kept for the last few (G, B, kind, seed): cells of a slice share G."""
    key = (G, B, kind, seed)
    if key not in _DRAWS:
        if len(_DRAWS) >= 4:
            _DRAWS.pop(next(iter(_DRAWS)))
        _DRAWS[key] = draws(G, B, kind, seed)
    return _DRAWS[key]
