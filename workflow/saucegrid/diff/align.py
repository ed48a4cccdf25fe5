"""Matching the grid tables of two runs by the cells' levels, not by their ids.

Two runs may have different dimensions: a run made after a dimension was added has a column
(and, for its non-baseline levels, an id part) that the other lacks. A dimension absent from a
run counts as its baseline level there, the level every cell of that run implicitly had. Each
cell gets a canonical key, the cell id computed from its levels over the union of both runs'
dimensions with one baseline per dimension (A's where A has the dimension), so a cell present in
both runs has the same key in both, whatever its id was in either.
"""

from __future__ import annotations

import pandas as pd

from saucegrid.grid.cells import cell_id
from saucegrid.grid.collate import dimension_columns as table_dims

KEY = "cell"  # the canonical key column


def config_dims(info: dict) -> dict[str, list[str]]:
    dims = ((info.get("config") or {}).get("grid") or {}).get("dimensions") or {}
    return {k: [str(v) for v in vals] for k, vals in dims.items() if vals}


def baselines(cells_a, cells_b, info_a: dict, info_b: dict) -> tuple[list[str], dict]:
    """The union of both runs' dimensions (A's order first) and each one's baseline level: A's
    first configured level where A has the dimension, else B's; a dimension a config does not
    list takes the first level its table shows."""
    da, db = table_dims(cells_a), table_dims(cells_b)
    order = da + [d for d in db if d not in da]
    ca, cb = config_dims(info_a), config_dims(info_b)
    base = {}
    for d in order:
        for cfg, table in ((ca, cells_a), (cb, cells_b)):
            if d in cfg:
                base[d] = cfg[d][0]
                break
            if d in table.columns and len(table):
                base[d] = str(table[d].iloc[0])
                break
    return order, base


def _levels(df: pd.DataFrame, order: list[str], base: dict) -> pd.DataFrame:
    return pd.DataFrame({d: (df[d].astype("string").fillna(base[d]) if d in df.columns
                             else pd.Series(base[d], index=df.index, dtype="string"))
                         for d in order}, index=df.index)


def canonical(cells: pd.DataFrame, order: list[str], base: dict) -> pd.DataFrame:
    """The cells table with its dimension columns completed (absent: the baseline level) and
    the canonical key in front; the run's own cell_id is dropped (the key replaces it)."""
    lv = _levels(cells, order, base)
    keys = [cell_id(r, base) for r in lv.to_dict("records")]
    rest = cells.drop(columns=[c for c in ["cell_id", *order] if c in cells.columns])
    return pd.concat([pd.DataFrame({KEY: keys}, index=cells.index), lv, rest], axis=1)


def canonical_terms(terms: pd.DataFrame, cells: pd.DataFrame, aligned: pd.DataFrame,
                    order: list[str]) -> pd.DataFrame:
    """The terms table keyed like its run's aligned cells (through the run's cell_id)."""
    ids = dict(zip(cells["cell_id"], aligned[KEY], strict=True))
    lv = aligned.set_index(KEY)[order]
    key = terms["cell_id"].map(ids)
    rest = terms.drop(columns=[c for c in ["cell_id", *order] if c in terms.columns])
    levels = lv.reindex(key.to_numpy()).set_axis(terms.index)
    return pd.concat([key.rename(KEY), levels, rest], axis=1)


def align(cells_a, cells_b, terms_a, terms_b, info_a: dict, info_b: dict):
    """(cells A, cells B, terms A, terms B, dimension order, baselines), all keyed by KEY."""
    order, base = baselines(cells_a, cells_b, info_a, info_b)
    ca, cb = canonical(cells_a, order, base), canonical(cells_b, order, base)
    ta = None if terms_a is None else canonical_terms(terms_a, cells_a, ca, order)
    tb = None if terms_b is None else canonical_terms(terms_b, cells_b, cb, order)
    return ca, cb, ta, tb, order, base


def baseline_keys(order: list[str], base: dict, benchmarks) -> dict[str, str]:
    """benchmark -> the canonical key of its baseline cell."""
    return {b: cell_id({d: (b if d == "benchmark" else base[d]) for d in order}, base)
            for b in benchmarks}
