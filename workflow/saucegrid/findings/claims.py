"""The paper's claims C1-C7 (abstract and introduction), what "holds" means for each in one grid
cell, the null each is tested under, and the status rule. Fixed here, before any number is read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STATUSES = ("replicated", "replicated in direction only", "not replicated",
            "fragile (depends on a grid choice)", "not testable with public data")
FRAGILE_BELOW = 0.5  # a claim that holds in fewer than half of the grid cells is fragile
WIDE_ORDERS = 2.0  # a factor's interval wider than 100-fold confirms no magnitude
WIDE_SHARE = 0.5  # nor does a share's interval wider than 50 points


@dataclass(frozen=True)
class Claim:
    id: str
    text: str  # the paper's words, shortened
    quantity: str  # what our number is
    holds: str  # the rule applied to each grid cell
    null: str  # the null hypothesis of the valid-inference test
    needs_rejection: bool  # does the claim assert that the null is false?
    log_scale: bool  # a compute factor (forest figure on a log axis)


CLAIMS = {
    "C1": Claim("C1", "company effects explain 14–18% of performance differences: strong "
                "evidence for a secret sauce",
                "company share of R² (Shapley), full sample",
                "the company share is at least 14% (the paper's lower bound)",
                "(c) no major developer differs from non-major developers of similar size "
                "(joint studentized RI)", True, False),
    "C2": Claim("C2", "scaling explains 80–90% of frontier performance (77% → 88% over the "
                "window)", "scaling share of the last frontier model (Fig. 4 reading)",
                "the last frontier model's scaling share is at least 50% (full-sample cells)",
                "the last frontier model's scaling share is at most 50% (hybrid bootstrap "
                "interval)", True, False),
    "C3": Claim("C3", "shared algorithmic progress raised effective compute 7.5× (MATH L5: "
                "11×)", "compute factor of the last period over the first, 10^(γ/β_c)",
                "the factor exceeds 1× (cells with a level-shift period effect; an "
                "undefined factor does not hold)",
                "no shared progress: the last period's effect is 0 (WCR)", True, True),
    "C4": Claim("C4", "among smaller models some developers are up to 61× more "
                "compute-efficient (Microsoft, 60.5×)",
                "Microsoft's compute factor over its size peers (other-small), 10^(δ/β_c)",
                "some major's compute factor over the cell's baseline group is at least 10×",
                "(c) Microsoft's models do not differ from those of non-major developers of "
                "similar size (closed-testing RI p, adjusted for ten majors)", True, True),
    "C5": Claim("C5", "a 41× 90–10 gap in model efficiency within companies (MATH L5: 186×)",
                "10^((p90 − p10 of the majors' model effects)/β_c)",
                "the 90–10 gap is at least 10×", "no within-company spread: the gap is 1× "
                "(hybrid bootstrap interval)", True, True),
    "C6": Claim("C6", "the compute elasticity did not shift over time (Table E.1)",
                "period 2024q3–2025q1 × log10 FLOPs interaction (logits per 10×)",
                "no period × compute interaction is significant (Bonferroni over their WCR "
                "p values ≥ 0.05)", "one compute elasticity in every period (WCR)", False,
                False),
    "C7a": Claim("C7a", "the compute needed to reach 15% MMLU-Pro fell about 50× for major "
                 "developers (Table B.1)",
                 "first major model to reach 15% over the least-compute major model reaching "
                 "it", "the reduction is at least 10×", "none: a ratio of two observed models' "
                 "compute (no sampling model)", False, True),
    "C7b": Claim("C7b", "… and about 8,000× for all developers",
                 "first model to reach 15% over the least-compute model reaching it",
                 "the reduction is at least 10×", "none: a ratio of two observed models' "
                 "compute (no sampling model)", False, True),
}


def status(ours: float, low: float, high: float, paper_low: float, paper_high: float,
           holds_default: bool | None, grid_share: float, rejected: bool | None,
           claim: Claim) -> tuple[str, str]:
    """(status, why), by a fixed order of rules:

    1. no number of ours: not testable with public data;
    2. the claim does not hold in the default cell: not replicated;
    3. it holds in fewer than half the in-window grid cells: fragile;
    4. it asserts an effect and its valid test does not reject: replicated in direction only;
    5. our interval is too wide to confirm any magnitude (a factor's spans more than
       ``WIDE_ORDERS`` orders of magnitude, a share's more than ``WIDE_SHARE``): in direction
       only;
    6. the paper's number (or range) meets our 95% interval: replicated; else in direction only.
    """
    if not np.isfinite(ours):
        return STATUSES[4], "no number can be computed from the public data"
    if holds_default is False:
        return STATUSES[2], "the claim's rule fails in the default cell"
    if np.isfinite(grid_share) and grid_share < FRAGILE_BELOW:
        return STATUSES[3], f"holds in {grid_share:.0%} of the in-window grid cells"
    if claim.needs_rejection and rejected is False:
        return STATUSES[1], "the valid test does not reject its null"
    if not (np.isfinite(low) and np.isfinite(high)):
        return STATUSES[1], "our number has no interval to compare with the paper's"
    wide = _too_wide(low, high, claim)
    if wide:
        return STATUSES[1], wide
    if high >= paper_low and low <= paper_high:
        return STATUSES[0], "the paper's number lies in our 95% interval"
    return STATUSES[1], "the paper's number lies outside our 95% interval"


def _too_wide(low: float, high: float, claim: Claim) -> str:
    """Why an interval is too wide to confirm a magnitude ('' when it is not)."""
    if claim.log_scale:
        orders = np.log10(high / low) if low > 0 else np.inf
        if orders > WIDE_ORDERS:
            return (f"our 95% interval spans {orders:.1f} orders of magnitude: it contains the "
                    "paper's number but cannot confirm any magnitude")
    elif claim.id in ("C1", "C2") and high - low > WIDE_SHARE:
        return (f"our 95% interval is {high - low:.0%} wide: it cannot confirm any "
                "magnitude")
    return ""
