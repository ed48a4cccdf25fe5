"""Fit every cell of one grid slice in this process (with the per-cell cache)."""

import saucegrid.one_thread  # noqa: F401  (before numpy)

# isort: split
import pandas as pd

from saucegrid import fileio, runner
from saucegrid.grid import cache, run
from saucegrid.grid.cells import load_plugins


def main(smk):
    load_plugins(list(smk.params.plugins))
    models = pd.read_parquet(smk.input.models)
    cells = pd.DataFrame(list(smk.params.cells))
    runner.log.info("slice %s: %d cells", dict(smk.wildcards), len(cells))
    store = cache.CellCache(smk.params.cache)
    out, terms = run.run_slice(models, cells, smk.params.sample,
                                      smk.params.developer_sets, store, log=runner.log,
                                      wcr=smk.params.wcr,
                                      constructions=smk.params.constructions,
                                      panels=smk.params.panels,
                                      ri=smk.params.ri, baseline=smk.params.baseline)
    fileio.write_parquet(out, smk.output.cells)
    fileio.write_parquet(terms, smk.output.terms)
    fileio.write_text(smk.output.cache_keys, "".join(f"{k}\n" for k in sorted(set(store.used))))


runner.run(snakemake, main)  # noqa: F821
