"""Table B.1 (csv, markdown, LaTeX) from the baseline cell's decomposition."""

import pandas as pd

from saucegrid import fileio, runner
from saucegrid.report import tables


def main(smk):
    t = pd.read_csv(smk.input.table)
    fileio.write_csv(t, smk.output.csv)
    heads, rows = tables.table_b1(t, smk.params.paper["table_b1"])
    fileio.write_text(smk.output.md, tables.table_b1_markdown(heads, rows))
    fileio.write_text(smk.output.tex, tables.table_b1_latex(heads, rows))


runner.run(snakemake, main)  # noqa: F821
