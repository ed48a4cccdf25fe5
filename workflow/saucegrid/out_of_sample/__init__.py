"""Out of sample: does compute still explain the frontier after March 2025?

- ``frontier``: the frontier decomposition from the best in-window models to the best late-2025
  ones;
- ``verdict``: the rule (written before its inputs were computed) and ``uncertainty``, its
  inputs with their compute-estimate draws;
- ``evidence``, ``report`` and ``figures``: ``results/out_of_sample.md`` and its figures.

A feature on top of the stages (its samples are built in :mod:`saucegrid.data.panel`)."""
