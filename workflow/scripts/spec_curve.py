"""results/figures/spec_curve.png: β_c and the company share across every grid cell."""

import pandas as pd

from saucegrid import runner
from saucegrid.grid import collate
from saucegrid.report import spec_curve


def main(smk):
    cells = collate.collate_cells([pd.read_parquet(p) for p in smk.input.cells],
                                  pd.DataFrame({"cell_id": smk.params.order}))
    dims = {k: [str(v) for v in vals] for k, vals in smk.params.dims.items()}
    spec_curve.spec_curve(cells, dims, smk.output[0], alpha=smk.params.alpha)


runner.run(snakemake, main)  # noqa: F821
