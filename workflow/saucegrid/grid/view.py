"""Looking up fitted cells by their levels: the one way every report finds "the cell at these
levels, every other dimension at its baseline (first) level"."""

from __future__ import annotations

import numpy as np
import pandas as pd

from saucegrid.grid.cells import id_at


class GridView:
    """The fitted grid (`cells`, `terms`) over the dimensions `dims` (name -> levels, the first
    the baseline)."""

    def __init__(self, cells: pd.DataFrame, terms: pd.DataFrame | None,
                 dims: dict[str, list[str]]):
        self.cells, self.terms, self.dims = cells, terms, dims
        self.base = {k: str(v[0]) for k, v in dims.items()}
        self.by_id = cells.set_index("cell_id")
        self._by_term = None

    def cid(self, **levels) -> str:
        """The id of the cell at `levels`, every other dimension at its baseline."""
        return id_at(self.dims, **levels)

    def cell(self, **levels) -> pd.Series | None:
        """The cell at `levels` if it was fitted ('ok'), else None."""
        cid = self.cid(**levels)
        if cid not in self.by_id.index:
            return None
        c = self.by_id.loc[cid]
        return c if c["status"] == "ok" else None

    def term(self, term: str, **levels) -> pd.Series | None:
        """One coefficient of the cell at `levels`; None when the cell has no such term, or it
        was omitted or not estimated."""
        if self._by_term is None:
            self._by_term = self.terms.set_index(["cell_id", "term"])
        key = (self.cid(**levels), term)
        if key not in self._by_term.index:
            return None
        t = self._by_term.loc[key]
        return None if t["omitted"] or not np.isfinite(t["estimate"]) else t
