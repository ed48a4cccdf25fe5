"""Compare two runs: ``saucegrid diff RUN_A RUN_B``.

A run is a results directory (or the working directory holding ``results/``), or a ``.tar.gz``,
``.tgz``, ``.tar`` or ``.zip`` archive of one. It must hold ``grid/cells.parquet`` and
``run.json``.

What is compared, each table keyed by its natural key:

- ``grid/cells.parquet`` by the cell's levels (:mod:`.align`: a dimension one run lacks counts
  as its baseline level there);
- ``grid/terms.parquet`` by (cell, ``term``);
- every analysis sample ``data/sample_<benchmark>.parquet`` by ``model_id``;
- the paper tables ``tables/table_<name>.csv``: C.1/E.1 by (``column``, ``term``), B.1 by
  ``comparison``;
- ``run.json``: the config (key by key), the raw input and curated table hashes, and, as context
  only, the code commit and package versions.

Numbers are equal when ``|b - a| <= atol + rtol * max(|a|, |b|)``; NaN equals NaN and an
infinity equals the same infinity. Every computation in the workflow is deterministic, so the
default is rtol 1e-9, atol 1e-12; :data:`COLUMN_TOLERANCES` gives looser defaults to columns that
come from simulation (a wild-cluster bootstrap's p values and intervals).

:func:`compare` returns a plain dict (the ``--json`` output); :func:`render` turns it into the
markdown (or HTML) report. Bad input raises :class:`saucegrid.fileio.InputError`.
"""

from saucegrid.diff.compare import (
           COLUMN_TOLERANCES,
           DEFAULT_ATOL,
           DEFAULT_RTOL,
           JSON_LIMIT,
           Tolerances,
           compare,
           compare_runs,
           compare_table,
           numeric_changes,
           parse_tol,
           to_json,
)
from saucegrid.diff.render import render
from saucegrid.diff.runs import Run, TableSpec, load_run, read_table, table_specs

__all__ = ["COLUMN_TOLERANCES", "DEFAULT_ATOL", "DEFAULT_RTOL", "JSON_LIMIT", "Run",
           "TableSpec", "Tolerances", "compare", "compare_runs", "compare_table", "load_run",
           "numeric_changes", "parse_tol", "read_table", "render", "table_specs", "to_json"]
