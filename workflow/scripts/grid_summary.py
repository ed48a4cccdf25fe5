"""results/grid/summary.md: the robustness summary, in the appendix's terms."""

import pandas as pd

from saucegrid import fileio, runner
from saucegrid.report import summary


def main(smk):
    cells = pd.read_parquet(smk.input.cells)
    terms = pd.read_parquet(smk.input.terms)
    dims = {k: [str(v) for v in vals] for k, vals in smk.params.dims.items()}
    fileio.write_text(smk.output[0], summary.summary_markdown(
        cells, terms, dims, smk.params.developer_sets, smk.params.paper,
        smk.params.alpha))


runner.run(snakemake, main)  # noqa: F821
