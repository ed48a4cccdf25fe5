"""Per-benchmark figures read off the grid: Shapley bars over samples (Fig. 1 / D.2), links
(E.2 / E.6) and time structures (E.10); top models (Fig. 3 / D.4); the logistic fit
(Fig. C.1 / D.1 / E.1 / E.5); developer factors by time structure (Fig. E.9)."""

import json

import pandas as pd

from saucegrid import fileio, runner
from saucegrid.grid.view import GridView
from saucegrid.report import figures, paper, replication


def main(smk):
    b = smk.wildcards.benchmark
    label = {"mmlu_pro": "MMLU-Pro", "math_l5": "MATH Level 5"}[b]
    levels = dict(smk.params.levels, benchmark=b)
    cell = GridView(pd.read_parquet(smk.input.cells), None,
                    {k: [v] for k, v in levels.items()}).cell

    src = f"Source: saucegrid robustness grid, {label}"
    figures.shapley_panels([(replication.PANELS[s], cell(sample=s))
                            for s in paper.C1_SAMPLES], smk.output.shapley_samples,
                           f"Shapley R² decomposition, {label}, by sample", src)
    figures.shapley_panels([(f"link {v}", cell(link=v)) for v in ("v1.0", "v0.7", "v1.2")],
                           smk.output.shapley_links,
                           f"Shapley R² decomposition, {label}, by link shape", src)
    figures.shapley_panels([(f"time: {t}", cell(time=t)) for t in
                            ("tri", "quarterly", "quadratic")], smk.output.shapley_time,
                           f"Shapley R² decomposition, {label}, by time structure", src)
    majors = smk.params.developer_sets[levels["devset"]]
    figures.factors_by_time({t: {m: (float("nan") if cell(time=t) is None else
                                     cell(time=t).get(f"factor_dev:{m}", float("nan")))
                                 for m in majors} for t in ("tri", "quarterly", "quadratic")},
                            smk.output.factors_by_time, src)
    sample = pd.read_parquet(smk.input.sample)
    _, top, _ = figures.top_and_smallest(sample, smk.output.top_models, label,
                                         f"Source: saucegrid analysis sample, {label}")
    fileio.write_csv(top, smk.output.top_table)
    params = figures.logistic_fit(sample, vs=(1.0, 0.7, 1.2))
    figures.logistic_figure(sample, params, smk.output.logistic, label,
                            f"Source: saucegrid analysis sample, {label}")
    fileio.write_text(smk.output.logistic_params, json.dumps(
        {str(v): {"a_per_ln_flop": a, "b": bb} for v, (a, bb) in params.items()}, indent=2))


runner.run(snakemake, main)  # noqa: F821
