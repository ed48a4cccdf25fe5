"""The choices of one out-of-sample panel (a level of the grid's ``panel`` dimension)."""

from __future__ import annotations

from dataclasses import dataclass

from saucegrid.options import check_choices, check_keys

CHOICES = {  # the first value is the default
    # post: 2025q2-2025q4, Artificial Analysis only; extended: the paper-faithful sample plus
    # the post-window models as a fourth period, their scores mapped onto the leaderboard's
    # scale; single: 2022q4-2025q4, Artificial Analysis scores only
    "panel": ("post", "extended", "single"),
    # the non-thinking modes of hybrid models
    "hybrids": ("include", "exclude"),
    # c = 6 N D with N the total or (mixture-of-experts models) the active parameters
    "compute": ("total", "active"),
    # rows whose params come from the name and tokens from a family sibling
    "family": ("include", "exclude"),
    # LifeArchitect's figures: the 2026-03 snapshot's, or the 2025-02 one's where a model is in
    # both
    "la_figures": ("2026-03", "2025-02"),
    # rows whose params or tokens are estimates (LifeArchitect's guesses for closed models,
    # family imputations)
    "estimates": ("include", "exclude"),
}
POST_START, END, IN_START = "2025-04-01", "2025-12-31", "2022-10-01"


@dataclass(frozen=True)
class PanelOptions:
    panel: str = "post"
    hybrids: str = "include"
    compute: str = "total"
    family: str = "include"
    la_figures: str = "2026-03"
    estimates: str = "include"

    def __post_init__(self):
        check_choices(self, CHOICES, "panel option")

    @classmethod
    def from_level(cls, panels: dict, level: str) -> PanelOptions | None:
        """The options of one level of ``panels:`` (None for the baseline, which has none)."""
        if level not in panels:
            raise ValueError(f"panel {level!r} is not defined under panels: in config.yaml")
        over = dict((panels[level] or {}).get("set") or {})
        if not over:
            return None
        check_keys(cls, over, f"panel {level!r}")
        return cls(**over)
