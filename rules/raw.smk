# Raw public inputs: verify every file's sha256 (download it first under the default raw_dir).
# One job for all files: checksumming them costs less than starting a job per file.


rule verify_raw:
    input:
        [raw_path(n) for n in RAW_NAMES if Path(raw_path(n)).is_file()],
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
        may_download=MAY_DOWNLOAD,
    script:
        "../workflow/scripts/verify_raw.py"
