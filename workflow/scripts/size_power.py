"""results/inference/size_power.md: size and power of CR1, WCR and RI for developer effects."""

import saucegrid.one_thread  # noqa: F401  (before numpy)

# isort: split
import pandas as pd

from saucegrid import fileio, runner
from saucegrid.estimation import specs
from saucegrid.report import simulate_report


def main(smk):
    s = pd.read_parquet(smk.input.sample)
    majors = smk.params.majors
    d = specs.design(specs.PreparedSample(s, majors), specs.Spec(), majors)
    paper_effects = {t: v[0][0] for t, v in smk.params.paper["table_c1"]["terms"].items()
                     if t.startswith("dev:") and v[0] is not None}
    tab = simulate_report.table(d, paper_effects, reps=smk.params.reps)
    power = simulate_report.mde(d, reps=smk.params.mde_reps)
    fileio.write_text(smk.output[0], simulate_report.markdown(tab, power, d, smk.params.reps,
                                                          smk.params.mde_reps))


runner.run(snakemake, main)  # noqa: F821
