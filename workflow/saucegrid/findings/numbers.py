"""``results/findings/intervals.csv``: each claim's number on the default sample, its 95% interval
and the artifact the number is read from (methods: :mod:`.intervals`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from saucegrid.estimation import estimate, randomization, specs
from saucegrid.findings import intervals
from saucegrid.findings.resample import percentile
from saucegrid.report.paper import frontier_pair, pair_rows

LAST_X = f"period:{list(specs.PERIOD3)[-1]} x {specs.LOG_FLOPS}"  # Table E.1's last interaction
COLUMNS = ["claim", "benchmark", "estimate", "low", "high", "method", "note", "artifact",
           "key", "detail"]


@dataclass(frozen=True)
class Settings:
    draws: int = 999  # hybrid bootstrap draws
    threshold_draws: int = 299  # measurement-error draws (C7)
    seed: int = 20260225
    threshold: float = 0.15
    questions: dict | None = None  # benchmark -> question count (C7's binomial error)
    named_major: str = "Microsoft"  # C4: the developer the paper names
    wcr_draws: int = 9999  # C3's WCR ratio set


def _row(claim, bench, est, lo, hi, method, note="", artifact="", key="", detail=""):
    return dict(zip(COLUMNS, [claim, bench, est, lo, hi, method, note, artifact, key, detail],
                    strict=True))


def benchmark_rows(sample: pd.DataFrame, cell: pd.Series, e1_terms: pd.DataFrame | None,
                   b1: pd.DataFrame | None, majors, quantiles, ri: randomization.RI,
                   sd_compute: float,
                   guess: float, s: Settings) -> list[dict]:
    """The rows of one benchmark (`cell`: its baseline cell from results/paper/cells.parquet;
    `e1_terms`: the Table E.1 cell's terms, MMLU-Pro only; `b1`: Table B.1, MMLU-Pro only)."""
    bench = str(cell["benchmark"])
    cid = cell["cell_id"]
    cells_art = "results/paper/cells.parquet"
    d = specs.design(sample, specs.Spec(benchmark=bench), majors, quantiles)
    h = intervals.hybrid_draws(d, s.draws, s.seed)
    boot = f"hybrid bootstrap, {s.draws} draws (majors fixed, other developers resampled)"
    rows = []
    lo, hi, _ = percentile(h["company_share"])
    rows.append(_row("C1", bench, float(cell["shapley_company"]), lo, hi, boot,
                     artifact=cells_art, key=f"{cid}:shapley_company"))
    lo, hi, _ = percentile(h["to_scaling_share"])
    flo, fhi, _ = percentile(h["from_scaling_share"])
    if b1 is not None:
        fr = b1.iloc[0]
        art, key = "results/tables/table_b1.csv", "frontier:to_scaling_share"
    else:
        f = estimate.fit(d)
        fr = pair_rows(d, dict(zip(f.names, f.coef, strict=True)), f.resid,
                       {"frontier": frontier_pair(d)}).iloc[0]
        art, key = "results/findings/intervals.csv", "C2:estimate"
    rows.append(_row("C2", bench, float(fr["to_scaling_share"]), lo, hi, boot,
                     artifact=art, key=key,
                     detail=f"first frontier model {fr['from_model']}: "
                            f"{fr['from_scaling_share']:.0%} [{flo:.0%}, {fhi:.0%}]; last "
                            f"{fr['to_model']}"))
    sp, note = float(cell["shared_progress_factor"]), str(cell["factors_note"] or "")
    lo, hi = intervals.shared_progress_set(d, s.wcr_draws, s.seed) if np.isfinite(sp) else (np.nan,
                                                                                     np.nan)
    rows.append(_row("C3", bench, sp, lo, hi,
                     f"WCR bootstrap inverted for the ratio γ/β_c (B = {s.wcr_draws:,}, G = "
                     f"{int(cell['n_clusters'])})", note, cells_art,
                     f"{cid}:shared_progress_factor",
                     detail=f"Fieller with CR1: [{float(cell['shared_progress_factor_low']):.2f}"
                            f"×, {float(cell['shared_progress_factor_high']):.2f}×]"))
    m = intervals.major_factor_set(d, f"dev:{s.named_major}", ri)
    rows.append(_row("C4", bench, float(cell.get(f"factor_dev:{s.named_major}", np.nan)),
                     m["low"], m["high"], "projection of the 97.5% RI-t set for δ and the "
                     "97.5% CR1 interval for β_c (≥ 95%)", m["note"], cells_art,
                     f"{cid}:factor_dev:{s.named_major}",
                     detail=(f"δ = {m['delta']:.3f}, 97.5% set [{m['delta_low']:.2f}, "
                             f"{m['delta_high']:.2f}]; β_c [{m['beta_low']:.3f}, "
                             f"{m['beta_high']:.3f}]; {m['placebos']} placebos")
                     if "delta_low" in m else ""))
    lo, hi, _ = percentile(h["gap_90_10_factor"])
    rows.append(_row("C5", bench, float(cell["gap_90_10_factor"]), lo, hi, boot,
                     artifact=cells_art, key=f"{cid}:gap_90_10_factor"))
    if e1_terms is not None:
        t = e1_terms.set_index("term").loc[LAST_X]
        rows.append(_row("C6", bench, float(t["estimate"]), float(t["ci_wcr_low"]),
                         float(t["ci_wcr_high"]), "WCR test inversion",
                         artifact="results/paper/terms.parquet",
                         key=f"{t['cell_id']}:{LAST_X}:estimate",
                         detail=f"CR1 SE {float(t['std_error']):.3f}; WCR p "
                                f"{float(t['p_wcr']):.3f}"))
    q = (s.questions or {}).get(bench)
    if q:
        td = intervals.threshold_draws(sample, s.threshold, majors, int(q), guess, sd_compute,
                               s.threshold_draws, s.seed)
        meas = (f"measurement error only: binomial score error over {q:,} questions, "
                f"estimated compute ± {sd_compute:.2f} orders (LifeArchitect revisions), "
                f"{s.threshold_draws} draws")
        for claim, col, maj in (("C7a", "majors", majors), ("C7b", "all", None)):
            lo, hi, _ = percentile(td[col], 0.95) if len(td) >= 100 else (np.nan, np.nan, 0)
            est = intervals.threshold_drop(sample, s.threshold, maj)
            rows.append(_row(claim, bench, est, lo, hi, meas, artifact=f"results/data/"
                             f"sample_{bench}.parquet", key=f"threshold_drop:{col}"))
    return rows
