"""Stage 1, data: the raw public inputs (``raw``, ``raw_inputs``), the curated tables
(``curated``, ``curated_aa``, ``checks``), the model table and analysis samples (``sample/``),
the sample constructions (``constructions``), the out-of-sample panels' samples (``panel/``)
and the calibration of the constructions against the paper's counts (``calibration``).

Imports only the package's top-level helpers; every later stage may import it."""
