"""The analysis sample of a construction level or an out-of-sample panel: ``sample:`` in
config.yaml with the level's overrides (``constructions:``), or a panel of ``panels:``."""

from __future__ import annotations

import pandas as pd

from saucegrid.data import sample
from saucegrid.data.panel import PanelOptions, panel_sample


def construction_options(sample_cfg: dict, constructions: dict | None,
                         level: str | None) -> sample.SampleOptions:
    """The sample options of one construction level: `sample:` with the level's overrides."""
    if level is None:
        return sample.SampleOptions.from_config(sample_cfg)
    if not constructions or level not in constructions:
        raise ValueError(f"construction {level!r} is not defined under constructions: in "
                         "config.yaml")
    return sample.SampleOptions.from_config(sample_cfg, **(constructions[level].get("set") or {}))


def construction_sample(models: pd.DataFrame, benchmark: str, sample_cfg: dict,
                        levels: dict, majors, constructions: dict | None = None,
                        panels: dict | None = None) -> pd.DataFrame:
    """The analysis sample of one cell's construction level, or of its out-of-sample panel
    (``panel`` level other than the baseline; MMLU-Pro only: the caller skips the rest)."""
    popts = (PanelOptions.from_level(panels, levels["panel"])
             if panels and levels.get("panel") is not None else None)
    opts = construction_options(sample_cfg, constructions, levels.get("construction"))
    if popts is None:
        return sample.analysis_sample(sample.apply_options(models, opts), benchmark, majors, opts)
    if benchmark != "mmlu_pro":
        raise ValueError(f"panel {levels['panel']!r} has MMLU-Pro scores only; skip its "
                         f"{benchmark} cells (grid.skip in config.yaml)")
    paper = (construction_sample(models, benchmark, sample_cfg, {}, majors)
             if popts.panel == "extended" else None)
    return panel_sample(models, popts, majors, opts.mmlu_pro_guess_rate,
                        opts.size_group_quantiles, paper)
