# Across benchmarks: the baseline specification on the six leaderboard benchmarks, a named
# target (not part of `all`):
#   snakemake --cores 2 results/benchmarks.md


rule benchmarks:
    input:
        models="results/data/models.parquet",
        code=code_of("benchmarks"),
    output:
        md="results/benchmarks.md",
        cells="results/benchmarks/cells.csv",
        terms="results/benchmarks/terms.csv",
        table="results/benchmarks/table_c1_six.csv",
        correlations="results/benchmarks/rank_correlations.csv",
        forest="results/figures/benchmarks_forest.png",
        shapley="results/figures/benchmarks_shapley.png",
    log:
        "results/logs/benchmarks.log",
    params:
        sample=config["sample"],
        developer_sets=config["developer_sets"],
        wcr=config["wcr"],
        ri=config["ri"],
        paper=PAPER,
    script:
        "../workflow/scripts/benchmarks.py"
