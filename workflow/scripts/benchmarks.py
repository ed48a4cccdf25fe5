"""Across benchmarks (named target): the six leaderboard benchmarks read off the grid (the
named sub-grid `leaderboard` beside MMLU-Pro and MATH L5), Table C.1 column (1) side by side,
the claims and intervals on each, the majors' effects and Shapley shares as figures, the rank
correlations of the majors, and the findings page's section "Across benchmarks"."""

import saucegrid.one_thread  # noqa: F401  (before numpy)

# isort: split
import pandas as pd

from saucegrid import fileio, runner
from saucegrid.data.constructions import construction_sample
from saucegrid.data.sample import ALL_BENCHMARKS
from saucegrid.findings import across
from saucegrid.grid.view import GridView
from saucegrid.report import benchmarks, benchmarks_page, figures, forest, tables

SOURCE = "saucegrid: results/benchmarks/{cells,terms}.csv; module saucegrid.report.benchmarks"


def _grid(smk):
    """The grid's slices (the main grid's and the sub-grid's), concatenated."""
    return (pd.concat([pd.read_parquet(f) for f in smk.input.cells], ignore_index=True),
            pd.concat([pd.read_parquet(f) for f in smk.input.terms], ignore_index=True))


def main(smk):
    p = smk.params
    out = smk.output
    majors = p.developer_sets[p.sample["devset"]]
    cells, terms = _grid(smk)
    view = GridView(cells, terms, p.dims)
    base = benchmarks.baseline_cells(view, ALL_BENCHMARKS)
    bterms = terms[terms["cell_id"].isin(base["cell_id"])].reset_index(drop=True)
    models = pd.read_parquet(smk.input.models)
    samples = {b: construction_sample(models, b, p.sample, {}, majors) for b in ALL_BENCHMARKS}
    ints = across.intervals(samples, base, majors, tuple(p.sample["size_group_quantiles"]),
                            p.findings["bootstrap_draws"], p.wcr["draws"], p.findings["seed"])
    robust = benchmarks.robustness(
        benchmarks.cross_cells(cells, p.dims, ALL_BENCHMARKS, p.cross), ALL_BENCHMARKS)
    corr = benchmarks.correlations(benchmarks.developer_effects(base, bterms, majors))
    long = benchmarks.six_table(base, bterms, majors)
    heads = list(dict.fromkeys(long["column"]))
    note = "Table C.1 column (1) on each benchmark. " + tables.wcr_note(p.wcr)
    for f, df in ((out.cells, base), (out.terms, bterms), (out.table_csv, long),
                  (out.correlations, corr), (out.robustness, robust), (out.intervals, ints)):
        fileio.write_csv(df, f)
    table_md = tables.to_markdown(long, heads, "", note, p.wcr["table_line"])
    fileio.write_text(out.table_md, table_md)
    fileio.write_text(out.table_tex, tables.to_latex(long, heads, "Table C.1 (1), six benchmarks",
                                                     "tab:c1_six", note, p.wcr["table_line"]))
    forest.forest(base, bterms, dict(zip(base["benchmark"], base["cell_id"], strict=True)),
                  out.forest, (p.paper.get("table_c1") or {}).get("terms"), SOURCE)
    figures.shapley_panels([(benchmarks.LABELS[r["benchmark"]], r.to_dict())
                            for _, r in base.iterrows()], out.shapley,
                           "Shapley R² decomposition of the baseline specification, by "
                           "benchmark", SOURCE)
    fileio.write_text(out.across, across.section(base, robust, ints, corr, p.cross))
    fileio.write_text(out.md, benchmarks_page.markdown(
        base, benchmarks.samples_table(samples, models), ints, robust, table_md, corr, p.cross))
    runner.log.info("six benchmarks: N %s", dict(zip(base["benchmark"], base["n_obs"],
                                                     strict=True)))


runner.run(snakemake, main)  # noqa: F821
