"""Specifications and design matrices.

A :class:`Spec` is a plain, hashable record of six choices. :func:`design` turns an analysis
sample and a spec into the regression of Eq. (1):

    F_v(score) = b0 + b_c log10(FLOPs) + time terms + developer-group dummies [+ period x compute]

Columns are ordered constant, log compute, time, company, interactions. Empty dummies are dropped
first; then, as Stata's ``_rmcoll`` does, a column that is collinear with the columns before it
is dropped. Both are reported as omitted ("—") and never crash the fit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd

from . import links
from .sample import OTHER_GROUPS, PERIOD3, assign_developer_groups

DIMENSIONS = {
    "benchmark": ("mmlu_pro", "math_l5"),
    "link": ("v1.0", "v0.7", "v1.2"),
    "time": ("tri", "quarterly", "quadratic"),
    "devset": ("paper", "plus_ibm", "plus_mistral", "plus_tencent", "plus_all3"),
    "sample": ("full", "major", "major_below", "major_above"),
    "interaction": ("none", "period_x_compute"),
}

BASE_PERIOD = "2022q4-2023q3"
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
        for f in fields(self):
            v = getattr(self, f.name)
            if v not in DIMENSIONS[f.name]:
                raise ValueError(f"spec {f.name}={v!r} is not one of {DIMENSIONS[f.name]}")

    def as_dict(self) -> dict:
        return asdict(self)

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
    data: pd.DataFrame
    baseline_group: str

    @property
    def n(self) -> int:
        return len(self.y)


def select_sample(df: pd.DataFrame, sample: str, majors) -> pd.DataFrame:
    """full | major | major_below | major_above (split at the major sample's median FLOPs).

    Ties at the median go below: below is log10 FLOPs <= median, above is > median.
    """
    if sample == "full":
        return df
    major = df[df["developer_group"].isin(list(majors))]
    if sample == "major":
        return major
    med = float(np.median(major["log10_flops"]))
    if sample == "major_below":
        return major[major["log10_flops"] <= med]
    if sample == "major_above":
        return major[major["log10_flops"] > med]
    raise ValueError(f"unknown sample {sample!r}")


def _dummies(values: pd.Series, levels: list[str], base: str, prefix: str) -> dict:
    return {f"{prefix}:{lv}": (values == lv).to_numpy(float) for lv in levels if lv != base}


def _rmcoll(X: np.ndarray, names: list[str], protect: int = 1, tol: float = 1e-9):
    """Keep columns in order, dropping any that is (near) collinear with those kept before it."""
    keep, basis = [], []
    for j in range(X.shape[1]):
        x = X[:, j].astype(float)
        nx = np.linalg.norm(x)
        if nx == 0:
            continue
        r = x.copy()
        for _ in range(2):  # re-orthogonalise once for stability
            for q in basis:
                r -= q * (q @ r)
        if j < protect or np.linalg.norm(r) > tol * nx:
            basis.append(r / np.linalg.norm(r))
            keep.append(j)
    dropped = [names[j] for j in range(X.shape[1]) if j not in keep]
    return keep, dropped


def design(sample_df: pd.DataFrame, spec: Spec, majors, quantiles=(1 / 3, 2 / 3)) -> Design:
    majors = list(majors)
    df = sample_df.copy()
    df["developer_group"] = assign_developer_groups(df, majors, quantiles)
    df = select_sample(df, spec.sample, majors).reset_index(drop=True)

    y = links.transform(df["score"].to_numpy(float), spec.link)
    cols: dict[str, np.ndarray] = {"const": np.ones(len(df)), LOG_FLOPS: df["log10_flops"]
                                   .to_numpy(float)}
    groups: dict[str, list[str]] = {"scale": [LOG_FLOPS], "time": [], "company": []}

    if spec.time == "tri":
        t = _dummies(df["period3"], list(PERIOD3), BASE_PERIOD, "period")
    elif spec.time == "quarterly":
        qs = sorted(set(df["quarter"]) | {BASE_QUARTER})
        t = _dummies(df["quarter"], qs, BASE_QUARTER, "quarter")
    else:
        m = df["month_index"].to_numpy(float)
        t = {"month": m, "month^2": m**2}
    cols.update(t)
    groups["time"] = list(t)

    base = BASE_GROUP_FULL if spec.sample == "full" else BASE_GROUP_MAJOR
    levels = majors + list(OTHER_GROUPS)
    c = _dummies(df["developer_group"], levels, base, "dev")
    cols.update(c)
    groups["company"] = list(c)

    if spec.interaction == "period_x_compute":
        for p in PERIOD3:
            if p == BASE_PERIOD:
                continue
            name = f"period:{p} x {LOG_FLOPS}"
            cols[name] = (df["period3"] == p).to_numpy(float) * cols[LOG_FLOPS]
            groups["scale"].append(name)

    names = list(cols)
    X = np.column_stack([cols[n] for n in names]) if len(df) else np.empty((0, len(names)))
    omitted: dict[str, str] = {}
    empty = [n for n in names[1:] if not np.any(cols[n] != 0)]
    for n in empty:
        omitted[n] = "empty"
    live = [n for n in names if n not in omitted]
    Xl = np.column_stack([cols[n] for n in live]) if len(df) else np.empty((0, len(live)))
    keep, dropped = _rmcoll(Xl, live)
    for n in dropped:
        omitted[n] = "collinear"
    kept = [live[j] for j in keep]
    X = Xl[:, keep]
    groups = {g: [n for n in v if n in kept] for g, v in groups.items()}
    clusters = df["cluster"].astype(str).to_numpy()
    return Design(spec, y, X, kept, groups, clusters, omitted, df, base)


def paper_specs() -> list[Spec]:
    """Exactly the specifications the paper reports (Tables C.1, E.1; Figs. 1, D.2, E.2-E.10)."""
    out = [Spec(sample=s) for s in ("full", "major", "major_below", "major_above")]
    out.append(Spec(interaction="period_x_compute"))  # Table E.1
    out += [Spec(link=v) for v in ("v0.7", "v1.2")]  # Appendix E.1
    out += [Spec(time=t) for t in ("quarterly", "quadratic")]  # Appendix E.2, Figs. E.9-E.10
    out.append(Spec(benchmark="math_l5"))  # Appendix D
    return out
