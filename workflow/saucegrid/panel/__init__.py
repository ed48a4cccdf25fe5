"""Out-of-sample panels: does compute still explain the frontier after March 2025?

- ``options``: one panel's choices (which panel, and its sensitivities), from ``panels:`` in
  config.yaml;
- ``rescale``: the map of Artificial Analysis scores onto the leaderboard's scale, fitted on the
  curated pairs of the same models;
- ``build``: the analysis sample of a panel;
- ``frontier``: the frontier decomposition from the best in-window model to the best late-2025
  one;
- ``report`` and ``figures``: ``results/out_of_sample.md`` and its figures.
"""

from .build import panel_rows, panel_sample
from .options import PanelOptions
from .rescale import Rescale, fit_rescale

__all__ = ["PanelOptions", "Rescale", "fit_rescale", "panel_rows", "panel_sample"]
