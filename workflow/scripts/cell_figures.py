"""Figure 2 (main results) and Figure 4 / Table B.1 (decompositions) for one fitted grid cell,
from its stored coefficients (no refit)."""

import json

import pandas as pd

from saucegrid import fileio, runner
from saucegrid.estimation import links, specs
from saucegrid.grid import fit, run
from saucegrid.grid.cells import load_plugins
from saucegrid.report import figures, paper


def main(smk):
    cid = smk.wildcards.cell
    load_plugins(list(smk.params.plugins))
    dims = smk.params.dims
    levels = {**{k: str(v[0]) for k, v in dims.items()}, **paper.parse_cell_id(cid)}
    spec = specs.Spec(**{k: levels[k] for k in specs.DIMENSIONS})
    majors = smk.params.developer_sets[spec.devset]
    models = pd.read_parquet(smk.input.models)
    s = run.cell_sample(models, levels, dims, smk.params.sample, smk.params.developer_sets,
                        smk.params.constructions, smk.params.panels)
    terms = pd.read_parquet(smk.input.terms)
    tc = terms[terms["cell_id"] == cid]
    if tc.empty:
        raise ValueError(f"no fitted cell {cid!r} in the grid; check the id against "
                         "results/grid/cells.csv")
    d, coef, _, resid = fit.evaluate_cell(s, spec, majors, tc,
                                          tuple(smk.params.sample["size_group_quantiles"]))
    coef["_p_log_flops"] = float(tc.set_index("term")["p_value"].get("log_flops", float("nan")))
    label = {"mmlu_pro": "MMLU-Pro (guess-corrected)", "math_l5": "MATH Level 5"}[spec.benchmark]
    src = f"Source: saucegrid grid cell {cid}"
    figures.main_results(d, coef, resid, majors, smk.output.main,
                         f"Main results, {label}, link {spec.link}", src,
                         link_v=links.exponent(spec.link))
    _, reg = figures.developer_size_regression(d, coef, majors)
    fileio.write_text(smk.output.stats,
                      json.dumps(paper.cell_stats(d, coef, resid, majors, reg), indent=2))
    tab = paper.decomposition_table(d, {k: v for k, v in coef.items() if k[0] != "_"}, resid,
                                    paper.threshold_score(spec.link))
    fileio.write_csv(tab, smk.output.table)
    figures.decomposition_bars(paper.decomposition_columns(tab), smk.output.decomposition,
                               f"Sources of performance change, {label}", src)


runner.run(snakemake, main)  # noqa: F821
