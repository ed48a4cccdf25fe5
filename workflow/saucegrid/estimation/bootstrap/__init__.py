"""The wild cluster restricted (WCR) bootstrap: weights (:mod:`.draws`), the per-draw algebra
and p values (:mod:`.core`), test-inversion intervals (:mod:`.intervals`) and one grid cell
(:mod:`.per_cell`)."""

from saucegrid.estimation.bootstrap.core import (
    PreparedFit,
    Test,
    XPart,
    prepare,
    pvalues,
    test,
    test_many,
    x_part,
)
from saucegrid.estimation.bootstrap.draws import (
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
from saucegrid.estimation.bootstrap.intervals import ci_many
from saucegrid.estimation.bootstrap.per_cell import WCR, coerce_cli, wcr_cell
from saucegrid.estimation.bootstrap.tstats import FAR, TIE

__all__ = [
    "FAR", "RADEMACHER", "SUPPORT", "TIE", "WCR", "WEBB", "PreparedFit", "Test", "XPart",
    "all_rademacher", "cached_draws", "choose_weights", "ci_many", "coerce_cli", "draws",
    "enumerate_all", "prepare", "pvalues", "test", "test_many", "wcr_cell", "weights", "x_part",
]
