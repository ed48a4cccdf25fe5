"""The t statistics the WCR bootstrap compares, shared by its p values (:mod:`.core`) and its
test-inversion intervals (:mod:`.intervals`): |t| of the estimate, |t*| of each draw at a null
b0, and the bar a draw must reach to count as at least as extreme."""

from __future__ import annotations

import numpy as np

# |t*| >= |t| (1 - TIE) counts as "at least as extreme": a tie up to rounding, e.g. the all-ones
# draw, which rebuilds the data and so has t* = t exactly
TIE = 1e-9
FAR = 1e5  # an interval end not rejected this many standard errors away is reported as +-inf


def extreme_bar(t):
    """The |t*| a draw needs to count as at least as extreme as |t|."""
    return t * (1 - TIE) - TIE


def abs_tstar(n0, n1, q00, q01, q11, corr, b0):
    """|t*| of each draw at the null b0 (0/0 is NaN: never extreme)."""
    num = n0 - b0 * n1
    var = np.maximum(q00 - 2 * b0 * q01 + b0 * b0 * q11, 0.0) * corr
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.abs(num / np.sqrt(var))


def abs_t(beta, se, b0):
    return np.abs((beta - b0) / se)


DRAW_FIELDS = ("n0", "n1", "q00", "q01", "q11")
