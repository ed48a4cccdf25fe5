# Inference checks on simulated outcomes: a named target, not part of `all` (a few minutes).
#   snakemake --cores 2 results/inference/size_power.md


rule size_power:
    input:
        sample="results/data/sample_mmlu_pro.parquet",
        code=code_of("size_power"),
    output:
        "results/inference/size_power.md",
    log:
        "results/logs/size_power.log",
    params:
        majors=MAJORS,
        paper=PAPER,
        reps=config["simulation"]["reps"],
        mde_reps=config["simulation"]["mde_reps"],
    script:
        "../workflow/scripts/size_power.py"


# The coverage of the findings ledger's intervals (results/findings.md), a few minutes:
#   snakemake --cores 2 results/inference/interval_coverage.md
rule interval_coverage:
    input:
        sample="results/data/sample_mmlu_pro.parquet",
        code=code_of("interval_coverage"),
    output:
        "results/inference/interval_coverage.md",
    log:
        "results/logs/interval_coverage.log",
    params:
        majors=MAJORS,
        quantiles=config["sample"]["size_group_quantiles"],
        findings=config["findings"],
        ri=config["ri"],
    script:
        "../workflow/scripts/interval_coverage.py"
