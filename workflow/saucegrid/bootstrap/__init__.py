"""The wild cluster restricted (WCR) bootstrap: weights (:mod:`.draws`), the per-draw algebra
and p values (:mod:`.core`), test-inversion intervals (:mod:`.intervals`) and one grid cell
(:mod:`.per_cell`)."""

from .core import FAR, TIE, Prepared, Test, XPart, prepare, pvalues, test, test_many, x_part
from .draws import (
                    RADEMACHER,
                    SUPPORT,
                    WEBB,
                    all_rademacher,
                    cached_draws,
                    choose_weights,
                    draws,
                    enumerate_all,
                    weights,
)
from .intervals import ci_many
from .per_cell import WCR, cell, coerce_cli

__all__ = [
    "FAR", "RADEMACHER", "SUPPORT", "TIE", "WCR", "WEBB", "Prepared", "Test", "XPart",
    "all_rademacher", "cached_draws", "cell", "choose_weights", "ci_many", "coerce_cli", "draws",
    "enumerate_all", "prepare", "pvalues", "test", "test_many", "weights", "x_part",
]
