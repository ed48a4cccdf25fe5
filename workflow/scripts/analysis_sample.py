"""Cut the analysis sample of one benchmark from models.parquet."""

import pandas as pd

from saucegrid import fileio, runner
from saucegrid.data import sample


def main(smk):
    models = pd.read_parquet(smk.input.models)
    opts = sample.SampleOptions.from_config(smk.params.sample)
    s = sample.analysis_sample(models, smk.wildcards.benchmark, smk.params.majors, opts)
    fileio.write_parquet(s, smk.output[0])
    runner.log.info("%s: N=%d models, G=%d developers", smk.wildcards.benchmark, len(s),
                    s["cluster"].nunique())


runner.run(snakemake, main)  # noqa: F821
