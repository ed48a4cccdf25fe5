# Raw public inputs: verify every file's sha256 (download it first under the default raw_dir).


rule verify_raw:
    input:
        lambda w: [raw_path(w.name)] if Path(raw_path(w.name)).is_file() else [],
    output:
        "results/raw/{name}.sha256",
    log:
        "results/logs/verify_raw/{name}.log",
    wildcard_constraints:
        name="|".join(RAW_NAMES),
    params:
        path=lambda w: raw_path(w.name),
        sha256=lambda w: config["raw_files"][w.name]["sha256"],
        url=lambda w: config["raw_files"][w.name]["url"],
        may_download=MAY_DOWNLOAD,
    script:
        "../workflow/scripts/verify_raw.py"
