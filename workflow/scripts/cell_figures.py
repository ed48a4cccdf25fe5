"""Figure 2 (main results) and Figure 4 / Table B.1 (decompositions) for one fitted grid cell,
from its stored coefficients (no refit)."""

import json

import pandas as pd

from saucegrid import decompose as D
from saucegrid import figures, grid, io, paper, robustness, runner, specs


def main(smk):
    cid = smk.wildcards.cell
    robustness.load_plugins(list(smk.params.plugins))
    dims = smk.params.dims
    levels = {**{k: str(v[0]) for k, v in dims.items()}, **paper.parse_cell_id(cid)}
    spec = specs.Spec(**{k: levels[k] for k in specs.DIMENSIONS})
    majors = smk.params.developer_sets[spec.devset]
    models = pd.read_parquet(smk.input.models)
    s = robustness.cell_sample(models, levels, dims, smk.params.sample,
                               smk.params.developer_sets, smk.params.constructions,
                               smk.params.panels)
    terms = pd.read_parquet(smk.input.terms)
    tc = terms[terms["cell_id"] == cid]
    if tc.empty:
        raise ValueError(f"no fitted cell {cid!r} in the grid; check the id against "
                         "results/grid/cells.csv")
    d, coef, _, resid = grid.evaluate_cell(s, spec, majors, tc,
                                           tuple(smk.params.sample["size_group_quantiles"]))
    p = tc.set_index("term")["p_value"]
    coef["_p_log_flops"] = float(p.get("log_flops", float("nan")))
    label = {"mmlu_pro": "MMLU-Pro (guess-corrected)", "math_l5": "MATH Level 5"}[spec.benchmark]
    src = f"Source: saucegrid grid cell {cid}"
    figures.main_results(d, coef, resid, majors, smk.output.main,
                         f"Main results, {label}, link {spec.link}", src,
                         link_v={"v1.0": 1.0, "v0.7": 0.7, "v1.2": 1.2}[spec.link])
    reg_df, reg = figures.developer_size_regression(d, coef, majors)
    within = {m: D.gap_factor(resid[(d.data["developer_group"] == m).to_numpy()],
                              coef["log_flops"])
              for m in majors if (d.data["developer_group"] == m).sum() >= 2}
    io.write_text(smk.output.stats, json.dumps({
        "fig2d_slope": float(reg.params.iloc[1]) if reg is not None else None,
        "fig2d_p": float(reg.pvalues.iloc[1]) if reg is not None else None,
        "within_developer_gap_90_10": within,
        "compute_spread_95_5": D.compute_spread(d.log10_flops),
    }, indent=2))
    th = 0.15 if spec.link == "v1.0" else 0.20
    tab = paper.decomposition_table(d, {k: v for k, v in coef.items() if k[0] != "_"}, resid,
                                    th)
    io.write_csv(tab, smk.output.table)
    cols = {f"{r.comparison}: {r.from_model.split('/')[-1]} ({r.from_score:.1%}) → "
            f"{r.to_model.split('/')[-1]} ({r.to_score:.1%})":
            {k[6:]: getattr(r, k) for k in tab.columns if k.startswith("delta_")}
            for r in tab.itertuples()}
    figures.decomposition_bars(cols, smk.output.decomposition,
                               f"Sources of performance change, {label}", src)


runner.run(snakemake, main)  # noqa: F821
