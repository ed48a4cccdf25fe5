"""Verify (and, under the default raw_dir, download) one raw input; write a checksum stamp."""

from pathlib import Path

from saucegrid import io, runner


def main(smk):
    path, p = Path(smk.params.path), smk.params
    if not path.is_file() and p.may_download:
        runner.log.info("downloading %s from %s", path, p.url)
        io.download(p.url, path, p.sha256)
    digest = io.verify_sha256(path, p.sha256, p.url)
    io.write_text(smk.output[0], f"{digest}  {path}\n")
    runner.log.info("verified %s (sha256 %s)", path, digest[:12])


runner.run(snakemake, main)  # noqa: F821
