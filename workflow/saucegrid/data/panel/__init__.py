"""The out-of-sample panels' samples (the verdict on them is :mod:`saucegrid.out_of_sample`):

- ``options``: one panel's choices (which panel, and its sensitivities), from ``panels:`` in
  config.yaml;
- ``rescale``: the map of Artificial Analysis scores onto the leaderboard's scale, fitted on the
  curated pairs of the same models;
- ``build``: the analysis sample of a panel.
"""

from saucegrid.data.panel.build import panel_rows, panel_sample
from saucegrid.data.panel.options import PanelOptions
from saucegrid.data.panel.rescale import Rescale, fit_rescale

__all__ = ["PanelOptions", "Rescale", "fit_rescale", "panel_rows", "panel_sample"]
