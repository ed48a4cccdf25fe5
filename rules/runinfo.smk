# Run metadata: results/run.json records what the run was made from (read by `saucegrid diff`).


rule run_info:
    input:
        stamps=expand("results/raw/{name}.sha256", name=RAW_NAMES),
        curated=CURATED,
        plugins=GRID_PLUGINS,
        samples=expand("results/data/sample_{benchmark}.parquet", benchmark=BENCHMARKS),
        cells="results/grid/cells.parquet",
        # run.json records the whole package's hash, so any module edit rewrites it
        code=[os.path.relpath(p) for p in imports.package_files(PKG)],
    output:
        "results/run.json",
    log:
        "results/logs/run_info.log",
    params:
        config=config,
        raw_names=RAW_NAMES,
        benchmarks=BENCHMARKS,
    script:
        "../workflow/scripts/run_info.py"
