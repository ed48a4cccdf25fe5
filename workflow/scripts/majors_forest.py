"""results/figures/majors_forest.png: the majors' effects against their size peers, with their
inverted randomization-inference sets, per benchmark (baseline levels)."""

import pandas as pd

from saucegrid import runner
from saucegrid.report import forest


def main(smk):
    forest.forest(pd.read_parquet(smk.input.cells), pd.read_parquet(smk.input.terms),
                  dict(smk.params.baseline), smk.output[0],
                  (smk.params.paper.get("table_c1") or {}).get("terms"),
                  "saucegrid: results/grid/{cells,terms}.parquet; module saucegrid.report.forest")


runner.run(snakemake, main)  # noqa: F821
