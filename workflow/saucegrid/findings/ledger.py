"""The ledger's rows: each claim's numbers, read from the artifacts that hold them, and its
status by the rule of :mod:`.claims`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.estimation import estimate, specs
from saucegrid.findings.claims import CLAIMS, status
from saucegrid.formatting import fmt_p

LEDGER_COLUMNS = ["claim", "benchmark", "claim_text", "quantity", "paper", "paper_low",
                  "paper_high", "ours", "low", "high", "interval_method", "interval_note",
                  "holds_rule", "grid_holds", "grid_cells", "grid_undefined", "grid_share",
                  "null", "p_value", "rejected", "inference", "out_of_sample", "caveat",
                  "status", "status_why", "artifact", "key"]
MDE_Z = 2.8016  # z_0.975 + z_0.80: a two-sided 5% test has 80% power at 2.80 standard errors


def _p(x) -> str:
    """'= 0.239', '< 0.001' or '= undefined': reads after 'p '."""
    if not np.isfinite(x):
        return "= undefined"
    s = fmt_p(x)
    return s if s.startswith("<") else f"= {s}"


def _factor(x: float) -> str:
    return f"{x:,.1f}×" if np.isfinite(x) else "undefined"


def inference(claim: str, cell: pd.Series, terms: pd.DataFrame, row: pd.Series,
              e1_terms: pd.DataFrame | None, named_major: str) -> tuple[float, bool | None, str]:
    """(p value, rejected at 5% or None where no test applies, the verdict in words)."""
    t = terms.set_index("term")
    if claim == "C1":
        p = float(cell["company_t2_ri_p"])
        lo, hi = float(cell["mean_major_ci_low"]), float(cell["mean_major_ci_high"])
        bc = float(cell["beta_c"])
        txt = (f"(c) {'rejected' if p < 0.05 else 'not rejected'}: joint RI p {_p(p)}; mean "
               f"major − size peers {float(cell['mean_major_effect']):+.2f} logits, 95% set "
               f"[{lo:+.2f}, {hi:+.2f}] = {10 ** (lo / bc):.2f}× to {10 ** (hi / bc):.1f}× "
               f"compute. (a) developers differ at all: F p {_p(float(cell['dev_het_p']))}, "
               f"wild p {_p(float(cell['dev_het_p_wild']))}")
        return p, p < 0.05, txt
    if claim == "C2":
        rej = bool(row["low"] > 0.5) if np.isfinite(row["low"]) else None
        return np.nan, rej, (f"share ≤ 50% {'rejected' if rej else 'not rejected'}: 95% "
                             f"interval [{row['low']:.0%}, {row['high']:.0%}]")
    if claim == "C3":
        p = float(cell["shared_progress_p_wcr"])
        return p, p < 0.05, (f"{'rejected' if p < 0.05 else 'not rejected'}: WCR p {_p(p)}; "
                             f"WCR ratio set [{_factor(row['low'])}, {_factor(row['high'])}]")
    if claim == "C4":
        r = t.loc[f"dev:{named_major}"]
        p = float(r["p_ri_closed"])
        return p, p < 0.05, (f"{'rejected' if p < 0.05 else 'not rejected'}: closed-testing RI "
                             f"p {_p(p)} (uncorrected RI-t p {_p(float(r['p_ri_t']))}); "
                             f"95% set for δ [{float(r['ri_ci_low']):+.2f}, "
                             f"{float(r['ri_ci_high']):+.2f}] logits")
    if claim == "C5":
        rej = bool(row["low"] > 1) if np.isfinite(row["low"]) else None
        return np.nan, rej, (f"gap = 1× {'rejected' if rej else 'not rejected'}: 95% interval "
                             f"[{_factor(row['low'])}, {_factor(row['high'])}]")
    if claim == "C6" and e1_terms is not None:
        inter = e1_terms[e1_terms["term"].str.contains(" x ") & (e1_terms["omitted"] == "")]
        p = estimate.bonferroni(list(inter["p_wcr"]))
        se = float(e1_terms.set_index("term").loc[
            f"period:{list(specs.PERIOD3)[-1]} x {specs.LOG_FLOPS}", "std_error"])
        return p, p < 0.05, (f"{'rejected' if p < 0.05 else 'not rejected'}: Bonferroni over "
                             f"the interactions' WCR p {_p(p)}; the data could detect a "
                             f"shift of ±{MDE_Z * se:.2f} logits per 10× (80% power, CR1 SE "
                             f"{se:.3f}) against β_c = {float(cell['beta_c']):.2f}")
    return np.nan, None, "no test: a descriptive ratio of two observed models' compute"


def build(intervals: pd.DataFrame, paper: dict, cells: dict, terms: dict, e1_terms,
          grid: dict, oos: dict, caveats: dict, named_major: str = "Microsoft") -> pd.DataFrame:
    """One row per claim and benchmark for which the paper gives a number. `cells`/`terms`:
    benchmark -> the baseline cell (Series) / its terms; `grid`: benchmark -> claim -> counts;
    `oos`: claim -> the 2025 verdict in words; `caveats`: (claim, benchmark) -> text."""
    rows = []
    ref = paper["claims"]
    for r in intervals.itertuples(index=False):
        pr = ref.get(r.claim, {}).get(r.benchmark)
        if pr is None:
            continue
        c = CLAIMS[r.claim]
        row = pd.Series(r._asdict())
        p, rej, txt = inference(r.claim, cells[r.benchmark], terms[r.benchmark], row,
                                e1_terms, named_major)
        g = grid.get(r.benchmark, {}).get(r.claim, {})
        holds_default = _holds_default(r.claim, r.estimate, row, cells[r.benchmark], p)
        st, why = status(r.estimate, r.low, r.high, pr["low"], pr["high"], holds_default,
                         g.get("share", np.nan), rej, c)
        rows.append({
            "claim": r.claim, "benchmark": r.benchmark, "claim_text": c.text,
            "quantity": c.quantity, "paper": pr["text"], "paper_low": pr["low"],
            "paper_high": pr["high"], "ours": r.estimate, "low": r.low, "high": r.high,
            "interval_method": r.method, "interval_note": r.note, "holds_rule": c.holds,
            "grid_holds": g.get("holds", 0), "grid_cells": g.get("cells", 0),
            "grid_undefined": g.get("undefined", 0), "grid_share": g.get("share", np.nan),
            "null": c.null, "p_value": p, "rejected": rej, "inference": txt,
            "out_of_sample": oos.get(r.claim, "no 2025 counterpart") if r.benchmark == "mmlu_pro"
            else "no 2025 counterpart: Artificial Analysis reports no MATH L5",
            "caveat": caveats.get((r.claim, r.benchmark), ""), "status": st,
            "status_why": why, "artifact": r.artifact, "key": r.key})
    return pd.DataFrame(rows, columns=LEDGER_COLUMNS)


def _holds_default(claim: str, est: float, row: pd.Series, cell: pd.Series, p: float):
    """The claim's "holds" rule (claims.CLAIMS[...].holds) in the default cell."""
    if not np.isfinite(est):
        return None
    return {"C1": est >= 0.14, "C2": est >= 0.5,
            "C3": est > 1,
            "C4": est >= 10, "C5": est >= 10,
            "C6": bool(np.isfinite(p) and p >= 0.05),
            "C7a": est >= 10, "C7b": est >= 10}[claim]


