# Figures of the paper, built from fitted grid cells (never refitted).


rule cell_figures:
    input:
        models="results/data/models.parquet",
        terms="results/grid/terms.parquet",
        code=code_of("cell_figures"),
    output:
        main=report(
            "results/figures/cells/{cell}/main_results.png",
            caption="../workflow/report/main_results.rst",
            category="Main results (Fig. 2, D.3, E.3, E.7)",
            subcategory="{cell}",
        ),
        main_pdf="results/figures/cells/{cell}/main_results.pdf",
        decomposition=report(
            "results/figures/cells/{cell}/decomposition.png",
            caption="../workflow/report/decomposition.rst",
            category="Decompositions (Fig. 4, D.5, E.4, E.8)",
            subcategory="{cell}",
        ),
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
        constructions=CONSTRUCTIONS,
        panels=PANELS,
        dims=GRID["dimensions"],
    script:
        "../workflow/scripts/cell_figures.py"


rule benchmark_figures:
    input:
        cells="results/grid/cells.parquet",
        sample="results/data/sample_{benchmark}.parquet",
        code=code_of("benchmark_figures"),
    output:
        shapley_samples=report(
            "results/figures/{benchmark}/shapley_by_sample.png",
            caption="../workflow/report/shapley_by_sample.rst",
            category="Shapley decompositions (Fig. 1, D.2)",
            subcategory="{benchmark}",
        ),
        shapley_links=report(
            "results/figures/{benchmark}/shapley_by_link.png",
            caption="../workflow/report/shapley_by_link.rst",
            category="Link shape (Fig. E.2, E.6)",
            subcategory="{benchmark}",
        ),
        shapley_time=report(
            "results/figures/{benchmark}/shapley_by_time.png",
            caption="../workflow/report/shapley_by_time.rst",
            category="Time structure (Fig. E.9, E.10)",
            subcategory="{benchmark}",
        ),
        factors_by_time=report(
            "results/figures/{benchmark}/factors_by_time.png",
            caption="../workflow/report/factors_by_time.rst",
            category="Time structure (Fig. E.9, E.10)",
            subcategory="{benchmark}",
        ),
        top_models=report(
            "results/figures/{benchmark}/top_models.png",
            caption="../workflow/report/top_models.rst",
            category="Frontier and thresholds (Fig. 3, D.4)",
            subcategory="{benchmark}",
        ),
        top_table="results/figures/{benchmark}/top_models.csv",
        logistic=report(
            "results/figures/{benchmark}/logistic_fit.png",
            caption="../workflow/report/logistic_fit.rst",
            category="Logistic fit (Fig. C.1, D.1, E.1, E.5)",
            subcategory="{benchmark}",
        ),
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
        code=code_of("table_b1"),
    output:
        csv=report(
            "results/tables/table_b1.csv",
            caption="../workflow/report/table_b1.rst",
            category="Tables",
            subcategory="Table B.1",
        ),
        md="results/tables/table_b1.md",
        tex="results/tables/table_b1.tex",
    log:
        "results/logs/table_b1.log",
    params:
        paper=PAPER,
    script:
        "../workflow/scripts/table_b1.py"
