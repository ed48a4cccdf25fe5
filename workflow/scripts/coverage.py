"""Write results/data/coverage.md: the funnel from raw sources to the analysis samples."""

import pandas as pd

from saucegrid import fileio, runner
from saucegrid.report import coverage


def main(smk):
    models = pd.read_parquet(smk.input.models)
    text = coverage.report(models, {b: pd.read_parquet(p) for b, p in
                                    zip(smk.params.benchmarks, smk.input.samples, strict=True)},
                           smk.params.paper, pd.read_csv(smk.input.calibration),
                           smk.params.sample)
    fileio.write_text(smk.output[0], text)


runner.run(snakemake, main)  # noqa: F821
