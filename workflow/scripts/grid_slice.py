"""Fit every cell of one grid slice in this process (with the per-cell cache)."""

import os

# one BLAS thread per job: Snakemake already runs one slice per core, and the matrices are small
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import pandas as pd  # noqa: E402

from saucegrid import io, robustness, runner  # noqa: E402


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
