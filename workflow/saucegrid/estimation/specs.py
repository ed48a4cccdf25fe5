"""Specifications and design matrices.

A :class:`Spec` is a plain, hashable record of six choices. :func:`design` turns an analysis
sample and a spec into the regression of Eq. (1):

    F_v(score) = b0 + b_c log10(FLOPs) + time terms + developer-group dummies [+ period x compute]

Columns are ordered constant, log compute, time, company, interactions. Empty dummies are dropped
first; then, as Stata's ``_rmcoll`` does, a column that is collinear with the columns before it
is dropped. Both are reported as omitted ("—") and never crash the fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from saucegrid.data.sample import OTHER_GROUPS, PERIOD3, assign_developer_groups
from saucegrid.data.sample.construct import PAPER_SCORE_SOURCE, size_cuts
from saucegrid.estimation import links
from saucegrid.options import check_choices

DIMENSIONS = {
    # the paper's two, then the leaderboard's other four (saucegrid.report.benchmarks)
    "benchmark": ("mmlu_pro", "math_l5", "ifeval", "bbh", "gpqa", "musr"),
    "link": ("v1.0", "v0.7", "v1.2"),
    "time": ("tri", "quarterly", "quadratic"),
    "devset": ("paper", "plus_ibm", "plus_mistral", "plus_tencent", "plus_all3"),
    "sample": ("full", "major", "major_below", "major_above"),
    "interaction": ("none", "period_x_compute"),
}

BASE_PERIOD = "2022q4-2023q3"
# every period label a sample may carry, in time order: the paper's three, then the
# out-of-sample panels' (saucegrid.data.panel): one post-window period, or its quarters
PERIODS = (*PERIOD3, "2025q2-2025q4", "2025q2", "2025q3", "2025q4")
BASE_QUARTER = "2023Q2"  # as in Fig. E.9
BASE_GROUP_FULL = "other-small"
BASE_GROUP_MAJOR = "Nvidia"  # Table C.1 cols. 2-4 report every major but Nvidia
LOG_FLOPS = "log_flops"


@dataclass(frozen=True)
class Spec:
    benchmark: str = "mmlu_pro"
    link: str = "v1.0"
    time: str = "tri"
    devset: str = "paper"
    sample: str = "full"
    interaction: str = "none"

    def __post_init__(self):
        check_choices(self, DIMENSIONS, "spec")

    def as_dict(self) -> dict:
        return {f: getattr(self, f) for f in DIMENSIONS}

    @property
    def cell_id(self) -> str:
        return "/".join(f"{k}~{v}" for k, v in self.as_dict().items())


@dataclass
class Design:
    spec: Spec
    y: np.ndarray
    X: np.ndarray
    names: list[str]
    groups: dict[str, list[str]]
    clusters: np.ndarray
    omitted: dict[str, str]
    prepared: PreparedSample
    rows: np.ndarray
    baseline_group: str
    cross: tuple | None = None  # ([X, y]'[X, y], column means of [X, y])

    @property
    def n(self) -> int:
        return len(self.y)

    @property
    def log10_flops(self) -> np.ndarray:
        return self.prepared.lf[self.rows]

    @property
    def is_major(self) -> np.ndarray:
        return self.prepared.is_major[self.rows]

    @property
    def data(self) -> pd.DataFrame:
        """The sample rows used, with the developer groups of this design's developer set."""
        d = self.prepared.df.iloc[self.rows].reset_index(drop=True)
        return d.assign(developer_group=self.prepared.group[self.rows])


def _rmcoll_gram(G: np.ndarray, protect: int = 1, tol: float = 1e-11) -> list[int]:
    d = np.sqrt(np.diag(G))
    nz = d > 0
    Gs = G / np.outer(np.where(nz, d, 1.0), np.where(nz, d, 1.0))
    keep: list[int] = []
    for j in range(G.shape[0]):
        if not nz[j]:
            continue
        if keep:
            g = Gs[keep, j]
            r = Gs[j, j] - g @ np.linalg.solve(Gs[np.ix_(keep, keep)], g)
        else:
            r = 1.0
        if j < protect or r > tol:
            keep.append(j)
    return keep


