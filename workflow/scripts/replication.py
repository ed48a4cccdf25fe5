"""results/replication.md: every published number we can compute, next to ours."""

import json

import pandas as pd

from saucegrid import fileio, runner
from saucegrid.report import paper, replication


def main(smk):
    cells = pd.read_parquet(smk.input.cells)
    terms = pd.read_parquet(smk.input.terms)
    samples = {b: pd.read_parquet(p) for b, p in zip(smk.params.benchmarks, smk.input.samples,
                                                      strict=True)}
    logistic = {b: json.loads(open(p).read()) for b, p in
                zip(smk.params.benchmarks, smk.input.logistic, strict=True)}
    extra = replication.extras(smk.params.paper, pd.read_csv(smk.input.b1), logistic,
                               json.loads(open(smk.input.stats).read()), samples["mmlu_pro"],
                               smk.params.majors)
    text = replication.report(cells, terms, smk.params.paper, samples,
                              paper.headline(cells, smk.params.majors), smk.params.sample,
                              extra)
    fileio.write_text(smk.output[0], text)


runner.run(snakemake, main)  # noqa: F821
