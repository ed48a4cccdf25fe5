"""The grid's cells: its dimensions, the plugin registry of sample dimensions, and the
enumeration of cells (see :mod:`saucegrid.grid.run` for how they are fitted).

A cell's id lists the level of every *spec* dimension (benchmark, link, time, devset, sample,
interaction) and, of every other dimension (construction, panel, a registered one), only a level
that is not the dimension's baseline (its first level). So adding a dimension leaves every
existing cell's id as it was: those cells sit at the new dimension's baseline.

Light on purpose: the Snakefile imports it at every start, so it needs pandas and the spec
vocabulary but none of the estimation or inference code.
"""

from __future__ import annotations

import importlib.util
import inspect
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from saucegrid.estimation import specs


def cell_id(levels: dict, baseline: dict | None = None) -> str:
    """Readable, stable id: dim~level joined by '/', in the given dimension order, leaving out
    every non-spec dimension at its `baseline` level (None: list every dimension)."""
    base = baseline or {}
    return "/".join(f"{k}~{v}" for k, v in levels.items()
                    if k in specs.DIMENSIONS or str(v) != str(base.get(k, "\0")))


def id_at(dims: dict, **over) -> str:
    """The id of the cell at the baseline (first level) of every dimension in `dims` but those
    given in `over`."""
    base = {k: str(v[0]) for k, v in dims.items()}
    return cell_id({k: str(over.get(k, base[k])) for k in dims}, base)


SPEC_DIMS = tuple(specs.DIMENSIONS)
CONSTRUCTION_DIMS = ("construction",)
# dimensions whose non-baseline levels are crossed with a few variant dimensions only:
# `construction` (built in, required) and `panel` (the out-of-sample panels, optional)
RESTRICTED_DIMS = ("construction", "panel")
SAMPLE_DIMENSIONS: dict[str, Callable] = {}


@dataclass(frozen=True)
class CellContext:
    """What a plugin may need besides the sample and its level: the cell's benchmark and the
    level of every grid dimension."""
    benchmark: str
    levels: dict = field(default_factory=dict)


def register(name: str):
    """Register ``fn(sample, level)`` or ``fn(sample, level, context)`` (a
    :class:`CellContext`) -> DataFrame as the grid dimension `name`. Its first level in
    ``grid.dimensions`` must return the sample unchanged (checked at run time)."""
    if name in SPEC_DIMS or name in RESTRICTED_DIMS:
        raise ValueError(f"{name!r} is a built-in dimension")

    def deco(fn):
        SAMPLE_DIMENSIONS[name] = fn
        return fn

    return deco


def _takes_context(fn) -> bool:
    params = list(inspect.signature(fn).parameters.values())
    return any(p.kind == p.VAR_POSITIONAL for p in params) or len(params) >= 3


def apply_dimension(name: str, sample: pd.DataFrame, level: str, context: CellContext,
                    baseline: str) -> pd.DataFrame:
    """The registered dimension `name` at `level`; at its `baseline` level the output must equal
    the input, or this raises naming the function and its file."""
    fn = SAMPLE_DIMENSIONS[name]
    out = fn(sample, level, context) if _takes_context(fn) else fn(sample, level)
    if not isinstance(out, pd.DataFrame):
        raise TypeError(f"grid dimension {name!r}: {_where(fn)} returned "
                        f"{type(out).__name__}, not a DataFrame")
    if level == baseline and not _same_frame(sample, out):
        raise ValueError(
            f"grid dimension {name!r}: its baseline level {baseline!r} (the first under "
            f"grid.dimensions.{name}) changed the {context.benchmark} sample ({len(sample)} -> "
            f"{len(out)} rows) in {_where(fn)}. The first level of a registered dimension must "
            "return the sample unchanged, so that adding the dimension leaves every existing "
            "cell as it was. Fix the function, or list first the level that keeps the sample.")
    return out


