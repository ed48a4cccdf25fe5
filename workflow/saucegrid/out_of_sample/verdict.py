"""The out-of-sample verdict rule, stated before its inputs are computed (issue #20).

The rule reads panel (c), single-source (Artificial Analysis scores only, 2022q4-2025q4), and
three quantities that :mod:`saucegrid.out_of_sample.uncertainty` computes:

1. **The envelope frontier.** The top ``k`` = 3 models by score of 2024q3-2025q1 and of
   2025q4; each component's change is the mean over the end models minus the mean over the
   start models. Its *scaling share* is Δscaling / Δtotal.
2. **Its 95% interval** over draws of the compute estimates: every model whose compute is an
   estimate gets a log10 error drawn at the spread measured between LifeArchitect's two
   snapshots, the panel is refitted and the envelope share recomputed; the interval is the
   2.5-97.5 percentiles of the draws.
3. **β_c stability**: the period x log10 FLOPs interactions inside panel (c), tested jointly by
   the wild restricted bootstrap (the null: one compute elasticity in every period).

The verdict:

- **Yes, compute still explains the frontier** when the envelope moved up (Δtotal > 0) and the
  interval's lower end is at least 50%;
- **No** when the envelope moved up and the interval's upper end is below 50%;
- **Undetermined** otherwise (the interval straddles 50%, or the frontier did not move up, in
  which case no share of progress is defined).

The stability test qualifies the verdict and never flips it: with a shifted elasticity, "scaling"
is measured at an average elasticity, and the verdict says so. The point estimate of the single
best pair (the rule of earlier versions) is reported beside the verdict, not used by it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SHARE_BAR = 0.5  # "explains the frontier": at least half of the envelope's gain is scaling
TOP_K = 3
ALPHA = 0.05


@dataclass(frozen=True)
class Evidence:
    delta_total: float  # the envelope's gain in log-odds
    share: float  # its scaling share, point estimate
    share_low: float  # 95% interval over compute-estimate draws
    share_high: float
    stability_p: float  # joint WCR p of the period x compute interactions in panel (c)


def decide(e: Evidence) -> tuple[str, str]:
    """(verdict, why): verdict in {"yes", "no", "undetermined"}."""
    if not np.isfinite(e.delta_total) or e.delta_total <= 0:
        return "undetermined", (f"the envelope did not move up (Δ log-odds {e.delta_total:+.2f}),"
                                " so no share of progress is defined")
    if not (np.isfinite(e.share_low) and np.isfinite(e.share_high)):
        return "undetermined", "the scaling share has no interval"
    if e.share_low >= SHARE_BAR:
        return "yes", (f"the 95% interval of the scaling share, [{e.share_low:.0%}, "
                       f"{e.share_high:.0%}], lies above {SHARE_BAR:.0%}")
    if e.share_high < SHARE_BAR:
        return "no", (f"the 95% interval of the scaling share, [{e.share_low:.0%}, "
                      f"{e.share_high:.0%}], lies below {SHARE_BAR:.0%}")
    return "undetermined", (f"the 95% interval of the scaling share, [{e.share_low:.0%}, "
                            f"{e.share_high:.0%}], includes {SHARE_BAR:.0%}")


def stability_note(p: float) -> str:
    if not np.isfinite(p):
        return "β_c stability inside panel (c) could not be tested"
    if p < ALPHA:
        return (f"β_c is not stable inside panel (c) (joint WCR p = {p:.3f} for the period × "
                "compute interactions): the scaling share uses the average elasticity")
    return (f"no evidence that β_c shifted inside panel (c) (joint WCR p = {p:.3f} for the "
            "period × compute interactions; a non-rejection, not proof of stability)")
