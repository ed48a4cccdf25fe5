# saucegrid: reproduce and stress-test "Is there Secret Sauce in LLM Development?"
from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


report: "workflow/report/workflow.rst"


include: "rules/common.smk"
include: "rules/raw.smk"
include: "rules/sample.smk"
include: "rules/paper.smk"
include: "rules/grid.smk"
include: "rules/figures.smk"
include: "rules/runinfo.smk"
include: "rules/inference.smk"
include: "rules/out_of_sample.smk"
include: "rules/findings.smk"


rule all:
    default_target: True
    input:
        "results/findings.md",
        "results/findings.html",
        "results/figures/findings_forest.png",
        "results/data/models.parquet",
        expand("results/data/sample_{benchmark}.parquet", benchmark=BENCHMARKS),
        "results/data/coverage.md",
        expand(
            "results/tables/table_{table}.{ext}",
            table=["c1", "e1"],
            ext=["csv", "md", "tex"],
        ),
        "results/figures/fig1_shapley.png",
        "results/replication.md",
        "results/fidelity.md",
        "results/fidelity.html",
        "results/figures/fidelity.png",
        "results/grid/cells.parquet",
        "results/grid/summary.md",
        "results/figures/spec_curve.png",
        "results/figures/majors_forest.png",
        "results/out_of_sample.md",
        expand(
            "results/figures/cells/{cell}/{fig}.png",
            cell=FIGURE_CELLS.values(),
            fig=["main_results", "decomposition"],
        ),
        expand(
            "results/figures/{benchmark}/{fig}.png",
            benchmark=BENCHMARKS,
            fig=[
                "shapley_by_sample",
                "shapley_by_link",
                "shapley_by_time",
                "factors_by_time",
                "top_models",
                "logistic_fit",
            ],
        ),
        expand("results/tables/table_b1.{ext}", ext=["csv", "md", "tex"]),
        "results/run.json",
