"""Across benchmarks (named target): the baseline specification on the six leaderboard
benchmarks, Table C.1 column (1) side by side, the claims on each, the majors' effects and
Shapley shares as figures, and the rank correlations of the majors."""

import pandas as pd

import saucegrid.one_thread  # noqa: F401  (before numpy)
from saucegrid import fileio, runner
from saucegrid.report import benchmarks, figures, forest

SOURCE = "saucegrid: results/benchmarks/{cells,terms}.csv; module saucegrid.report.benchmarks"


def main(smk):
    p = smk.params
    models = pd.read_parquet(smk.input.models)
    majors = p.developer_sets[p.sample["devset"]]
    cells, terms, samples = benchmarks.fit_baselines(models, p.sample, majors, p.wcr, p.ri)
    table = benchmarks.side_by_side(cells, terms)
    corr = benchmarks.correlations(benchmarks.developer_effects(cells, terms, majors))
    fileio.write_csv(cells, smk.output.cells)
    fileio.write_csv(terms, smk.output.terms)
    fileio.write_csv(table, smk.output.table)
    fileio.write_csv(corr, smk.output.correlations)
    forest.forest(cells, terms, dict(zip(cells["benchmark"], cells["cell_id"], strict=True)),
                  smk.output.forest, (p.paper.get("table_c1") or {}).get("terms"), SOURCE)
    figures.shapley_panels([(benchmarks.LABELS[r["benchmark"]], r.to_dict())
                            for _, r in cells.iterrows()], smk.output.shapley,
                           "Shapley R² decomposition of the baseline specification, by "
                           "benchmark", SOURCE)
    fileio.write_text(smk.output.md,
                      benchmarks.summary_markdown(cells, samples, models, table, corr))


runner.run(snakemake, main)  # noqa: F821
