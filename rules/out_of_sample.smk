# Out of sample: the panels after March 2025 (grid dimension `panel`), read off the fitted grid.


rule out_of_sample:
    input:
        models="results/data/models.parquet",
        cells="results/grid/cells.parquet",
        terms="results/grid/terms.parquet",
        la_2025_02=raw_path("lifearchitect_2025_02"),
        la_2026_03=raw_path("lifearchitect_2026_03"),
        stamps=expand(
            "results/raw/{name}.sha256",
            name=["lifearchitect_2025_02", "lifearchitect_2026_03"],
        ),
        code=code_of("out_of_sample"),
    output:
        md=report(
            "results/out_of_sample.md",
            caption="../workflow/report/out_of_sample.rst",
            category="Out of sample",
        ),
        shapley=report(
            "results/figures/out_of_sample/shapley.png",
            caption="../workflow/report/out_of_sample.rst",
            category="Out of sample",
        ),
        curves=report(
            "results/figures/out_of_sample/curves.png",
            caption="../workflow/report/out_of_sample.rst",
            category="Out of sample",
        ),
        frontier=report(
            "results/figures/out_of_sample/frontier.png",
            caption="../workflow/report/out_of_sample.rst",
            category="Out of sample",
        ),
        json="results/out_of_sample.json",
    log:
        "results/logs/out_of_sample.log",
    params:
        dims=GRID["dimensions"],
        panels=PANELS,
        sample=config["sample"],
        developer_sets=config["developer_sets"],
        constructions=CONSTRUCTIONS,
        paper=PAPER,
        wcr=config["wcr"],
        findings=config["findings"],
    script:
        "../workflow/scripts/out_of_sample.py"
