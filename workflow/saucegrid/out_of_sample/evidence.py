"""The out-of-sample verdict with its uncertainty: computes the inputs of the rule in
:mod:`.verdict` on panel (c) and writes the verdict section of ``results/out_of_sample.md`` and
``results/out_of_sample.json`` (read by the findings ledger)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.estimation import bootstrap
from saucegrid.formatting import fmt_number as _fmt
from saucegrid.formatting import markdown_table
from saucegrid.out_of_sample import uncertainty
from saucegrid.out_of_sample import verdict as verdict_rule

PANEL = "single"


def compute(sample: pd.DataFrame, la_old: pd.DataFrame, la_new: pd.DataFrame, majors,
            quantiles, wcr: bootstrap.WCR, draws: int, seed: int) -> dict:
    """Everything the verdict and its section need, as plain numbers and strings."""
    sd, revisions = uncertainty.snapshot_spread(la_old, la_new)
    env = uncertainty.envelope(sample, majors, quantiles)
    shares = uncertainty.share_draws(sample, majors, quantiles, sd, draws, seed)
    ok = shares[np.isfinite(shares)]
    lo, hi = (np.quantile(ok, [0.025, 0.975]) if len(ok) >= 100 else (np.nan, np.nan))
    flip, flip_note = uncertainty.flip_point(sample, majors, quantiles)
    p_stab, inter = uncertainty.stability(sample, majors, quantiles, wcr)
    e = verdict_rule.Evidence(env.delta["total"] if env else np.nan,
                              env.share if env else np.nan, float(lo), float(hi), p_stab)
    verdict, why = verdict_rule.decide(e)
    est = sample["token_is_estimate"].fillna(False).to_numpy(bool)
    return {
        "panel": PANEL, "verdict": verdict, "why": why, "k": verdict_rule.TOP_K,
        "start_models": env.start if env else [], "end_models": env.end if env else [],
        "delta": env.delta if env else {}, "share": e.share, "share_low": e.share_low,
        "share_high": e.share_high, "draws": int(len(ok)), "compute_sd": sd,
        "revisions": {k: round(float(v), 3) for k, v in revisions.items()},
        "estimated_rows": int(est.sum()), "rows": int(len(est)),
        "flip_orders": flip, "flip_note": flip_note, "stability_p": p_stab,
        "stability_note": verdict_rule.stability_note(p_stab),
        "interactions": inter[["term", "estimate", "std_error", "p_wcr", "ci_wcr_low",
                               "ci_wcr_high"]].to_dict("records") if len(inter) else [],
    }


def section(ev: dict, single_pair_share: float) -> list[str]:
    """The verdict section, first in results/out_of_sample.md."""
    head = {"yes": "**Yes: compute still explains the frontier after March 2025.**",
            "no": "**No: compute no longer explains most of the frontier after March 2025.**",
            "undetermined": "**Undetermined: the data cannot say whether compute still "
                            "explains most of the frontier after March 2025.**"}[ev["verdict"]]
    d = ev["delta"]
    flip = (f"The verdict's bar (50%) is crossed when the end models' compute is overstated by "
            f"{ev['flip_orders']:.2f} orders of magnitude ({ev['flip_note']})."
            if np.isfinite(ev["flip_orders"]) else f"Flip point: none ({ev['flip_note']}).")
    lines = [head + f" Why: {ev['why']}.", "",
             f"- **Envelope frontier of panel (c)** (top {ev['k']} models of each end): "
             f"{', '.join(ev['start_models'])} → {', '.join(ev['end_models'])}. Mean change "
             f"in log-odds {d.get('total', np.nan):+.2f} = scaling "
             f"{d.get('scaling', np.nan):+.2f} + shared {d.get('shared', np.nan):+.2f} + "
             f"company {d.get('company', np.nan):+.2f} + model {d.get('model', np.nan):+.2f}; "
             f"scaling share {ev['share']:.0%}, 95% interval [{ev['share_low']:.0%}, "
             f"{ev['share_high']:.0%}] over {ev['draws']} draws of the compute estimates.",
             f"- **Compute-estimate error**: {ev['estimated_rows']} of {ev['rows']} models carry "
             f"estimated compute; each draw gives them a N(0, {ev['compute_sd']:.2f}) log10 "
             f"error, the RMS of the {len(ev['revisions'])} revisions of LLM-scale compute "
             "figures between LifeArchitect's 2025-02 and 2026-03 snapshots ("
             + ", ".join(f"{k} {v:+.2f}" for k, v in ev["revisions"].items()) + ").",
             f"- **Flip point**: {flip}",
             f"- **β_c stability**: {ev['stability_note']}.",
             f"- The single best pair of earlier versions' rule gives a scaling share of "
             f"{single_pair_share:.0%}; the verdict no longer rests on it.", ""]
    if ev["interactions"]:
        t = pd.DataFrame(ev["interactions"])
        t = pd.DataFrame({"term": t["term"], "estimate": t["estimate"].map(_fmt),
                          "CR1 SE": t["std_error"].map(_fmt), "WCR p": t["p_wcr"].map(_fmt),
                          "WCR 95% interval": [f"[{_fmt(a)}, {_fmt(b)}]" for a, b in
                                               zip(t["ci_wcr_low"], t["ci_wcr_high"],
                                                   strict=True)]})
        lines += ["Period × compute interactions inside panel (c):", "",
                  markdown_table(t, disable_numparse=True), ""]
    lines += ["The rule (`saucegrid/out_of_sample/verdict.py`, committed before these numbers "
              f"were computed): yes when the envelope moved up and its share's 95% interval lies "
              f"at or above {verdict_rule.SHARE_BAR:.0%}; no when it lies below; "
              "undetermined otherwise. "
              "The stability test qualifies the verdict and never flips it.", ""]
    return lines