class PreparedSample:
    """An analysis sample reduced to numpy arrays for one developer set, so that building the
    design of any spec on it costs only array operations."""

    def __init__(self, sample_df: pd.DataFrame, majors, quantiles=(1 / 3, 2 / 3)):
        self.majors = list(majors)
        df = sample_df.reset_index(drop=True)
        self.df = df
        group = assign_developer_groups(df, self.majors, quantiles)
        self.size_cuts = size_cuts(df, self.majors, quantiles)
        self.group = group.to_numpy(object)
        self.group_levels = self.majors + list(OTHER_GROUPS)
        self.group_code = pd.Categorical(group, categories=self.group_levels).codes
        present = set(df["period3"].dropna().astype(str))
        unknown = present - set(PERIODS)
        if unknown:
            raise ValueError(f"unknown period label(s) {sorted(unknown)}")
        # the periods of this sample, in time order; the first is the baseline (the paper's
        # 2022q4-2023q3 whenever the sample has it)
        self.periods = [p for p in PERIODS if p in present] or list(PERIOD3)
        self.base_period = BASE_PERIOD if BASE_PERIOD in present else self.periods[0]
        self.period_code = pd.Categorical(df["period3"], categories=self.periods).codes
        q = df["quarter"].astype(str).to_numpy()
        self.quarters = sorted(set(q) | {BASE_QUARTER})
        self.quarter_code = pd.Categorical(q, categories=self.quarters).codes
        self.month = df["month_index"].to_numpy(float)
        self.lf = df["log10_flops"].to_numpy(float)
        self.score = df["score"].to_numpy(float)
        self.cluster_code = pd.factorize(df["cluster"].astype(str))[0]
        self.is_major = self.group_code < len(self.majors)
        self.major_median = (float(np.median(self.lf[self.is_major])) if self.is_major.any()
                             else np.nan)
        self.params_b = df["params_b"].to_numpy(float) if "params_b" in df else None
        # the score-source levels other than the paper's sources (the AA stand-in)
        src = (df["score_source"].astype(str).to_numpy() if "score_source" in df
               else np.full(len(df), PAPER_SCORE_SOURCE))
        self.score_source = src

    def rows(self, sample: str) -> np.ndarray:
        """full | major | major_below | major_above (split at the major sample's median FLOPs;
        ties at the median go below)."""
        if sample == "full":
            return np.arange(len(self.lf))
        if sample == "major":
            return np.flatnonzero(self.is_major)
        if sample == "major_below":
            return np.flatnonzero(self.is_major & (self.lf <= self.major_median))
        if sample == "major_above":
            return np.flatnonzero(self.is_major & (self.lf > self.major_median))
        raise ValueError(f"unknown sample {sample!r}")


def _dummies(codes: np.ndarray, levels: list[str], base: str, prefix: str) -> dict:
    return {f"{prefix}:{lv}": (codes == i).astype(float) for i, lv in enumerate(levels)
            if lv != base}


def design(sample_df, spec: Spec, majors=None, quantiles=(1 / 3, 2 / 3)) -> Design:
    """The design of Eq. (1) for spec on an analysis sample (a DataFrame or a PreparedSample)."""
    prep = sample_df if isinstance(sample_df, PreparedSample) else PreparedSample(sample_df, majors,
                                                                       quantiles)
    idx = prep.rows(spec.sample)
    n = len(idx)
    lf = prep.lf[idx]
    y = links.transform(prep.score[idx], spec.link)
    cols: dict[str, np.ndarray] = {"const": np.ones(n), LOG_FLOPS: lf}
    groups: dict[str, list[str]] = {"scale": [LOG_FLOPS], "time": [], "company": [],
                                    "source": []}

    if spec.time == "tri":
        t = _dummies(prep.period_code[idx], prep.periods, prep.base_period, "period")
    elif spec.time == "quarterly":
        t = _dummies(prep.quarter_code[idx], prep.quarters, BASE_QUARTER, "quarter")
    else:
        m = prep.month[idx]
        t = {"month": m, "month^2": m**2}
    cols.update(t)
    groups["time"] = list(t)

    base = BASE_GROUP_FULL if spec.sample == "full" else BASE_GROUP_MAJOR
    c = _dummies(prep.group_code[idx], prep.group_levels, base, "dev")
    cols.update(c)
    groups["company"] = list(c)

    # a score-source dummy for every score source but the paper's (the AA stand-in runs its
    # own protocol, about +9 points above the leaderboard's): a level shift, its own group
    src = prep.score_source[idx]
    for lv in sorted(set(src) - {PAPER_SCORE_SOURCE}):
        cols[f"source:{lv}"] = (src == lv).astype(float)
        groups["source"].append(f"source:{lv}")

    if spec.interaction == "period_x_compute":
        pc = prep.period_code[idx]
        for i, p in enumerate(prep.periods):
            if p == prep.base_period:
                continue
            name = f"period:{p} x {LOG_FLOPS}"
            cols[name] = (pc == i) * lf
            groups["scale"].append(name)

    names = list(cols)
    omitted: dict[str, str] = {n: "empty" for n in names[1:] if not np.any(cols[n] != 0)}
    live = [n for n in names if n not in omitted]
    # one pass over the data: the cross-products of [X, y] serve the collinearity check, the
    # OLS normal equations and every Shapley sub-model
    Z = np.empty((n, len(live) + 1), order="F")
    for j, k in enumerate(live):
        Z[:, j] = cols[k]
    Z[:, -1] = y
    Xl = Z[:, :-1]
    G = Z.T @ Z
    keep = _rmcoll_gram(G[:-1, :-1]) if n else list(range(len(live)))
    for j, k in enumerate(live):
        if j not in keep:
            omitted[k] = "collinear"
    kept = [live[j] for j in keep]
    groups = {g: [k for k in v if k in kept] for g, v in groups.items()}
    sel = keep + [len(live)]
    cross = (G[np.ix_(sel, sel)], Z[:, sel].mean(axis=0) if n else np.zeros(len(sel)))
    return Design(spec, y, Xl[:, keep], kept, groups, prep.cluster_code[idx], omitted,
                  prep, idx, base, cross)


def paper_specs() -> list[Spec]:
    """Exactly the specifications the paper reports (Tables C.1, E.1; Figs. 1, D.2, E.2-E.10)."""
    out = [Spec(sample=s) for s in ("full", "major", "major_below", "major_above")]
    out.append(Spec(interaction="period_x_compute"))  # Table E.1
    out += [Spec(link=v) for v in ("v0.7", "v1.2")]  # Appendix E.1
    out += [Spec(time=t) for t in ("quarterly", "quadratic")]  # Appendix E.2, Figs. E.9-E.10
    out.append(Spec(benchmark="math_l5"))  # Appendix D
    return out
