"""The robustness grid: enumerate cells, fit them slice by slice with a per-cell cache, collate.

Dimensions come in three kinds:

- *spec* dimensions (benchmark, link, time, devset, sample, interaction): fields of
  :class:`saucegrid.specs.Spec`;
- *construction* dimensions (token_assignment, reasoning): options of the sample construction,
  see :class:`saucegrid.sample.SampleOptions`;
- *registered* dimensions: any other key under ``grid.dimensions`` in config.yaml, backed by a
  function registered with :func:`register` that filters or transforms an analysis sample for a
  given level. Plugins (python files named in ``grid.plugins``) hold such functions, so adding a
  dimension needs config and one function, nothing else.

Levels are strings, so cell ids and wildcard paths are stable and readable. Each cell's result
is cached under a content hash of everything it depends on (the sample's rows, the spec and
levels, the developer set, the code), so a changed level re-fits only the cells it touches.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import itertools
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from . import grid as G
from . import sample as S
from . import specs as P

SPEC_DIMS = tuple(P.DIMENSIONS)
CONSTRUCTION_DIMS = ("token_assignment", "reasoning")
SAMPLE_DIMENSIONS: dict[str, Callable[[pd.DataFrame, str], pd.DataFrame]] = {}


def register(name: str):
    """Register fn(sample: DataFrame, level: str) -> DataFrame as the grid dimension `name`."""
    if name in SPEC_DIMS or name in CONSTRUCTION_DIMS:
        raise ValueError(f"{name!r} is a built-in dimension")

    def deco(fn):
        SAMPLE_DIMENSIONS[name] = fn
        return fn

    return deco


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
        if k in P.DIMENSIONS:
            bad = [v for v in vals if v not in P.DIMENSIONS[k]]
            if bad:
                raise ValueError(f"grid.dimensions.{k}: unknown level(s) {bad}; choose from "
                                 f"{list(P.DIMENSIONS[k])}")
        elif k not in CONSTRUCTION_DIMS and k not in SAMPLE_DIMENSIONS:
            raise ValueError(f"grid.dimensions.{k} has no registered function; add one with "
                             "@saucegrid.robustness.register(" f"{k!r}) in a file listed under "
                             "grid.plugins")
    return dims


def cell_frame(grid_cfg: dict) -> pd.DataFrame:
    """Every cell of the cross product, with status 'skipped' and a reason where a skip rule
    matches. One column per dimension, in config order."""
    dims = dimensions(grid_cfg)
    rows = [dict(zip(dims, combo, strict=True)) for combo in itertools.product(*dims.values())]
    df = pd.DataFrame(rows, columns=list(dims))
    df["skip_reason"] = ""
    for rule in grid_cfg.get("skip", []) or []:
        m = np.ones(len(df), bool)
        for k, v in rule["when"].items():
            vals = v if isinstance(v, list) else [v]
            m &= df[k].isin([str(x) for x in vals]).to_numpy()
        df.loc[m & (df["skip_reason"] == ""), "skip_reason"] = rule["reason"]
    df.insert(0, "cell_id", [G.cell_id(r) for r in df[list(dims)].to_dict("records")])
    return df


def paper_subset(frame: pd.DataFrame, baseline: dict) -> pd.DataFrame:
    """The cells the paper reports: paper_specs() at the baseline of every other dimension."""
    keep = []
    for spec in P.paper_specs():
        want = {**baseline, **spec.as_dict()}
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


# --------------------------------------------------------------------------------------------
# the cache


def _code_fingerprint(extra_files: list[str]) -> str:
    from . import bootstrap, decompose, estimate, grid, links, specs

    h = hashlib.sha256()
    for mod in (grid, specs, estimate, decompose, links, bootstrap):
        h.update(inspect.getsource(mod).encode())
    for f in sorted(extra_files):
        h.update(Path(f).read_bytes())
    return h.hexdigest()


def frame_hash(df: pd.DataFrame) -> str:
    h = hashlib.sha256()
    h.update(",".join(map(str, df.columns)).encode())
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()


def _jsonable(x):
    if isinstance(x, (np.floating, float)):
        return float(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.bool_,)):
        return bool(x)
    return x


class CellCache:
    def __init__(self, folder: str | Path | None):
        self.folder = Path(folder) if folder else None
        self.hits = 0

    def key(self, *parts) -> str:
        return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()

    def get(self, key: str):
        if self.folder is None:
            return None
        p = self.folder / key[:2] / f"{key}.json"
        if p.is_file():
            try:
                d = json.loads(p.read_text())
            except (OSError, ValueError):
                return None
            self.hits += 1
            return d["row"], d["terms"]
        return None

    def put(self, key: str, row: dict, terms: list[dict]) -> None:
        if self.folder is None:
            return
        from .io import write_text

        p = self.folder / key[:2] / f"{key}.json"
        payload = {"row": {k: _jsonable(v) for k, v in row.items()},
                   "terms": [{k: _jsonable(v) for k, v in t.items()} for t in terms]}
        write_text(p, json.dumps(payload, allow_nan=True))


# --------------------------------------------------------------------------------------------
# fitting a slice


def construction_sample(models: pd.DataFrame, benchmark: str, sample_cfg: dict,
                        levels: dict, majors) -> pd.DataFrame:
    over = {k: levels[k] for k in CONSTRUCTION_DIMS if k in levels}
    opts = S.SampleOptions.from_config(sample_cfg, **over)
    return S.analysis_sample(S.apply_options(models, opts), benchmark, majors, opts)


def run_slice(models: pd.DataFrame, cells: pd.DataFrame, sample_cfg: dict,
              developer_sets: dict, cache_dir=None, plugin_files=(), log=None,
              progress_every: float = 5.0, wcr: dict | None = None):
    """Fit every cell of one slice (cells share benchmark and construction levels). `wcr`: the
    ``wcr`` config (None or enabled: false fits without the bootstrap)."""
    from dataclasses import asdict

    from .bootstrap import WCR

    wcr_cfg = WCR.from_config(wcr) if wcr is not None else WCR(enabled=False)
    wcr_key = asdict(wcr_cfg) if wcr_cfg.enabled else None
    dims = [c for c in cells.columns if c not in ("cell_id", "skip_reason")]
    spec_dims = [d for d in dims if d in SPEC_DIMS]
    other = [d for d in dims if d not in SPEC_DIMS]
    quantiles = tuple(sample_cfg["size_group_quantiles"])
    cache = CellCache(cache_dir)
    code = _code_fingerprint(list(plugin_files))
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
    for n, i in enumerate(order):
        rec = records[i]
        levels = {d: rec[d] for d in dims}
        extra = {d: levels[d] for d in other}
        spec = P.Spec(**{d: levels[d] for d in spec_dims})
        if rec.get("skip_reason"):
            rows[i] = {"cell_id": rec["cell_id"], **levels, "status": "skipped",
                       "reason": rec["skip_reason"]}
            terms[i] = []
            continue
        ckey = (spec.benchmark, tuple(levels.get(k) for k in CONSTRUCTION_DIMS))
        if ckey not in base_samples:
            base_samples[ckey] = construction_sample(models, spec.benchmark, sample_cfg, levels,
                                                     developer_sets[sample_cfg["devset"]])
        skey = (ckey, tuple(levels[d] for d in other if d in SAMPLE_DIMENSIONS))
        if skey not in samples:
            s = base_samples[ckey]
            for d in other:
                if d in SAMPLE_DIMENSIONS:
                    s = SAMPLE_DIMENSIONS[d](s, levels[d])
            samples[skey] = (s, frame_hash(s))
        s, shash = samples[skey]
        majors = developer_sets[spec.devset]
        pkey = (skey, spec.devset)
        if pkey not in prepared:
            prepared[pkey] = P.Prepared(s, majors, quantiles)
        key = cache.key(code, shash, levels, majors, quantiles, wcr_key)
        hit = cache.get(key)
        if hit is None:
            row, tr = G.fit_cell(prepared[pkey], spec, majors, quantiles, extra, wcr_cfg)
            row = {"cell_id": rec["cell_id"], **{k: v for k, v in row.items()
                                                 if k != "cell_id"}}
            for t in tr:
                t["cell_id"] = rec["cell_id"]
            cache.put(key, row, tr)
        else:
            row, tr = hit
        rows[i], terms[i] = row, tr
        now = time.perf_counter()
        if log and now - last > progress_every:
            log.info("%d/%d cells (%d from cache), %.1f s", n + 1, len(cells), cache.hits,
                     now - t0)
            last = now
    if log:
        log.info("%d cells, %d from cache, %.2f s", len(cells), cache.hits,
                 time.perf_counter() - t0)
    return (G.order_cell_columns(pd.DataFrame(rows), dims),
            G.terms_frame([t for tr in terms for t in tr], dims))


def collate(parts: list[tuple[pd.DataFrame, pd.DataFrame]], order: pd.DataFrame):
    """Concatenate slice results in the grid's enumeration order."""
    cells = pd.concat([c for c, _ in parts], ignore_index=True)
    terms = pd.concat([t for _, t in parts if len(t)], ignore_index=True)
    pos = {cid: i for i, cid in enumerate(order["cell_id"])}
    cells = cells.assign(_o=cells["cell_id"].map(pos)).sort_values("_o", kind="mergesort")
    terms = terms.assign(_o=terms["cell_id"].map(pos)).sort_values("_o", kind="mergesort")
    dims = list(cells.columns[1:cells.columns.get_loc("status")])
    return (G.order_cell_columns(cells.drop(columns="_o"), dims).reset_index(drop=True),
            terms.drop(columns="_o").reset_index(drop=True))


