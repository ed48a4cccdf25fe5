"""results/out_of_sample.md and its figures: the out-of-sample panels after March 2025."""

import os

import pandas as pd

from saucegrid import io, runner
from saucegrid.panel import figures, report


def main(smk):
    models = pd.read_parquet(smk.input.models)
    cells = pd.read_parquet(smk.input.cells)
    terms = pd.read_parquet(smk.input.terms)
    majors = smk.params.developer_sets[smk.params.sample["devset"]]
    o = report.collect(models, cells, terms, smk.params.dims, smk.params.panels,
                       smk.params.sample, majors, smk.params.constructions)
    q = tuple(smk.params.sample["size_group_quantiles"])
    figures.shapley(o, smk.output.shapley)
    figures.curves(o, majors, q, smk.output.curves)
    figures.frontier(o, smk.params.paper["table_b1"]["frontier"]["delta"], smk.output.frontier)
    here = os.path.dirname(smk.output.md)
    rel = {k: os.path.relpath(smk.output[k], here) for k in ("shapley", "curves", "frontier")}
    io.write_text(smk.output.md, report.markdown(o, rel))


runner.run(snakemake, main)  # noqa: F821
