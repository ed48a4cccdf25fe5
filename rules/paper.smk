# The paper's specifications: fitted cells, Tables C.1 and E.1, Figure 1, replication report.


rule paper_cells:
    input:
        cells="results/grid/cells.parquet",
        terms="results/grid/terms.parquet",
        code=code_of("paper_cells"),
    output:
        cells="results/paper/cells.parquet",
        terms="results/paper/terms.parquet",
    log:
        "results/logs/paper_cells.log",
    params:
        levels=PAPER_LEVELS,
    script:
        "../workflow/scripts/paper_cells.py"


rule table:
    input:
        cells="results/paper/cells.parquet",
        terms="results/paper/terms.parquet",
        code=code_of("table_c1"),
    output:
        csv=report(
            "results/tables/table_{table}.csv",
            caption="../workflow/report/table_paper.rst",
            category="Tables",
            subcategory="Table {table}",
        ),
        md="results/tables/table_{table}.md",
        tex="results/tables/table_{table}.tex",
    log:
        "results/logs/table_{table}.log",
    wildcard_constraints:
        table="c1|e1",
    params:
        table=lambda w: w.table,
        majors=MAJORS,
        wcr=config["wcr"],
    script:
        "../workflow/scripts/table_c1.py"


rule replication:
    input:
        cells="results/paper/cells.parquet",
        terms="results/paper/terms.parquet",
        samples=expand("results/data/sample_{benchmark}.parquet", benchmark=BENCHMARKS),
        b1="results/tables/table_b1.csv",
        logistic=expand(
            "results/figures/{benchmark}/logistic_fit.json", benchmark=BENCHMARKS
        ),
        stats=f"results/figures/cells/{BASELINE_CELL}/stats.json",
        code=code_of("replication"),
    output:
        "results/replication.md",
    log:
        "results/logs/replication.log",
    params:
        benchmarks=BENCHMARKS,
        paper=PAPER,
        majors=MAJORS,
        sample=config["sample"],
    script:
        "../workflow/scripts/replication.py"


rule fidelity:
    input:
        calibration="results/data/calibration.csv",
        paper_terms="results/paper/terms.parquet",
        cells="results/grid/cells.parquet",
        terms="results/grid/terms.parquet",
        samples=expand("results/data/sample_{benchmark}.parquet", benchmark=BENCHMARKS),
        code=code_of("fidelity"),
    output:
        md="results/fidelity.md",
        html=report(
            "results/fidelity.html",
            caption="../workflow/report/fidelity.rst",
            category="Fidelity",
            subcategory="Construction variants",
        ),
        png=report(
            "results/figures/fidelity.png",
            caption="../workflow/report/fidelity.rst",
            category="Fidelity",
            subcategory="Construction variants",
        ),
        pdf="results/figures/fidelity.pdf",
    log:
        "results/logs/fidelity.log",
    params:
        dims=GRID["dimensions"],
        constructions=CONSTRUCTIONS,
        paper=PAPER,
        benchmarks=BENCHMARKS,
        majors=MAJORS,
        sample=config["sample"],
    script:
        "../workflow/scripts/fidelity.py"
