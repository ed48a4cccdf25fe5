# Inference checks on simulated outcomes: a named target, not part of `all` (about 2 minutes).
#   snakemake --cores 2 results/inference/size_power.md


rule size_power:
    input:
        sample="results/data/sample_mmlu_pro.parquet",
        code=code("simulate", "randomization", "bootstrap", "estimate", "grid"),
    output:
        "results/inference/size_power.md",
    log:
        "results/logs/size_power.log",
    params:
        majors=MAJORS,
        paper=PAPER,
        reps=2000,
    script:
        "../workflow/scripts/size_power.py"
