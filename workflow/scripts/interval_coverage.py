"""results/inference/interval_coverage.md: the coverage of the findings ledger's intervals."""

import saucegrid.one_thread  # noqa: F401  (before numpy)

# isort: split
import pandas as pd

from saucegrid import fileio, runner
from saucegrid.estimation import randomization, specs
from saucegrid.findings import coverage


def main(smk):
    s = pd.read_parquet(smk.input.sample)
    d = specs.design(s, specs.Spec(), smk.params.majors, tuple(smk.params.quantiles))
    fc = smk.params.findings
    draws = 199
    tab = coverage.coverage(d, fc["coverage_reps"], draws, fc["seed"],
                            randomization.RI.from_config(smk.params.ri), fc["named_major"])
    fileio.write_text(smk.output[0], coverage.markdown(tab, fc["coverage_reps"], draws))


runner.run(snakemake, main)  # noqa: F821
