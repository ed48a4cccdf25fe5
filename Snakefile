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
include: "rules/benchmarks.smk"


rule all:
    default_target: True
    input:
        default_targets(),
