"""Fit the specifications the paper reports; write their cell summaries and terms."""

import pandas as pd
from saucegrid import grid, io, runner, specs


def main(smk):
    samples = {b: pd.read_parquet(p) for b, p in zip(smk.params.benchmarks, smk.input.samples,
                                                      strict=True)}
    cells, terms = grid.fit_cells(samples, specs.paper_specs(), smk.params.developer_sets,
                                  tuple(smk.params.quantiles))
    io.write_parquet(cells, smk.output.cells)
    io.write_parquet(terms, smk.output.terms)
    runner.log.info("%d paper cells fitted", len(cells))


runner.run(snakemake, main)  # noqa: F821
