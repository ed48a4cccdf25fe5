"""The WCR bootstrap of one grid cell: its settings (config key ``wcr``) and every coefficient's
p value and test-inversion interval."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from saucegrid.estimation.bootstrap.core import prepare, pvalues, test_many, x_part
from saucegrid.estimation.bootstrap.draws import cached_draws, choose_weights
from saucegrid.estimation.bootstrap.intervals import ci_many
from saucegrid.settings import coerce_cli  # noqa: F401  (re-exported)


@dataclass(frozen=True)
class WCR:
    """Settings of the per-cell WCR bootstrap (config.yaml key ``wcr``)."""

    draws: int = 9999
    seed: int = 20260225
    weights: str = "auto"  # auto: webb when G <= webb_max_clusters, else rademacher
    webb_max_clusters: int = 12
    alpha: float = 0.05
    ci: bool = True
    enabled: bool = True
    # coefficients identified by a single cluster (every major-developer dummy): the WCR
    # bootstrap is unreliable there (MacKinnon and Webb 2017, 2018), so by default they get
    # neither a p value nor an interval; true computes both anyway
    one_cluster: bool = False

    @classmethod
    def from_config(cls, cfg: dict | None) -> WCR:
        cfg = {k: v for k, v in (cfg or {}).items() if k not in PRESENTATION_KEYS}
        unknown = set(cfg) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown wcr setting(s) {sorted(unknown)}")
        return cls(**cfg)

    def kind(self, G: int) -> str:
        return (choose_weights(G, self.webb_max_clusters) if self.weights == "auto"
                else self.weights)


PRESENTATION_KEYS = {"table_line"}  # config keys of `wcr` that do not change any number
_XPARTS: dict = {}





def wcr_cell(X: np.ndarray, y: np.ndarray, clusters, names: list[str], cfg: WCR,
         skip=("const",)) -> tuple[dict[str, tuple[float, float, float]], dict]:
    """WCR p value and test-inversion interval of every coefficient of one fitted cell except
    the constant: ({term: (p, ci_low, ci_high)}, {wcr_weights, wcr_draws, wcr_exact}).

    With B random draws a p value is never below 1/(B+1) (never 0); with the full enumeration
    the draw of all ones reproduces the statistic, so p >= 1/(number of draws) already."""
    P = prepare(X, y, clusters)
    kind = cfg.kind(P.G)
    V, exact = cached_draws(P.G, cfg.draws, kind, cfg.seed)
    ks = [i for i, n in enumerate(names) if n not in skip]
    h = hashlib.blake2b(digest_size=16)
    for part in (P.X, P.codes, np.array([P.G, V.shape[1], cfg.seed, *ks]), kind.encode()):
        h.update(np.ascontiguousarray(part).tobytes() if not isinstance(part, bytes) else part)
    key = h.hexdigest()
    if key not in _XPARTS:  # the last design only: cells of one design are visited together
        _XPARTS.clear()
        _XPARTS[key] = x_part(P, ks, V)
    tests = test_many(P, ks, V, _XPARTS[key])
    ts = [tests[k] for k in ks]
    ps = pvalues(ts, 0.0)
    if not exact:  # B random draws: the observed statistic is one of B + 1, so p >= 1/(B+1)
        ps = np.maximum(ps, 1.0 / (V.shape[1] + 1))
    cis = ci_many(ts, cfg.alpha) if cfg.ci else [(np.nan, np.nan)] * len(ts)
    out = {names[k]: (float(p), lo, hi) for k, p, (lo, hi) in zip(ks, ps, cis, strict=True)}
    return out, {"wcr_weights": kind, "wcr_draws": int(V.shape[1]), "wcr_exact": bool(exact)}
