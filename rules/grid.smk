# The robustness grid: one job per slice fits all its cells in-process; then collation.


rule grid_slice:
    input:
        models="results/data/models.parquet",
        code=code_of("grid_slice"),
        plugins=GRID_PLUGINS,
    output:
        cells=f"results/grid/slices/{SLICES.wildcard_pattern}/cells.parquet",
        terms=f"results/grid/slices/{SLICES.wildcard_pattern}/terms.parquet",
        cache_keys=f"results/grid/slices/{SLICES.wildcard_pattern}/cache_keys.txt",
    log:
        f"results/logs/grid_slice/{SLICES.wildcard_pattern}.log",
    params:
        cells=slice_cells,
        sample=config["sample"],
        developer_sets=config["developer_sets"],
        cache="results/grid/cache",
        plugins=GRID_PLUGINS,
        wcr=config["wcr"],
        ri=config["ri"],
        constructions=CONSTRUCTIONS,
        panels=PANELS,
        baseline=PAPER_LEVELS,
    script:
        "../workflow/scripts/grid_slice.py"


rule grid_collate:
    input:
        cells=lambda w: built_slices("cells.parquet"),
        terms=lambda w: built_slices("terms.parquet"),
        cache_keys=lambda w: built_slices("cache_keys.txt"),
        code=code_of("grid_collate"),
    output:
        cells="results/grid/cells.parquet",
        terms="results/grid/terms.parquet",
        cells_csv=report(
            "results/grid/cells.csv",
            caption="../workflow/report/grid_cells.rst",
            category="Robustness grid",
            subcategory="All cells",
        ),
        terms_csv="results/grid/terms.csv",
        cache_keys="results/grid/cache_keys.txt",
    log:
        "results/logs/grid_collate.log",
    params:
        order=GRID_ORDER,
        # per-cell figure folders and logs of cells no longer in the grid are removed
        cell_folders=["results/figures/cells", "results/logs/cell_figures"],
    script:
        "../workflow/scripts/grid_collate.py"


rule grid_summary:
    input:
        cells="results/grid/cells.parquet",
        terms="results/grid/terms.parquet",
        code=code_of("grid_summary"),
    output:
        "results/grid/summary.md",
    log:
        "results/logs/grid_summary.log",
    params:
        dims=GRID["dimensions"],
        developer_sets=config["developer_sets"],
        paper=PAPER,
        alpha=config["wcr"]["alpha"],
    script:
        "../workflow/scripts/grid_summary.py"


# reads the slices (as grid_collate does, through saucegrid.grid.collate), so it runs beside
# grid_collate rather than after it
rule spec_curve:
    input:
        cells=slice_files(MAIN_SLICES, "cells.parquet"),
        code=code_of("spec_curve"),
    output:
        report(
            "results/figures/spec_curve.png",
            caption="../workflow/report/spec_curve.rst",
            category="Robustness grid",
            subcategory="Specification curve",
        ),
    log:
        "results/logs/spec_curve.log",
    params:
        dims=GRID["dimensions"],
        alpha=config["wcr"]["alpha"],
        order=GRID_ORDER,
    script:
        "../workflow/scripts/spec_curve.py"


rule majors_forest:
    input:
        cells="results/grid/cells.parquet",
        terms="results/grid/terms.parquet",
        code=code_of("majors_forest"),
    output:
        report(
            "results/figures/majors_forest.png",
            caption="../workflow/report/majors_forest.rst",
            category="Robustness grid",
            subcategory="Majors against size peers",
        ),
    log:
        "results/logs/majors_forest.log",
    params:
        baseline={b: paper_cell(benchmark=b) for b in BENCHMARKS},
        paper=PAPER,
    script:
        "../workflow/scripts/majors_forest.py"
