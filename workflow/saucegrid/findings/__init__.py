"""The findings ledger: one row per claim of the paper's abstract and introduction (C1-C7),
with the paper's number, ours with a 95% interval, the share of grid cells where the claim
holds, the valid-inference verdict under its named null, the 2025 out-of-sample verdict, the
fidelity caveat, a status and the artifact that holds the evidence.

- :mod:`.resample`: the hybrid bootstrap (majors fixed, other developers resampled);
- :mod:`.intervals`: each claim's number and interval on the default sample;
- :mod:`.claims`: the claims, their "holds" rules, nulls and the status rule;
- :mod:`.grid_shares`: the share of in-window grid cells where each claim holds;
- :mod:`.ledger`: the rows, read from the artifacts;
- :mod:`.render`: ``results/findings.md``; :mod:`.figure`: the forest figure;
- :mod:`.coverage`: the simulation that checks the intervals' coverage.
"""