# --------------------------------------------------------------------------------------------
# the human summary


HEADLINES = {
    "beta_c": ("β_c", ".3f"),
    "shared_progress_factor": ("shared progress ×", ".2f"),
    "shapley_company": ("company share", ".3f"),
    "gap_90_10_factor": ("90–10 gap ×", ".1f"),
    "r2": ("R²", ".3f"),
}


def _md(df: pd.DataFrame) -> str:
    from tabulate import tabulate

    return tabulate(df, headers="keys", tablefmt="github", showindex=False,
                    disable_numparse=True)


def _fmt(x, f: str) -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if not np.isfinite(v):
        return "—" if np.isnan(v) else ("∞" if v > 0 else "−∞")
    return format(v, ".2e") if abs(v) >= 1e5 else format(v, f)


class GridView:
    """Look up cells by levels, defaulting every other dimension to the baseline."""

    def __init__(self, cells: pd.DataFrame, terms: pd.DataFrame, dims: dict[str, list[str]]):
        self.cells, self.terms, self.dims = cells, terms, dims
        self.base = {k: v[0] for k, v in dims.items()}
        self.by_id = cells.set_index("cell_id")

    def cell(self, **levels):
        cid = G.cell_id({k: levels.get(k, self.base[k]) for k in self.dims})
        if cid not in self.by_id.index:
            return None
        c = self.by_id.loc[cid]
        return c if c["status"] == "ok" else None

    def cid(self, **levels) -> str:
        return G.cell_id({k: levels.get(k, self.base[k]) for k in self.dims})


