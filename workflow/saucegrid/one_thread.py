"""Importing this module, before numpy, pins BLAS to one thread: Snakemake already runs one job
per core, the matrices are small, and one thread keeps the summation order, so a script that
draws random numbers writes the same table on every run."""

import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")
