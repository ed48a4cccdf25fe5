"""results/findings.md (+ .csv, .html) and the forest figure: the ledger of the paper's claims."""

import functools
import json
import os

import pandas as pd

from saucegrid import fileio, formatting, runner
from saucegrid.estimation import specs
from saucegrid.findings import caveats, figure, grid_shares, ledger, render
from saucegrid.grid.cells import load_plugins
from saucegrid.grid.run import cell_sample
from saucegrid.report.summary import in_window


def main(smk):
    p = smk.params
    fc = p.findings
    paper_cells = pd.read_parquet(smk.input.paper_cells).set_index("cell_id", drop=False)
    paper_terms = pd.read_parquet(smk.input.paper_terms)
    samples = {b: pd.read_parquet(x) for b, x in zip(p.benchmarks, smk.input.samples,
                                                      strict=True)}
    base = {b: specs.Spec(benchmark=b).cell_id for b in p.benchmarks}
    cells = {b: paper_cells.loc[cid] for b, cid in base.items()}
    terms = {b: paper_terms[paper_terms["cell_id"] == cid] for b, cid in base.items()}
    e1 = paper_terms[paper_terms["cell_id"] == specs.Spec(interaction="period_x_compute").cell_id]
    models = pd.read_parquet(smk.input.models)

    load_plugins(list(p.plugins))

    @functools.cache
    def sample_at(levels):
        return cell_sample(models, dict(levels), p.dims, p.sample, p.developer_sets,
                           p.constructions, p.panels)

    def sampler(levels):
        return sample_at(tuple(sorted(levels.items())))

    grid_cells = in_window(pd.read_parquet(smk.input.grid_cells), p.dims)
    grid_terms = pd.read_parquet(smk.input.grid_terms)
    grid_terms = grid_terms[grid_terms["cell_id"].isin(grid_cells["cell_id"])]
    q = tuple(p.sample["size_group_quantiles"])
    grid = {b: grid_shares.shares(grid_cells, grid_terms, b, sampler, p.developer_sets,
                                  list(p.dims.get("construction", ["default"])), q, p.majors)
            for b in p.benchmarks}
    ev = json.loads(open(smk.input.oos).read())
    b1 = pd.read_csv(smk.input.b1)
    led = ledger.build(pd.read_csv(smk.input.intervals), p.paper, cells, terms, e1, grid,
                       ledger.oos_texts(ev),
                       caveats.caveats(p.paper, samples, cells, terms, b1, fc["named_major"]),
                       fc["named_major"])
    figure.forest(led, smk.output.png, "Source: saucegrid; intervals by the method named in "
                  "results/findings.md.")
    rel = os.path.relpath(smk.output.png, os.path.dirname(smk.output.md))
    oos = f"**{ev['verdict']}**: {ev['why']}; {ev['stability_note']}."
    across = open(smk.input.across[0]).read() if smk.input.across else render.NO_ACROSS
    text = render.markdown(led, rel, oos, across)
    fileio.write_text(smk.output.md, text)
    fileio.write_csv(led, smk.output.csv)
    html = render.markdown(led, os.path.relpath(smk.output.png, os.path.dirname(
        smk.output.html)), oos, across)
    fileio.write_text(smk.output.html, formatting.markdown_html(html, "Findings"))


runner.run(snakemake, main)  # noqa: F821