def movement_table(view: GridView) -> pd.DataFrame:
    """For each dimension: the range of each headline across its levels, others at baseline."""
    rows = []
    for d, levels in view.dims.items():
        vals = {h: [] for h in HEADLINES}
        for lv in levels:
            c = view.cell(**{d: lv})
            if c is None:
                continue
            for h in HEADLINES:
                v = c.get(h, np.nan)
                if np.isfinite(v):
                    vals[h].append(float(v))
        row = {"dimension": d, "levels": len(levels)}
        for h, (lab, f) in HEADLINES.items():
            v = vals[h]
            row[lab] = f"{_fmt(min(v), f)} – {_fmt(max(v), f)}" if v else "—"
        rows.append(row)
    return pd.DataFrame(rows)


def across_cells(cells: pd.DataFrame) -> pd.DataFrame:
    ok = cells[cells["status"] == "ok"]
    rows = []
    for h, (lab, f) in HEADLINES.items():
        for b, g in ok.groupby("benchmark", sort=False):
            v = g[h].replace([np.inf, -np.inf], np.nan).dropna()
            if not len(v):
                continue
            same = (np.sign(v) == np.sign(v.median())).mean()
            rows.append({"quantity": lab, "benchmark": b, "cells": len(v),
                         "min": _fmt(v.min(), f), "median": _fmt(v.median(), f),
                         "max": _fmt(v.max(), f), "same sign as median": f"{same:.0%}"})
    return pd.DataFrame(rows)


