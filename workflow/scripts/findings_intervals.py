"""results/findings/intervals.csv: each claim's number on the default sample and its interval."""

import saucegrid.one_thread  # noqa: F401  (before numpy)

# isort: split
import pandas as pd

from saucegrid import fileio, runner
from saucegrid.data import raw
from saucegrid.estimation import randomization, specs
from saucegrid.findings import numbers
from saucegrid.out_of_sample import uncertainty


def main(smk):
    fc = smk.params.findings
    settings = numbers.Settings(draws=fc["bootstrap_draws"], threshold_draws=fc["threshold_draws"],
                                seed=fc["seed"], threshold=fc["threshold"],
                                questions=fc["questions"], named_major=fc["named_major"],
                                wcr_draws=smk.params.wcr["draws"])
    cells = pd.read_parquet(smk.input.cells).set_index("cell_id", drop=False)
    terms = pd.read_parquet(smk.input.terms)
    e1 = terms[terms["cell_id"] == specs.Spec(interaction="period_x_compute").cell_id]
    la = raw.read_raw({"lifearchitect_2025_02": smk.input.la_2025_02,
                       "lifearchitect_2026_03": smk.input.la_2026_03})
    sd, _ = uncertainty.snapshot_spread(la["lifearchitect_2025_02"], la["lifearchitect_2026_03"])
    ri = randomization.RI.from_config(smk.params.ri)
    q = tuple(smk.params.sample["size_group_quantiles"])
    rows = []
    for bench, path in zip(smk.params.benchmarks, smk.input.samples, strict=True):
        mm = bench == "mmlu_pro"
        guess = smk.params.sample["mmlu_pro_guess_rate"] if mm else 0.0
        rows += numbers.benchmark_rows(
            pd.read_parquet(path), cells.loc[specs.Spec(benchmark=bench).cell_id],
            e1 if mm else None, pd.read_csv(smk.input.b1) if mm else None, smk.params.majors,
            q, ri, sd, guess, settings)
    fileio.write_csv(pd.DataFrame(rows, columns=numbers.COLUMNS), smk.output[0])


runner.run(snakemake, main)  # noqa: F821
