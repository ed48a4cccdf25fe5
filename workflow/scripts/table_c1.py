"""Table C.1 (or E.1) in csv, markdown and LaTeX, from the fitted paper cells."""

import pandas as pd

from saucegrid import fileio, runner
from saucegrid.estimation import specs
from saucegrid.grid import fit
from saucegrid.report import paper, tables


def main(smk):
    cells = pd.read_parquet(smk.input.cells)
    terms = pd.read_parquet(smk.input.terms)
    which = smk.params.table
    if which == "c1":
        cols = {i + 1: specs.Spec(sample=s) for i, s in enumerate(paper.C1_SAMPLES)}
        headers, notes, title = paper.C1_HEADERS, paper.C1_NOTES, "Table C.1"
    else:
        cols = {1: specs.Spec(interaction="period_x_compute")}
        headers, notes, title = ["Logit(MMLU-Pro)"], paper.E1_NOTES, "Table E.1"
    fits = {c: fit.fit_from_terms(terms, cells, s.cell_id) for c, s in cols.items()}
    long = tables.long_table(fits, paper.term_order(smk.params.majors))
    long = tables.with_wcr(long, terms, {c: s.cell_id for c, s in cols.items()})
    line = smk.params.wcr["table_line"] and any(
        c in long and long[c].notna().any() for c in ("p_wcr", "p_ri_beta"))
    if line:
        notes = f"{notes} {tables.wcr_note(smk.params.wcr)}"
    if "ri_ci_low" in terms:
        notes = " ".join([notes, tables.ri_sets_note(cells, terms, cols[1].cell_id, "(1)")])
    fileio.write_csv(long, smk.output.csv)
    fileio.write_text(smk.output.md, tables.to_markdown(long, headers, title, notes, line))
    fileio.write_text(smk.output.tex, tables.to_latex(long, headers, title, f"tab:{which}", notes,
                                                  line))


runner.run(snakemake, main)  # noqa: F821
