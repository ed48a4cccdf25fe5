"""The robustness grid: enumerate cells, fit them slice by slice with a per-cell cache, collate.

Dimensions come in three kinds:

- *spec* dimensions (benchmark, link, time, devset, sample, interaction): fields of
  :class:`saucegrid.estimation.specs.Spec`;
- the *construction* dimension: named variants of the sample construction (``constructions:`` in
  config.yaml, each a set of overrides of :class:`saucegrid.data.sample.SampleOptions`). The
  baseline construction is crossed with every other dimension; any other variant only with
  ``grid.variant_dims`` (or its own list under ``grid.variant_dims_by``), the rest at baseline;
- *registered* dimensions: any other key under ``grid.dimensions`` in config.yaml, backed by a
  function registered with :func:`register` that filters or transforms an analysis sample for a
  given level. Plugins (python files named in ``grid.plugins``) hold such functions, so adding a
  dimension needs config and one function, nothing else.

Levels are strings, so cell ids and wildcard paths are stable and readable. Each cell's result
is cached by content (:mod:`saucegrid.grid.cache`): the sample's rows, the spec, the developer set,
the inference settings and the fitting code, never the cell's name or levels, so a new level or
dimension fits only the cells whose sample or spec is new.
"""

from __future__ import annotations

import time

import pandas as pd

from saucegrid import imports
from saucegrid.data.constructions import construction_sample
from saucegrid.estimation import specs
from saucegrid.grid import fit
from saucegrid.grid.cache import CellCache, frame_hash, strip
from saucegrid.grid.cells import (
    RESTRICTED_DIMS,
    SAMPLE_DIMENSIONS,
    SPEC_DIMS,
    CellContext,
    apply_dimension,
)
from saucegrid.grid.collate import collate  # noqa: F401  (re-exported)

# --------------------------------------------------------------------------------------------
# fitting a slice


def cell_sample(models: pd.DataFrame, levels: dict, dims: dict, sample_cfg: dict,
                developer_sets: dict, constructions: dict | None = None,
                panels: dict | None = None) -> pd.DataFrame:
    """The analysis sample of the cell at `levels` (a dimension left out is at its baseline, the
    first of its levels in `dims`): construction or panel, then every registered dimension."""
    base = {k: str(v[0]) for k, v in dims.items()}
    levels = {k: str(levels.get(k, base[k])) for k in dims}
    s = construction_sample(models, levels["benchmark"], sample_cfg, levels,
                            developer_sets[sample_cfg["devset"]], constructions, panels)
    ctx = CellContext(levels["benchmark"], levels)
    for d in dims:
        if d in SAMPLE_DIMENSIONS:
            s = apply_dimension(d, s, levels[d], ctx, base[d])
    return s


