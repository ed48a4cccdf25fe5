"""Verify every raw input against its pinned sha256; write checksum stamps."""

from pathlib import Path

from saucegrid import fileio, runner


def main(smk):
    for (name, f), stamp in zip(smk.params.files.items(), smk.output, strict=True):
        path = Path(f["path"])
        digest = fileio.verify_sha256(path, f["sha256"], f["url"])
        fileio.write_text(stamp, f"{digest}  {path}\n")
        runner.log.info("verified %s: %s (sha256 %s)", name, path, digest[:12])


runner.run(snakemake, main)  # noqa: F821
