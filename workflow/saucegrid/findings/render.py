"""``results/findings.md``: the ledger on one page."""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.findings.claims import FRAGILE_BELOW, STATUSES
from saucegrid.formatting import markdown_table

BENCH = {"mmlu_pro": "MMLU-Pro", "math_l5": "MATH L5"}


def fmt_value(claim: str, x: float) -> str:
    if not np.isfinite(x):
        return "undefined"
    if claim in ("C1", "C2"):
        return f"{x:.0%}"
    if claim == "C6":
        return f"{x:+.3f}"
    if x < 1:
        return f"{x:.2g}×"
    return f"{x:,.1f}×" if x < 100 else f"{x:,.0f}×"


def _text(x) -> str:
    return x if isinstance(x, str) else ""


def ours(r) -> str:
    v = fmt_value(r.claim, r.ours)
    if not (np.isfinite(r.low) and np.isfinite(r.high)):
        why = f": {_text(r.interval_note)}" if _text(r.interval_note) else ""
        return f"{v} (no interval{why})"
    return f"{v} [{fmt_value(r.claim, r.low)}, {fmt_value(r.claim, r.high)}]"


def grid(r) -> str:
    if not r.grid_cells:
        return "no cells"
    und = f", {r.grid_undefined} undefined" if r.grid_undefined else ""
    return f"{r.grid_holds} of {r.grid_cells} ({r.grid_share:.0%}{und})"


NO_ACROSS = ("## Across benchmarks\n\nNot built: `snakemake --cores 2 results/benchmarks.md` fits "
             "the paper's specifications on the leaderboard's other four benchmarks (IFEval, "
             "BBH, GPQA, MUSR); this page then says, per claim, whether it holds on each.\n")


def markdown(ledger: pd.DataFrame, figure: str, oos_verdict: str, across: str = NO_ACROSS) -> str:
    """The findings page; `across`: its section "Across benchmarks" (a markdown fragment)."""
    counts = ledger["status"].value_counts()
    out = [
        "# Findings: which of the paper's claims survive", "",
        "One row per claim of the abstract and introduction, and per benchmark where the paper "
        "gives a number. *Ours* is the default construction's number with a 95% interval by "
        "the method named below it; *grid* counts the in-window cells where the claim holds "
        "(rule per claim below); *valid inference* tests the claim under the null named below "
        "it, with methods that hold their size with few clusters; *2025* is the out-of-sample "
        "test (`results/out_of_sample.md`). The status comes from a fixed rule "
        "(`saucegrid/findings/claims.py`): not testable → not replicated (fails in the default "
        f"cell) → fragile (holds in under {FRAGILE_BELOW:.0%} of the grid) → replicated in "
        "direction only (its valid test does not reject, or the paper's number lies outside "
        "our interval) → replicated.", "",
        "**Status count:** " + "; ".join(f"{s}: {int(counts.get(s, 0))}" for s in STATUSES)
        + ".", "",
        f"**Out of sample (2025):** {oos_verdict}", "",
    ]
    t = pd.DataFrame({
        "claim": ledger["claim"], "benchmark": ledger["benchmark"].map(BENCH),
        "paper": ledger["paper"],
        "ours [95%]": [ours(r) for r in ledger.itertuples()],
        "grid: holds in": [grid(r) for r in ledger.itertuples()],
        "valid inference": ledger["inference"], "2025": ledger["out_of_sample"],
        "status": ledger["status"]})
    out += [markdown_table(t, disable_numparse=True), "",
            f"![Paper against ours, with 95% intervals]({figure})", "", "## Each claim", ""]
    for cid, g in ledger.groupby("claim", sort=False):
        r = g.iloc[0]
        out += [f"### {cid}: {r.claim_text}", "",
                f"- **Our number**: {r.quantity}.",
                f"- **Holds in a cell when** {r.holds_rule}.",
                f"- **Null tested**: {r.null}."]
        for x in g.itertuples():
            b = BENCH[x.benchmark]
            out += [f"- **{b}**: ours {ours(x)}, interval by {x.interval_method}"
                    + (f" ({_text(x.interval_note)})" if _text(x.interval_note) else "") + ".",
                    f"  Status: **{x.status}**: {x.status_why}.",
                    f"  Caveat: {_text(x.caveat) or 'none'}.",
                    f"  Evidence: `{x.artifact}` (`{x.key}`)."]
        out.append("")
    return "\n".join(out + [across])
