"""Figure 1: Shapley decomposition of R² for the four Table C.1 samples."""

import pandas as pd

from saucegrid import figures, paper, replication, runner, specs


def main(smk):
    cells = pd.read_parquet(smk.input.cells).set_index("cell_id")
    panels = [(replication.PANELS[s], cells.loc[specs.Spec(sample=s).cell_id])
              for s in paper.C1_SAMPLES]
    figures.shapley_panels(panels, smk.output[0],
                           "Shapley R² decomposition of logit(MMLU-Pro), Eq. (1)",
                           "Source: saucegrid, Open LLM Leaderboard v2 + LifeArchitect; "
                           "exact group Shapley (shapley2 semantics).")


runner.run(snakemake, main)  # noqa: F821
