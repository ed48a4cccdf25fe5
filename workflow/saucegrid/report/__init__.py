"""Stage 4, reports: the paper's reference numbers (``paper``), tables, figures, the fidelity
and replication reports, the grid summary, the specification curve, the data coverage report
and the simulation's report.

Imports the earlier stages; nothing in them imports it."""
