"""Fit every cell of one grid slice in this process (with the per-cell cache)."""

import saucegrid.one_thread  # noqa: F401  (before numpy)

# isort: split
import pandas as pd

from saucegrid import io, robustness, runner


def main(smk):
    robustness.load_plugins(list(smk.params.plugins))
    models = pd.read_parquet(smk.input.models)
    cells = pd.DataFrame(list(smk.params.cells))
    runner.log.info("slice %s: %d cells", dict(smk.wildcards), len(cells))
    out, terms = robustness.run_slice(models, cells, smk.params.sample,
                                      smk.params.developer_sets, smk.params.cache,
                                      list(smk.params.plugins), log=runner.log,
                                      wcr=smk.params.wcr,
                                      constructions=smk.params.constructions,
                                      panels=smk.params.panels,
                                      ri=smk.params.ri)
    io.write_parquet(out, smk.output.cells)
    io.write_parquet(terms, smk.output.terms)


runner.run(snakemake, main)  # noqa: F821
