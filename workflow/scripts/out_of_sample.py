"""results/out_of_sample.md, its JSON verdict and its figures: the panels after March 2025."""

import saucegrid.one_thread  # noqa: F401  (before numpy)

# isort: split
import json
import os

import pandas as pd

from saucegrid import fileio, runner
from saucegrid.data import raw
from saucegrid.estimation import bootstrap
from saucegrid.out_of_sample import evidence, figures, report


def main(smk):
    models = pd.read_parquet(smk.input.models)
    cells = pd.read_parquet(smk.input.cells)
    terms = pd.read_parquet(smk.input.terms)
    majors = smk.params.developer_sets[smk.params.sample["devset"]]
    o = report.collect(models, cells, terms, smk.params.dims, smk.params.panels,
                       smk.params.sample, majors, smk.params.constructions)
    q = tuple(smk.params.sample["size_group_quantiles"])
    fc = smk.params.findings
    la = raw.read_raw({"lifearchitect_2025_02": smk.input.la_2025_02,
                       "lifearchitect_2026_03": smk.input.la_2026_03})
    ev = evidence.compute(o.samples[evidence.PANEL], la["lifearchitect_2025_02"],
                          la["lifearchitect_2026_03"], majors, q,
                          bootstrap.WCR.from_config(smk.params.wcr), fc["compute_draws"],
                          fc["seed"])
    ev["single_pair_share"] = report.frontier_share(o, evidence.PANEL)
    ev["cells"] = {lv: o.cells.loc[lv, ["status", "shapley_company", "company_t2_ri_p",
                                        "shared_progress_factor", "shared_progress_factor_low",
                                        "shared_progress_factor_high", "gap_90_10_factor",
                                        "beta_c", "ri_note"]].to_dict() for lv in o.levels}
    figures.shapley(o, smk.output.shapley)
    figures.curves(o, majors, q, smk.output.curves)
    figures.frontier(o, smk.params.paper["table_b1"]["frontier"]["delta"], smk.output.frontier)
    here = os.path.dirname(smk.output.md)
    rel = {k: os.path.relpath(smk.output[k], here) for k in ("shapley", "curves", "frontier")}
    fileio.write_text(smk.output.md, report.markdown(o, rel, evidence.section(
        ev, ev["single_pair_share"])))
    fileio.write_text(smk.output.json, json.dumps(ev, indent=1, default=fileio.json_default,
                                              sort_keys=True) + "\n")


runner.run(snakemake, main)  # noqa: F821
