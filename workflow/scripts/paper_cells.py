"""Select the specifications the paper reports from the fitted grid (no refit)."""

import pandas as pd

from saucegrid import fileio, runner
from saucegrid.grid import run


def main(smk):
    cells, terms = run.paper_cells(pd.read_parquet(smk.input.cells),
                                          pd.read_parquet(smk.input.terms), smk.params.levels)
    fileio.write_parquet(cells, smk.output.cells)
    fileio.write_parquet(terms, smk.output.terms)
    runner.log.info("%d paper cells selected from the grid", len(cells))


runner.run(snakemake, main)  # noqa: F821
