# Across benchmarks: the six leaderboard benchmarks, a named target (not part of `all`):
#   snakemake --cores 2 results/benchmarks.md
# It fits the named sub-grid `leaderboard` (grid.sub_grids in config.yaml); once its slices
# exist, results/grid/cells.parquet and results/findings.md include them.


rule benchmarks:
    input:
        models="results/data/models.parquet",
        # the grid's slices (not its collation, which includes them once they are built)
        cells=slice_files(
            MAIN_SLICES + NAMED_SLICES.get("leaderboard", []), "cells.parquet"
        ),
        terms=slice_files(
            MAIN_SLICES + NAMED_SLICES.get("leaderboard", []), "terms.parquet"
        ),
        code=code_of("benchmarks"),
    output:
        md="results/benchmarks.md",
        cells="results/benchmarks/cells.csv",
        terms="results/benchmarks/terms.csv",
        table_csv="results/benchmarks/table_c1_six.csv",
        table_md="results/benchmarks/table_c1_six.md",
        table_tex="results/benchmarks/table_c1_six.tex",
        correlations="results/benchmarks/rank_correlations.csv",
        robustness="results/benchmarks/robustness.csv",
        intervals="results/benchmarks/intervals.csv",
        across="results/benchmarks/across.md",
        forest="results/figures/benchmarks_forest.png",
        shapley="results/figures/benchmarks_shapley.png",
    log:
        "results/logs/benchmarks.log",
    params:
        dims=GRID["dimensions"],
        cross=SUB_GRIDS.get("leaderboard", {}).get("cross", []),
        sample=config["sample"],
        developer_sets=config["developer_sets"],
        findings=config["findings"],
        wcr=config["wcr"],
        paper=PAPER,
    script:
        "../workflow/scripts/benchmarks.py"
