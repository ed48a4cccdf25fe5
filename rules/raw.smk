# Raw public inputs (shipped in data/raw, or raw_dir): verify every file's sha256, write stamps.
# One job for all files: checksumming them costs less than starting a job per file.


rule verify_raw:
    input:
        [raw_path(n) for n in RAW_NAMES],
        code=code_of("verify_raw"),
    output:
        expand("results/raw/{name}.sha256", name=RAW_NAMES),
    log:
        "results/logs/verify_raw.log",
    params:
        files={
            n: {
                "path": raw_path(n),
                "sha256": config["raw_files"][n]["sha256"],
                "url": config["raw_files"][n]["url"],
            }
            for n in RAW_NAMES
        },
    script:
        "../workflow/scripts/verify_raw.py"
