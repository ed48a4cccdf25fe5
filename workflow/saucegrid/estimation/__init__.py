"""Stage 2, estimation: Eq. (1)'s design (``specs``, ``links``), OLS with CR1 standard errors
(``estimate``), the Shapley R² and compute-factor decompositions (``decompose``), few-cluster
inference (``bootstrap/``: the wild cluster restricted bootstrap; ``randomization``,
``ri_base``, ``ri_inversion``: randomization inference; ``heterogeneity``) and the size and
power simulation (``simulate``).

Imports the data stage and the top-level helpers only."""
