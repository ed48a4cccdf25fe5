"""Write results/run.json: the commit, config, input hashes, versions and sizes of this run."""

from pathlib import Path

from saucegrid import runinfo, runner


def main(smk):
    info = runinfo.build(
        config=smk.params.config,
        basedir=Path(smk.scriptdir).parents[1],  # workflow/scripts -> the workflow's folder
        stamps=dict(zip(smk.params.raw_names, smk.input.stamps, strict=True)),
        curated=smk.input.curated,
        samples=dict(zip(smk.params.benchmarks, smk.input.samples, strict=True)),
        cells=smk.input.cells,
        plugins=smk.input.plugins,
    )
    runinfo.write(smk.output[0], info)
    git = info["git"]
    runner.log.info("run.json: commit %s%s, config %s, samples %s",
                    (git["commit"] or "none")[:12], " (dirty)" if git["dirty"] else "",
                    info["config_sha256"][:12], info["sample_sizes"])


runner.run(snakemake, main)  # noqa: F821