def _same_frame(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    return (list(a.columns) == list(b.columns) and len(a) == len(b)
            and a.reset_index(drop=True).equals(b.reset_index(drop=True)))


def _where(fn) -> str:
    code = getattr(fn, "__code__", None)
    loc = f"{code.co_filename}:{code.co_firstlineno}" if code else "?"
    return f"{getattr(fn, '__name__', fn)!r} ({loc})"


def load_plugins(paths: list[str], base: str | Path = ".") -> list[str]:
    """Import plugin files (relative to base) so their @register calls run; return their paths."""
    loaded = []
    for p in paths:
        path = Path(p) if Path(p).is_absolute() else Path(base) / p
        if not path.is_file():
            raise FileNotFoundError(f"grid plugin {p!r} not found at {path}; fix grid.plugins "
                                    "in config.yaml")
        spec = importlib.util.spec_from_file_location(f"saucegrid_plugin_{path.stem}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        loaded.append(str(path))
    return loaded


def dimensions(grid_cfg: dict) -> dict[str, list[str]]:
    dims = {k: [str(v) for v in vals] for k, vals in grid_cfg["dimensions"].items()}
    for k in SPEC_DIMS + CONSTRUCTION_DIMS:
        if k not in dims:
            raise ValueError(f"grid.dimensions lacks the built-in dimension {k!r}")
    for k, vals in dims.items():
        if k in specs.DIMENSIONS:
            bad = [v for v in vals if v not in specs.DIMENSIONS[k]]
            if bad:
                raise ValueError(f"grid.dimensions.{k}: unknown level(s) {bad}; choose from "
                                 f"{list(specs.DIMENSIONS[k])}")
        elif k not in RESTRICTED_DIMS and k not in SAMPLE_DIMENSIONS:
            raise ValueError(f"grid.dimensions.{k} has no registered function; add one with "
                             "@saucegrid.grid.cells.register(" f"{k!r}) in a file listed under "
                             "grid.plugins")
    return dims


def variant_dims(grid_cfg: dict, level: str, dim: str = "construction") -> list[str]:
    """The dimensions crossed for one non-baseline level of a restricted dimension: its own
    entry under ``grid.variant_dims_by``, else its dimension's, else ``grid.variant_dims``."""
    by = grid_cfg.get("variant_dims_by") or {}
    return list(by.get(level, by.get(dim, grid_cfg.get("variant_dims") or [])))


def sub_grids(grid_cfg: dict) -> dict[str, dict]:
    """``grid.sub_grids``: name -> {levels: {dimension: [level, ...]}, cross: [dimension, ...],
    named: bool}. A sub-grid's levels are left out of every other cross product; they are crossed
    with its `cross` dimensions only, every other dimension at its baseline (the way a
    construction variant is). A `named` sub-grid is fitted only when a target asks for it."""
    out = {}
    for name, sg in (grid_cfg.get("sub_grids") or {}).items():
        out[name] = {"levels": {d: [str(v) for v in vals] for d, vals in sg["levels"].items()},
                     "cross": list(sg.get("cross") or []), "named": bool(sg.get("named"))}
    return out


def sub_grid_problems(grid_cfg: dict) -> list[str]:
    """Every inconsistency of ``grid.sub_grids`` with the grid's dimensions, one message each."""
    dims = {k: [str(v) for v in vals] for k, vals in grid_cfg["dimensions"].items()}
    out, seen = [], {}
    for name, sg in sub_grids(grid_cfg).items():
        key = f"grid.sub_grids.{name}"
        for d, lvs in sg["levels"].items():
            if d not in dims or d in RESTRICTED_DIMS:
                out.append(f"{key}.levels names {d!r}, which is not a free grid dimension. Fix: "
                           "name a dimension of grid.dimensions other than construction/panel.")
                continue
            bad = [v for v in lvs if v not in dims[d]]
            if bad:
                out.append(f"{key}.levels.{d}: {bad} are not levels of grid.dimensions.{d}. "
                           f"Fix: list them there too, or drop them (or the sub-grid {name!r}) "
                           "from grid.sub_grids.")
            if dims[d][0] in lvs:
                out.append(f"{key}.levels.{d} holds the baseline level {dims[d][0]!r}. Fix: a "
                           "sub-grid takes non-baseline levels only.")
            for v in lvs:
                if (d, v) in seen:
                    out.append(f"{key}.levels.{d}: {v!r} is in sub-grid {seen[(d, v)]!r} too. "
                               "Fix: give each level one sub-grid.")
                seen[(d, v)] = name
        bad = [d for d in sg["cross"] if d not in dims or d in RESTRICTED_DIMS
               or d in sg["levels"]]
        if bad:
            out.append(f"{key}.cross names {bad}: not free grid dimensions, or the sub-grid's "
                       "own. Fix: cross with other free dimensions of grid.dimensions.")
        if sg["named"] and not set(sg["levels"]) <= set(grid_cfg.get("slice_by") or []):
            out.append(f"{key} is named (fitted on request) but its dimensions "
                       f"{sorted(sg['levels'])} are not all in grid.slice_by, so its cells "
                       "would share slices with the default grid's. Fix: add them to slice_by.")
    return out


def sub_grid_of(frame: pd.DataFrame, grid_cfg: dict) -> pd.Series:
    """Per cell of `frame`: the name of the sub-grid it belongs to, or '' (the main grid)."""
    out = pd.Series("", index=frame.index, dtype=object)
    for name, sg in sub_grids(grid_cfg).items():
        m = np.zeros(len(frame), bool)
        for d, lvs in sg["levels"].items():
            m |= frame[d].isin(lvs).to_numpy()
        out[m] = name
    return out


def named_cells(frame: pd.DataFrame, grid_cfg: dict) -> pd.Series:
    """Per cell of `frame`: True where it belongs to a named sub-grid (fitted on request)."""
    named = [n for n, sg in sub_grids(grid_cfg).items() if sg["named"]]
    return sub_grid_of(frame, grid_cfg).isin(named)


def cell_frame(grid_cfg: dict) -> pd.DataFrame:
    """Every cell of the grid, with status 'skipped' and a reason where a skip rule matches. One
    column per dimension, in config order, and rows in the order of the full cross product.
    The baseline levels of the restricted dimensions (construction, panel) get the full cross
    product of the other dimensions; every other level of a restricted dimension its variant
    dimensions only, everything else at baseline; the levels of a sub-grid (``grid.sub_grids``)
    only their sub-grid's cross dimensions."""
    dims = dimensions(grid_cfg)
    problems = sub_grid_problems(grid_cfg)
    if problems:
        raise ValueError("; ".join(problems))
    base = {k: v[0] for k, v in dims.items()}
    subs = sub_grids(grid_cfg)
    apart = {d: {v for sg in subs.values() for v in sg["levels"].get(d, [])} for d in dims}
    core = {d: [v for v in dims[d] if v not in apart[d]] for d in dims}
    restricted = [d for d in RESTRICTED_DIMS if d in dims]
    free = [d for d in dims if d not in restricted]
    rows = [{**base, **dict(zip(free, combo, strict=True))}
            for combo in itertools.product(*(core[d] for d in free))]
    for dim in restricted:
        for lv in dims[dim][1:]:
            vd = variant_dims(grid_cfg, lv, dim)
            bad = set(vd) - set(free)
            if bad:
                raise ValueError(f"variant dimensions {sorted(bad)} of {dim} {lv!r} are not "
                                 "grid dimensions (or are restricted ones)")
            cross = [d for d in free if d in vd]
            rows += [{**base, **dict(zip(cross, combo, strict=True)), dim: lv}
                     for combo in itertools.product(*(core[d] for d in cross))]
    for sg in subs.values():
        cross = [d for d in free if d in sg["cross"]]
        own = list(sg["levels"])
        rows += [{**base, **dict(zip(own + cross, combo, strict=True))}
                 for combo in itertools.product(*(sg["levels"][d] for d in own),
                                                *(core[d] for d in cross))]
    pos = {d: {v: i for i, v in enumerate(dims[d])} for d in dims}
    rows.sort(key=lambda r: tuple(pos[d][r[d]] for d in dims))
    df = pd.DataFrame(rows, columns=list(dims))
    df["skip_reason"] = ""
    for rule in grid_cfg.get("skip", []) or []:
        m = np.ones(len(df), bool)
        for k, v in rule["when"].items():
            if k not in df:
                if k in RESTRICTED_DIMS:  # an optional dimension this grid leaves out
                    m[:] = False
                    continue
                raise ValueError(f"grid.skip names {k!r}, which is not a grid dimension")
            vals = v if isinstance(v, list) else [v]
            m &= df[k].isin([str(x) for x in vals]).to_numpy()
        df.loc[m & (df["skip_reason"] == ""), "skip_reason"] = rule["reason"]
    df.insert(0, "cell_id", [cell_id(r, base) for r in df[list(dims)].to_dict("records")])
    return df


def paper_subset(frame: pd.DataFrame, baseline: dict) -> pd.DataFrame:
    """The cells the paper reports: paper_specs() at the baseline of every other dimension, and
    under every level of the restricted dimensions (each sample construction, each
    out-of-sample panel), which the fidelity and out-of-sample reports set side by side."""
    wants = [{**baseline, **spec.as_dict()} for spec in specs.paper_specs()]
    wants += [{**w, d: lv} for w in list(wants) for d in RESTRICTED_DIMS if d in frame.columns
              for lv in frame[d].unique()]
    keep = []
    for want in wants:
        m = np.ones(len(frame), bool)
        for k, v in want.items():
            if k in frame.columns:
                m &= (frame[k] == v).to_numpy()
        keep.append(frame.index[m])
    idx = sorted(set().union(*[set(i) for i in keep]))
    return frame.loc[idx]


def baseline_levels(grid_cfg: dict) -> dict[str, str]:
    """The baseline cell: the first level of every dimension."""
    return {k: str(v[0]) for k, v in grid_cfg["dimensions"].items()}