def run_slice(models: pd.DataFrame, cells: pd.DataFrame, sample_cfg: dict,
              developer_sets: dict, cache=None, log=None, progress_every: float = 5.0,
              wcr: dict | None = None, constructions: dict | None = None,
              ri: dict | None = None, panels: dict | None = None,
              baseline: dict | None = None):
    """Fit every cell of one slice (cells share benchmark and construction levels). `cache`: a
    :class:`saucegrid.grid.cache.CellCache`, a folder for one, or None; `wcr`: the ``wcr`` config
    (None or enabled: false fits without the bootstrap); `constructions`: the ``constructions``
    config, whose names the construction levels are; `ri`: the ``ri`` config (None or enabled:
    false fits without randomization inference); `baseline`: the baseline level of every
    dimension (default: each registered dimension's first level seen in `cells`)."""
    from dataclasses import asdict

    from saucegrid.estimation.bootstrap import WCR
    from saucegrid.estimation.randomization import RI

    wcr_cfg = WCR.from_config(wcr) if wcr is not None else WCR(enabled=False)
    wcr_key = asdict(wcr_cfg) if wcr_cfg.enabled else None
    ri_cfg = RI.from_config(ri) if ri is not None else RI(enabled=False)
    ri_key = asdict(ri_cfg) if ri_cfg.enabled else None
    dims = [c for c in cells.columns if c not in ("cell_id", "skip_reason")]
    spec_dims = [d for d in dims if d in SPEC_DIMS]
    other = [d for d in dims if d not in SPEC_DIMS]
    plugged = [d for d in other if d in SAMPLE_DIMENSIONS]
    base = {d: str(cells[d].iloc[0]) for d in plugged} | dict(baseline or {})
    quantiles = tuple(sample_cfg["size_group_quantiles"])
    cache = cache if isinstance(cache, CellCache) else CellCache(cache)
    code = imports.fit_code_hash()
    base_samples: dict = {}
    samples: dict = {}
    prepared: dict = {}
    rows, terms = [None] * len(cells), [None] * len(cells)
    t0 = last = time.perf_counter()
    records = cells.to_dict("records")
    # visit the link levels of one design one after another: they share X, so the bootstrap
    # reuses its X-only part (results never depend on the order; they are stored in place)
    inner = [d for d in dims if d != "link"] + [d for d in dims if d == "link"]
    order = sorted(range(len(records)), key=lambda i: tuple(str(records[i][d]) for d in inner))
    fitted = skipped = 0
    for n, i in enumerate(order):
        rec = records[i]
        levels = {d: rec[d] for d in dims}
        extra = {d: levels[d] for d in other}
        spec = specs.Spec(**{d: levels[d] for d in spec_dims})
        if rec.get("skip_reason"):
            rows[i] = {"cell_id": rec["cell_id"], **levels, "status": "skipped",
                       "reason": rec["skip_reason"]}
            terms[i] = []
            skipped += 1
            continue
        ckey = (spec.benchmark, tuple(levels.get(k) for k in RESTRICTED_DIMS))
        if ckey not in base_samples:
            base_samples[ckey] = construction_sample(models, spec.benchmark, sample_cfg, levels,
                                                     developer_sets[sample_cfg["devset"]],
                                                     constructions, panels)
        skey = (ckey, tuple(levels[d] for d in plugged))
        if skey not in samples:
            s = base_samples[ckey]
            ctx = CellContext(spec.benchmark, dict(levels))
            for d in plugged:
                s = apply_dimension(d, s, str(levels[d]), ctx, base[d])
            samples[skey] = (s, frame_hash(s))
        s, shash = samples[skey]
        majors = developer_sets[spec.devset]
        pkey = (skey, spec.devset)
        if pkey not in prepared:
            prepared[pkey] = specs.PreparedSample(s, majors, quantiles)
        key = cache.key(code, shash, spec.as_dict(), majors, quantiles, wcr_key, ri_key)
        hit = cache.get(key)
        if hit is None:
            row, tr = strip(*fit.fit_cell(prepared[pkey], spec, majors, quantiles, extra,
                                        wcr_cfg, ri_cfg), {"cell_id", *dims})
            cache.put(key, row, tr)
            fitted += 1
        else:
            row, tr = hit
        named = {"cell_id": rec["cell_id"], **levels}
        rows[i] = {**named, **row}
        terms[i] = [{**named, **t} for t in tr]
        now = time.perf_counter()
        if log and now - last > progress_every:
            log.info("%d/%d cells (%d from cache), %.1f s", n + 1, len(cells), cache.hits,
                     now - t0)
            last = now
    if log:
        log.info("%d cells: %d skipped, %d from cache, %d fitted, %.2f s", len(cells), skipped,
                 cache.hits, fitted, time.perf_counter() - t0)
    return (fit.order_cell_columns(pd.DataFrame(rows), dims),
            fit.terms_frame([t for tr in terms for t in tr], dims))


def paper_cells(cells: pd.DataFrame, terms: pd.DataFrame, levels: dict):
    """The paper's specifications at the given levels of every non-spec dimension, renamed to
    their spec-only cell ids (the ids the tables and the replication report use)."""
    want = {}
    for spec in specs.paper_specs():
        full = {**levels, **spec.as_dict()}
        want[fit.cell_id({k: full[k] for k in cells.columns if k in full}, levels)] = spec.cell_id
    missing = [w for w in want if w not in set(cells["cell_id"])]
    if missing:
        raise ValueError(f"the grid lacks the paper cell(s) {missing[:3]}; keep every paper "
                         "level in grid.dimensions (or run with grid_subset=paper)")
    c = cells[cells["cell_id"].isin(want)].copy()
    t = terms[terms["cell_id"].isin(want)].copy()
    c["cell_id"] = c["cell_id"].map(want)
    t["cell_id"] = t["cell_id"].map(want)
    other = [k for k in cells.columns if k in levels and k not in specs.DIMENSIONS]
    return (c.drop(columns=other).reset_index(drop=True),
            t.drop(columns=[k for k in other if k in t.columns]).reset_index(drop=True))
