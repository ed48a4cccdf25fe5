# Figures of the paper, built from fitted grid cells (never refitted).


rule cell_figures:
    input:
        models="results/data/models.parquet",
        terms="results/grid/terms.parquet",
        code=code("figures", "paper", "grid", "decompose", "robustness"),
    output:
        main="results/figures/cells/{cell}/main_results.png",
        main_pdf="results/figures/cells/{cell}/main_results.pdf",
        decomposition="results/figures/cells/{cell}/decomposition.png",
        decomposition_pdf="results/figures/cells/{cell}/decomposition.pdf",
        table="results/figures/cells/{cell}/table_b1.csv",
        stats="results/figures/cells/{cell}/stats.json",
    log:
        "results/logs/cell_figures/{cell}.log",
    wildcard_constraints:
        cell="benchmark~[^/]+(/[a-z_0-9]+~[^/]+)+",
    params:
        sample=config["sample"],
        developer_sets=config["developer_sets"],
        plugins=GRID_PLUGINS,
    script:
        "../workflow/scripts/cell_figures.py"


rule benchmark_figures:
    input:
        cells="results/grid/cells.parquet",
        sample="results/data/sample_{benchmark}.parquet",
        code=code("figures", "replication"),
    output:
        shapley_samples="results/figures/{benchmark}/shapley_by_sample.png",
        shapley_links="results/figures/{benchmark}/shapley_by_link.png",
        shapley_time="results/figures/{benchmark}/shapley_by_time.png",
        factors_by_time="results/figures/{benchmark}/factors_by_time.png",
        top_models="results/figures/{benchmark}/top_models.png",
        top_table="results/figures/{benchmark}/top_models.csv",
        logistic="results/figures/{benchmark}/logistic_fit.png",
        logistic_params="results/figures/{benchmark}/logistic_fit.json",
    log:
        "results/logs/benchmark_figures/{benchmark}.log",
    wildcard_constraints:
        benchmark="|".join(BENCHMARKS),
    params:
        levels=PAPER_LEVELS,
        developer_sets=config["developer_sets"],
    script:
        "../workflow/scripts/benchmark_figures.py"


rule table_b1:
    input:
        table=f"results/figures/cells/{BASELINE_CELL}/table_b1.csv",
    output:
        csv="results/tables/table_b1.csv",
        md="results/tables/table_b1.md",
        tex="results/tables/table_b1.tex",
    log:
        "results/logs/table_b1.log",
    params:
        paper=PAPER,
    script:
        "../workflow/scripts/table_b1.py"
