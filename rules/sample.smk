# The analysis sample: candidates from every source, then one sample per benchmark.


rule build_models:
    input:
        stamps=expand("results/raw/{name}.sha256", name=RAW_NAMES),
        curated=CURATED,
        code=code_of("build_models"),
    output:
        "results/data/models.parquet",
    log:
        "results/logs/build_models.log",
    params:
        raw_paths=raw_paths(),
        data_dir=lambda w, input: str(Path(input.curated[0]).parent),
        sample=config["sample"],
    script:
        "../workflow/scripts/build_models.py"


rule analysis_sample:
    input:
        models="results/data/models.parquet",
        code=code_of("analysis_sample"),
    output:
        "results/data/sample_{benchmark}.parquet",
    log:
        "results/logs/analysis_sample/{benchmark}.log",
    wildcard_constraints:
        benchmark="|".join(BENCHMARKS),
    params:
        sample=config["sample"],
        majors=MAJORS,
    script:
        "../workflow/scripts/analysis_sample.py"


rule coverage:
    input:
        models="results/data/models.parquet",
        samples=expand("results/data/sample_{benchmark}.parquet", benchmark=BENCHMARKS),
        calibration="results/data/calibration.csv",
        code=code_of("coverage"),
    output:
        "results/data/coverage.md",
    log:
        "results/logs/coverage.log",
    params:
        benchmarks=BENCHMARKS,
        paper=PAPER,
        sample=config["sample"],
        majors=MAJORS,
    script:
        "../workflow/scripts/coverage.py"


rule calibration:
    input:
        models="results/data/models.parquet",
        code=code_of("calibration"),
    output:
        "results/data/calibration.csv",
    log:
        "results/logs/calibration.log",
    params:
        sample=config["sample"],
        constructions=CONSTRUCTIONS,
        majors=MAJORS,
        paper=PAPER,
    script:
        "../workflow/scripts/calibration.py"
