"""Build results/data/models.parquet: every candidate model, included or not, with its reason."""

from saucegrid import fileio, runner
from saucegrid.data import curated, raw, sample


def main(smk):
    tables = raw.read_raw(dict(smk.params.raw_paths))
    cur = curated.load_curated(smk.params.data_dir)
    opts = sample.SampleOptions.from_config(smk.params.sample)
    cand = sample.build_candidates(tables, cur, opts, files=dict(smk.params.raw_paths))
    models = sample.apply_options(cand, opts)
    fileio.write_parquet(models, smk.output[0])
    runner.log.info("%d candidates, %d pass the benchmark-independent filters", len(models),
                    int(models["included"].sum()))


runner.run(snakemake, main)  # noqa: F821