def _coef_columns(view: GridView, variants: list[tuple[str, dict]], terms: list[str]):
    from .tables import term_label

    rows = []
    t = view.terms
    for term in terms:
        row = {"term": term_label(term)}
        for label, lv in variants:
            sel = t[(t["cell_id"] == view.cid(**lv)) & (t["term"] == term)]
            if len(sel) and np.isfinite(sel["estimate"].iloc[0]):
                r = sel.iloc[0]
                row[label] = f"{r['estimate']:.3f}{r['stars']} ({r['std_error']:.3f})"
            else:
                row[label] = "—"
        rows.append(row)
    for key, lab, f in (("n_obs", "N", "d"), ("r2", "R²", ".3f")):
        row = {"term": lab}
        for label, lv in variants:
            c = view.cell(**lv)
            row[label] = "—" if c is None else format(c[key], f) if key != "n_obs" else \
                str(int(c[key]))
        rows.append(row)
    return pd.DataFrame(rows)


def summary_markdown(cells: pd.DataFrame, terms: pd.DataFrame, dims: dict,
                     developer_sets: dict, paper: dict | None = None,
                     alpha: float = 0.05) -> str:
    view = GridView(cells, terms, dims)
    base = view.base
    st = cells["status"].value_counts()
    out = ["# Robustness grid summary", "",
           f"{len(cells)} cells ({', '.join(f'{k} {v}' for k, v in st.items())}) over "
           + ", ".join(f"{k} ({len(v)})" for k, v in dims.items()) + ".",
           "", "Baseline (first level of each dimension): "
           + ", ".join(f"`{k}={v}`" for k, v in base.items()) + ".", ""]

    out += ["## How far the headline numbers move, one dimension at a time", "",
            "Each row varies one dimension over its levels with every other dimension at the "
            "baseline, and gives the min – max of each headline across those levels.", "",
            _md(movement_table(view)), ""]
    out += ["## Across all cells", "", _md(across_cells(cells)), ""]

    majors = developer_sets[base.get("devset", "paper")]
    key_terms = ([P.LOG_FLOPS] + [f"period:{p}" for p in list(P.PERIOD3)[1:]]
                 + [f"dev:{m}" for m in majors])
    variants = [("baseline", {})]
    variants += [(f"link {v}", {"link": v}) for v in dims.get("link", [])[1:]]
    variants += [(f"time {v}", {"time": v}) for v in dims.get("time", [])[1:]]
    variants += [(f"devset {v}", {"devset": v}) for v in dims.get("devset", [])[1:]]
    out += ["## Table C.1, column (1), across link, time and developer-set variants", "",
            "Coefficient with stars, clustered SE in parentheses; — = not in that "
            "specification.", "", _md(_coef_columns(view, variants, key_terms)), ""]

    rows = []
    for m in majors:
        row = {"developer": m}
        for t in dims.get("time", []):
            c = view.cell(time=t)
            row[f"time={t}"] = _fmt(c.get(f"factor_dev:{m}", np.nan) if c is not None
                                    else np.nan, ".1f")
        rows.append(row)
    out += ["## Figure E.9: developer compute factors under three time structures", "",
            "M = 10^(ν_j/β_c), relative to other-small developers.", "",
            _md(pd.DataFrame(rows)), ""]

    rows = []
    for label, lv in [("baseline", {})] + [(f"link {v}", {"link": v}) for v in
                                          dims.get("link", [])[1:]] + \
            [(f"time {v}", {"time": v}) for v in dims.get("time", [])[1:]]:
        for b in dims.get("benchmark", []):
            c = view.cell(benchmark=b, **lv)
            if c is None:
                continue
            rows.append({"variant": label, "benchmark": b, "N": int(c["n_obs"]),
                         **{k: _fmt(c[f"shapley_{k}"], ".3f") for k in
                            ("scale", "time", "company", "residual")}})
    out += ["## Figures 1, E.2, E.6, E.10, D.2: Shapley shares", "", _md(pd.DataFrame(rows)),
            ""]

    inter = [P.LOG_FLOPS] + [f"period:{p} x {P.LOG_FLOPS}" for p in list(P.PERIOD3)[1:]]
    variants = [(b, {"benchmark": b, "interaction": "period_x_compute"})
                for b in dims.get("benchmark", [])]
    if "period_x_compute" in dims.get("interaction", []):
        out += ["## Table E.1: compute × period interactions", "",
                _md(_coef_columns(view, variants, inter)), ""]

    rows = []
    for b in dims.get("benchmark", []):
        c = view.cell(benchmark=b)
        if c is None:
            continue
        rows.append({"benchmark": b, "N": int(c["n_obs"]), "G": int(c["n_clusters"]),
                     **{lab: _fmt(c[h], f) for h, (lab, f) in HEADLINES.items()}})
    out += ["## MATH L5 beside MMLU-Pro (baseline specification)", "",
            _md(pd.DataFrame(rows)), ""]

    if all(k in dims for k in CONSTRUCTION_DIMS):
        rows = []
        for b in dims["benchmark"]:
            for ta in dims["token_assignment"]:
                for rs in dims["reasoning"]:
                    c = view.cell(benchmark=b, token_assignment=ta, reasoning=rs)
                    if c is None:
                        continue
                    rows.append({"benchmark": b, "token_assignment": ta, "reasoning": rs,
                                 "N": int(c["n_obs"]),
                                 **{lab: _fmt(c[h], f) for h, (lab, f) in HEADLINES.items()}})
        out += ["## Sample construction", "", _md(pd.DataFrame(rows)), ""]
    inf = inference_markdown(cells, terms, dims, developer_sets, paper, alpha)
    if inf:
        out += [inf]
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# inference: CR1 against the wild cluster restricted bootstrap

