"""Table B.1 (csv, markdown, LaTeX) from the baseline cell's decomposition."""

import pandas as pd
from tabulate import tabulate

from saucegrid import io, runner


def main(smk):
    t = pd.read_csv(smk.input.table)
    ref = smk.params.paper["table_b1"]
    io.write_csv(t, smk.output.csv)
    rows = []
    for comp in ("scaling", "shared", "company", "model", "total"):
        row = [f"Δ {comp}" if comp != "total" else "Total change"]
        for k, r in enumerate(t.itertuples()):
            paper = ref["frontier" if k == 0 else "threshold"]["delta"][comp]
            row += [f"{getattr(r, f'delta_{comp}'):+.2f}", f"{paper:+.1f}"]
        rows.append(row)
    heads = [""]
    for r in t.itertuples():
        name = (f"{r.comparison}: {r.from_model} ({r.from_score:.1%}, 10^{r.from_log10_flops:.1f}"
                f") → {r.to_model} ({r.to_score:.1%}, 10^{r.to_log10_flops:.1f})")
        heads += [f"ours — {name}", "paper"]
    md = tabulate(rows, headers=heads, tablefmt="github", disable_numparse=True)
    io.write_text(smk.output.md, "### Table B.1: contributions to the change in log-odds\n\n"
                  + md + "\n")
    lines = [r"\begin{table}[htbp]", r"\centering",
             r"\caption{Counterfactual contributions to benchmark scores in log-odds}",
             r"\begin{tabular}{l" + "c" * (len(heads) - 1) + "}", r"\toprule",
             " & ".join(["", *[h.replace("→", r"$\to$").replace("%", r"\%")
                                .replace("_", r"\_").replace("^", r"\^{}")
                                for h in heads[1:]]]) + r" \\", r"\midrule"]
    for row in rows:
        lines.append(" & ".join(x.replace("Δ", r"$\Delta$") for x in row) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{table}"]
    io.write_text(smk.output.tex, "\n".join(lines) + "\n")


runner.run(snakemake, main)  # noqa: F821
