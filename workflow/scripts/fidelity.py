"""results/fidelity.md and its figure: the construction variants against the paper."""

import pandas as pd

from saucegrid import fileio, formatting, runner
from saucegrid.grid.view import GridView
from saucegrid.report import fidelity, fidelity_plot, fidelity_se


def main(smk):
    cal = pd.read_csv(smk.input.calibration)
    cells = pd.read_parquet(smk.input.cells)
    terms = pd.read_parquet(smk.input.terms)
    dims = {k: [str(v) for v in vals] for k, vals in smk.params.dims.items()}
    samples = {b: pd.read_parquet(p) for b, p in
               zip(smk.params.benchmarks, smk.input.samples, strict=True)}
    text = fidelity.report(cal, cells, terms, dims, smk.params.constructions,
                           smk.params.paper, samples)
    se = fidelity_se.se_table(samples["mmlu_pro"], smk.params.majors,
                              tuple(smk.params.sample["size_group_quantiles"]),
                              smk.params.paper["table_c1"])
    text += "\n" + "\n".join(fidelity_se.markdown(se) + fidelity_se.columns_markdown(
        fidelity_se.columns_table(pd.read_parquet(smk.input.paper_terms),
                                  smk.params.paper["table_c1"])))
    fileio.write_text(smk.output.md, text)
    fileio.write_text(smk.output.html, formatting.markdown_html(text, "Fidelity"))
    fidelity_plot.fidelity_figure(cal, GridView(cells, terms, dims), smk.params.paper,
                                  smk.output.png)


runner.run(snakemake, main)  # noqa: F821