# headline -> (label, p value under CR1, p value under WCR, how its sign is read)
INFERENCE = [
    ("beta_c", "β_c", "beta_c_p", "beta_c_p_wcr", "sign of β_c"),
    ("shared_progress_factor", "shared progress ×", "shared_progress_p", "shared_progress_p_wcr",
     "above or below 1×; test: last period effect = 0"),
    ("shapley_company", "company share", "company_p_bonf", "company_p_bonf_wcr",
     "test: no developer effect (Bonferroni over the developer effects)"),
    ("shapley_company", "company share", "company_wald_p", None,
     "test: developer effects jointly zero (CR1 Wald F on (q, G−1))"),
]


def _share(mask) -> str:
    mask = np.asarray(mask, bool)
    return f"{mask.mean():.0%}" if len(mask) else "—"


def inference_across_cells(cells: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Per headline quantity and benchmark: median, range, share of cells with the median's
    sign, and the share significant at alpha under CR1 and under WCR (among the cells where
    that test is defined)."""
    ok = cells[cells["status"] == "ok"]
    rows = []
    for h, lab, p1, p2, how in INFERENCE:
        if h not in ok or p1 not in ok:
            continue
        f = HEADLINES[h][1]
        for b, g in ok.groupby("benchmark", sort=False):
            v = g[h].replace([np.inf, -np.inf], np.nan)
            keep = v.notna()
            v, g = v[keep], g[keep]
            if not len(v):
                continue
            signed = np.log10(v) if h == "shared_progress_factor" else v
            same = np.sign(signed) == np.sign(signed.median())
            pc = g[p1].to_numpy(float)
            pw = g[p2].to_numpy(float) if p2 and p2 in g else np.full(len(g), np.nan)
            rows.append({
                "quantity": lab, "test": how, "benchmark": b, "cells": len(v),
                "median": _fmt(v.median(), f), "min – max": f"{_fmt(v.min(), f)} – "
                f"{_fmt(v.max(), f)}", "same sign as median": _share(same),
                f"significant at {alpha:.0%}, CR1": _share(pc[np.isfinite(pc)] < alpha),
                f"significant at {alpha:.0%}, WCR": _share(pw[np.isfinite(pw)] < alpha)})
    return pd.DataFrame(rows)


def stars_verdict(paper: str, ours: str) -> str:
    """Does a published star level survive our test: kept (as many stars or more), weaker
    (fewer, still < 0.10), lost (none left), new (we find significance the paper did not)."""
    a, b = len(paper or ""), len(ours or "")
    if a == 0:
        return "new" if b else ""
    return "kept" if b >= a else "weaker" if b else "lost"


def table_c1_inference(view: GridView, paper: dict | None, majors) -> pd.DataFrame:
    """Table C.1's four columns at the baseline levels: per term, the estimate, the paper's
    stars, our CR1 p value and stars, our WCR p value, stars and 95% interval, and whether the
    paper's stars survive under WCR."""
    from .paper import C1_SAMPLES, term_order
    from .tables import term_label

    ref = (paper or {}).get("table_c1", {}).get("stars", {})
    rows = []
    for i, smp in enumerate(C1_SAMPLES):
        t = view.terms[view.terms["cell_id"] == view.cid(sample=smp)].set_index("term")
        for term in term_order(majors):
            if term == "const" or term not in t.index or t.loc[term, "omitted"] != "":
                continue
            r = t.loc[term]
            ps = (ref.get(term) or [""] * 4)[i] or ""
            lo, hi = r.get("ci_wcr_low", np.nan), r.get("ci_wcr_high", np.nan)
            rows.append({
                "column": f"({i + 1})", "term": term_label(term),
                "estimate": f"{r['estimate']:.3f}", "paper": ps or "·",
                "CR1 p": f"{r['p_value']:.3f}{r['stars']}",
                "WCR p": (f"{r['p_wcr']:.3f}{r['stars_wcr']}" if np.isfinite(r.get("p_wcr",
                                                                                 np.nan))
                          else "—"),
                "WCR 95% interval": f"[{_fmt(lo, '.3f')}, {_fmt(hi, '.3f')}]",
                "paper's stars under CR1": stars_verdict(ps, r["stars"]),
                "under WCR": stars_verdict(ps, r.get("stars_wcr", "")),
            })
    return pd.DataFrame(rows)


def inference_markdown(cells: pd.DataFrame, terms: pd.DataFrame, dims: dict,
                       developer_sets: dict, paper: dict | None = None,
                       alpha: float = 0.05) -> str:
    view = GridView(cells, terms, dims)
    ok = cells[cells["status"] == "ok"]
    if "beta_c_p_wcr" not in ok or not np.isfinite(ok["beta_c_p_wcr"].to_numpy(float)).any():
        return ""
    by = ok.groupby("wcr_weights")["wcr_draws"].agg(["count", "min", "max"]) \
        if "wcr_weights" in ok else pd.DataFrame()
    how = "; ".join(f"{w} weights in {int(r['count'])} cells" for w, r in by.iterrows())
    exact = int(ok.get("wcr_exact", pd.Series(dtype=bool)).astype(bool).sum())
    draws = sorted({int(x) for x in ok["wcr_draws"].dropna()}) if "wcr_draws" in ok else []
    out = ["## Inference: CR1 against the wild cluster restricted bootstrap", "",
           "CR1: developer-clustered standard errors with Stata's small-sample factor and "
           "t(G−1) p values. WCR: wild cluster restricted bootstrap (null imposed) of the same "
           "t statistic, symmetric p values; intervals by test inversion. "
           f"{how}; draws per cell: {', '.join(map(str, draws))}"
           + (f"; {exact} cells use every weight vector (exact)" if exact else "") + ".", "",
           "Every major developer is a single cluster, so each developer effect rests on one "
           "cluster: CR1 is known to over-reject such effects and the WCR bootstrap to "
           "under-reject them (MacKinnon and Webb 2017), which is why WCR intervals of "
           "developer effects are wide. β_c and the period effects vary within clusters and "
           "are where the two agree or disagree most informatively.", "",
           "### Across all cells", "", _md(inference_across_cells(cells, alpha)), ""]
    majors = developer_sets[view.base.get("devset", "paper")]
    for b in dims.get("benchmark", []):
        if view.cell(benchmark=b) is None:
            continue
        tab = table_c1_inference(GridView(cells, terms, {**dims, "benchmark": [b]}),
                                 paper if b == "mmlu_pro" else None, majors)
        if not len(tab):
            continue
        if b != "mmlu_pro":
            tab = tab.drop(columns=["paper", "paper's stars under CR1", "under WCR"])
        out += [f"### Table C.1 columns, CR1 against WCR ({b})", "",
                "Baseline levels of every other dimension. Stars: * p<0.10, ** p<0.05, "
                "*** p<0.01." + (" `paper`: the published stars; kept / weaker / lost / new "
                                 "compares them with ours." if b == "mmlu_pro" else ""), "",
                _md(tab), ""]
        if b == "mmlu_pro" and paper:
            n = tab[tab["paper"] != "·"]
            wcr_v, cr1_v = n["under WCR"], n["paper's stars under CR1"]
            levels = ("kept", "weaker", "lost")
            out += [f"Of the paper's {len(n)} starred coefficients in Table C.1, "
                    + ", ".join(f"{(wcr_v == v).sum()} {v}" for v in levels)
                    + " under WCR (" + ", ".join(f"{(cr1_v == v).sum()} {v}" for v in levels)
                    + " under our CR1).", ""]
    return "\n".join(out)


def paper_cells(cells: pd.DataFrame, terms: pd.DataFrame, levels: dict):
    """The paper's specifications at the given levels of every non-spec dimension, renamed to
    their spec-only cell ids (the ids the tables and the replication report use)."""
    want = {}
    for spec in P.paper_specs():
        full = {**levels, **spec.as_dict()}
        want[G.cell_id({k: full[k] for k in cells.columns if k in full})] = spec.cell_id
    missing = [w for w in want if w not in set(cells["cell_id"])]
    if missing:
        raise ValueError(f"the grid lacks the paper cell(s) {missing[:3]}; keep every paper "
                         "level in grid.dimensions (or run with grid_subset=paper)")
    c = cells[cells["cell_id"].isin(want)].copy()
    t = terms[terms["cell_id"].isin(want)].copy()
    c["cell_id"] = c["cell_id"].map(want)
    t["cell_id"] = t["cell_id"].map(want)
    other = [k for k in cells.columns if k in levels and k not in P.DIMENSIONS]
    return (c.drop(columns=other).reset_index(drop=True),
            t.drop(columns=[k for k in other if k in t.columns]).reset_index(drop=True))
