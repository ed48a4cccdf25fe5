"""Collate the grid slices into results/grid/{cells,terms}.{parquet,csv}."""

import pandas as pd

from saucegrid import fileio, runner
from saucegrid.grid import cleanup, collate


def main(smk):
    parts = [(pd.read_parquet(c), pd.read_parquet(t))
             for c, t in zip(smk.input.cells, smk.input.terms, strict=True)]
    cells, terms = collate.collate(parts, pd.DataFrame({"cell_id": smk.params.order}))
    fileio.write_parquet(cells, smk.output.cells)
    fileio.write_parquet(terms, smk.output.terms)
    fileio.write_csv(cells, smk.output.cells_csv)
    fileio.write_csv(terms, smk.output.terms_csv)
    keys = sorted({k for f in smk.input.cache_keys for k in open(f).read().split()})
    fileio.write_text(smk.output.cache_keys, "".join(f"{k}\n" for k in keys))
    for root in smk.params.cell_folders:
        gone = cleanup.remove_stale_cells(root, set(smk.params.order))
        if gone:
            runner.log.info("removed %d file(s) of cells no longer in the grid under %s",
                            gone, root)
    runner.log.info("%d cells (%s), %d terms", len(cells),
                    ", ".join(f"{k} {v}" for k, v in cells["status"].value_counts().items()),
                    len(terms))


runner.run(snakemake, main)  # noqa: F821