def oos_texts(ev: dict) -> dict:
    """claim -> the 2025 out-of-sample verdict in words, from results/out_of_sample.json."""
    c = ev.get("cells", {}).get(ev.get("panel", "single"), {})
    if not c or c.get("status") != "ok":
        return {}
    f = ev.get("flip_orders", np.nan)
    out = {
        "C2": (f"{ev['verdict']} (panel (c), top-{ev['k']} envelope): scaling share "
               f"{ev['share']:.0%}, 95% interval [{ev['share_low']:.0%}, "
               f"{ev['share_high']:.0%}] over compute-estimate draws; "
               + (f"flips if the end models' compute is overstated by {f:.2f} orders"
                  if np.isfinite(f) else f"no flip point ({ev['flip_note']})")),
        "C1": (f"panel (c): company share {c['shapley_company']:.0%}; joint RI p "
               f"{_p(float(c['company_t2_ri_p']))}"
               + (f" ({c['ri_note']})" if c.get("ri_note") else "")),
        "C3": (f"panel (c): 2025q2–q4 over 2022q4–2023q3 {_factor(c['shared_progress_factor'])}"
               f" (Fieller with CR1 [{_factor(c['shared_progress_factor_low'])}, "
               f"{_factor(c['shared_progress_factor_high'])}])"),
        "C5": f"panel (c): 90–10 gap {_factor(c['gap_90_10_factor'])}",
        "C6": ev.get("stability_note", ""),
    }
    return out
