"""The inputs of the out-of-sample verdict (:mod:`saucegrid.out_of_sample.verdict`) for one panel
sample: the top-k envelope frontier, its scaling share's interval over compute-estimate draws,
the compute error at which the share crosses the bar, and the β_c-stability test.

Every number refits Eq. (1) on the panel sample (OLS with the panel's own design), so a
perturbed compute moves β_c, the period effects and the residuals together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from saucegrid.estimation import bootstrap, decompose, estimate, specs
from saucegrid.grid import fit
from saucegrid.out_of_sample.frontier import END_QUARTER, START_PERIOD
from saucegrid.out_of_sample.verdict import SHARE_BAR, TOP_K

PARTS = ("scaling", "shared", "company", "model")


def snapshot_spread(la_old: pd.DataFrame, la_new: pd.DataFrame, min_log10_flops: float = 22.0
                    ) -> tuple[float, pd.Series]:
    """The spread of LifeArchitect's compute figures between two snapshots of its models table:
    the RMS of log10(6 · params · tokens) revisions over the models in both snapshots (matched by
    name) with at least 10^min_log10_flops FLOPs in either, whose figures were revised. Returns
    (RMS, the revisions by name). Unrevised figures are left out: that a figure was not revisited
    says nothing about its error, so the revised ones measure the error an estimate carries."""
    def flops(la):
        la = la[la["name"].notna()].assign(key=la["name"].str.strip().str.lower())
        la = la.drop_duplicates("key").set_index("key")
        return np.log10(6e18 * la["params_b"].astype(float) * la["tokens_b"].astype(float))

    a, b = flops(la_old), flops(la_new)
    both = pd.concat({"old": a, "new": b}, axis=1, join="inner")
    both = both.replace([np.inf, -np.inf], np.nan).dropna()
    both = both[both.max(axis=1) >= min_log10_flops]
    d = (both["new"] - both["old"]).sort_values()
    d = d[d.abs() > 1e-9]
    return (float(np.sqrt(np.mean(d * d))) if len(d) else float("nan")), d


def top_k(sample: pd.DataFrame, k: int = TOP_K) -> tuple[np.ndarray, np.ndarray]:
    """Positions (rows of `sample`) of the k best models of START_PERIOD and of END_QUARTER."""
    score = sample["score"].to_numpy(float)
    a = np.flatnonzero(sample["period3"].to_numpy() == START_PERIOD)
    b = np.flatnonzero(sample["quarter"].astype(str).to_numpy() == END_QUARTER)
    pick = [idx[np.lexsort((sample["model_id"].to_numpy()[idx], -score[idx]))][:k]
            for idx in (a, b)]
    return pick[0], pick[1]


@dataclass
class Envelope:
    start: list[str]
    end: list[str]
    delta: dict  # component -> mean change in log-odds, plus "total"

    @property
    def share(self) -> float:
        t = self.delta["total"]
        return float(self.delta["scaling"] / t) if t > 0 else float("nan")


def envelope(sample: pd.DataFrame, majors, quantiles, shift: np.ndarray | None = None,
             k: int = TOP_K) -> Envelope | None:
    """Refit the baseline specification on `sample` (log10 FLOPs + `shift`, by row) and average
    each component of Eq. (1) over the top-k models at each end; None if an end is empty."""
    s = sample.reset_index(drop=True)
    if shift is not None:
        s = s.assign(log10_flops=s["log10_flops"].to_numpy(float) + shift)
    start, end = top_k(s, k)
    if not len(start) or not len(end):
        return None
    d = specs.design(s, specs.Spec(), majors, quantiles)
    f = estimate.fit(d)
    comp = decompose.components(d, dict(zip(f.names, f.coef, strict=True)), f.resid)
    pos = pd.Series(np.arange(d.n), index=d.data["model_id"].to_numpy())
    i = pos[s["model_id"].to_numpy()[start]].to_numpy()
    j = pos[s["model_id"].to_numpy()[end]].to_numpy()
    delta = {p: float(comp[p][j].mean() - comp[p][i].mean()) for p in PARTS}
    delta["total"] = float(d.y[j].mean() - d.y[i].mean())
    ids = s["model_id"].to_numpy()
    return Envelope(list(ids[start]), list(ids[end]), delta)


def share_draws(sample: pd.DataFrame, majors, quantiles, sd: float, draws: int, seed: int
                ) -> np.ndarray:
    """The envelope's scaling share under `draws` draws of the compute estimates: every row with
    token_is_estimate gets a N(0, sd) log10 error; the top-k models are re-chosen by score (their
    scores do not move) and the panel refitted each time."""
    est = sample["token_is_estimate"].fillna(False).to_numpy(bool)
    rng = np.random.default_rng(seed)
    out = np.empty(draws)
    for r in range(draws):
        e = envelope(sample, majors, quantiles, np.where(est, rng.normal(0, sd, len(est)), 0.0))
        out[r] = e.share if e is not None else np.nan
    return out


def flip_point(sample: pd.DataFrame, majors, quantiles, bar: float = SHARE_BAR,
               hi: float = 3.0, steps: int = 30) -> tuple[float, str]:
    """The overstatement (orders of magnitude) of the end models' compute at which the envelope
    share falls to `bar`: every END_QUARTER top-k model whose compute is an estimate loses Δ in
    log10 FLOPs (all of them when none is an estimate). NaN with the reason when the share is
    already below the bar, or still above it at Δ = `hi`."""
    s = sample.reset_index(drop=True)
    _, end = top_k(s, TOP_K)
    est = s["token_is_estimate"].fillna(False).to_numpy(bool)
    moved = end[est[end]] if est[end].any() else end

    def share(delta: float) -> float:
        shift = np.zeros(len(s))
        shift[moved] = -delta
        e = envelope(s, majors, quantiles, shift)
        return e.share if e is not None else np.nan

    if not share(0.0) >= bar:
        return np.nan, "the share is below the bar without any error"
    if share(hi) >= bar:
        return np.nan, f"the share stays above {bar:.0%} even at {hi:g} orders"
    lo_, hi_ = 0.0, hi
    for _ in range(steps):
        mid = (lo_ + hi_) / 2
        lo_, hi_ = (mid, hi_) if share(mid) >= bar else (lo_, mid)
    return (lo_ + hi_) / 2, f"{len(moved)} end model(s) moved"


def stability(sample: pd.DataFrame, majors, quantiles,
              wcr: bootstrap.WCR) -> tuple[float, pd.DataFrame]:
    """β_c stability inside the panel: Eq. (1) with period × log10 FLOPs interactions, each
    interaction's WCR p value and interval; the joint p is Bonferroni over the interactions'
    WCR p values (a valid joint test of "one elasticity in every period")."""
    row, terms = fit.fit_cell(sample, specs.Spec(interaction="period_x_compute"), majors, quantiles,
                            wcr=wcr)
    t = pd.DataFrame(terms)
    if row["status"] != "ok":
        return np.nan, t
    inter = t[t["term"].str.contains(" x ") & (t["omitted"] == "")]
    return estimate.bonferroni(inter["p_wcr"].to_list()), inter.reset_index(drop=True)
