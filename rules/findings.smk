# The findings ledger: which of the paper's claims survive (results/findings.md).


rule findings_intervals:
    input:
        samples=expand("results/data/sample_{benchmark}.parquet", benchmark=BENCHMARKS),
        cells="results/paper/cells.parquet",
        terms="results/paper/terms.parquet",
        b1="results/tables/table_b1.csv",
        la_2025_02=raw_path("lifearchitect_2025_02"),
        la_2026_03=raw_path("lifearchitect_2026_03"),
        code=code_of("findings_intervals"),
    output:
        "results/findings/intervals.csv",
    log:
        "results/logs/findings_intervals.log",
    params:
        benchmarks=BENCHMARKS,
        findings=config["findings"],
        majors=MAJORS,
        ri=config["ri"],
        sample=config["sample"],
        wcr=config["wcr"],
    script:
        "../workflow/scripts/findings_intervals.py"


rule findings:
    input:
        intervals="results/findings/intervals.csv",
        paper_cells="results/paper/cells.parquet",
        paper_terms="results/paper/terms.parquet",
        grid_cells="results/grid/cells.parquet",
        grid_terms="results/grid/terms.parquet",
        samples=expand("results/data/sample_{benchmark}.parquet", benchmark=BENCHMARKS),
        models="results/data/models.parquet",
        b1="results/tables/table_b1.csv",
        oos="results/out_of_sample.json",
        # the section "Across benchmarks", once results/benchmarks.md has been built
        across=lambda w: if_built("results/benchmarks/across.md"),
        plugins=GRID_PLUGINS,
        code=code_of("findings"),
    output:
        md="results/findings.md",
        csv="results/findings.csv",
        html=report(
            "results/findings.html",
            caption="../workflow/report/findings.rst",
            category="1. Findings",
        ),
        png=report(
            "results/figures/findings_forest.png",
            caption="../workflow/report/findings.rst",
            category="1. Findings",
        ),
    log:
        "results/logs/findings.log",
    params:
        benchmarks=BENCHMARKS,
        findings=config["findings"],
        paper=PAPER,
        majors=MAJORS,
        sample=config["sample"],
        developer_sets=config["developer_sets"],
        constructions=CONSTRUCTIONS,
        panels=PANELS,
        dims=GRID["dimensions"],
        plugins=GRID_PLUGINS,
    script:
        "../workflow/scripts/findings.py"
