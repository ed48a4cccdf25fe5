# saucegrid: reproduce and stress-test "Is there Secret Sauce in LLM Development?"
from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


include: "rules/common.smk"
include: "rules/raw.smk"
include: "rules/sample.smk"


rule all:
    default_target: True
    input:
        "results/data/models.parquet",
        expand("results/data/sample_{benchmark}.parquet", benchmark=BENCHMARKS),
        "results/data/coverage.md",
