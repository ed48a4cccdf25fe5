"""results/data/calibration.csv: every construction variant's counts against the paper's."""

import pandas as pd

from saucegrid import fileio, runner
from saucegrid.data import calibration


def main(smk):
    models = pd.read_parquet(smk.input.models)
    t = calibration.calibration_table(models, smk.params.sample, smk.params.constructions,
                                      smk.params.majors, smk.params.paper["sample"])
    fileio.write_csv(t, smk.output[0])
    runner.log.info("closest reading of the paper's text: %s", calibration.closest_reading(t))


runner.run(snakemake, main)  # noqa: F821
