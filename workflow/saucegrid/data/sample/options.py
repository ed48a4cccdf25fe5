"""The sample-construction options: one frozen record, validated, built from config.

Every choice that moves the analysis sample is a field here, so a construction variant of the
grid is just a set of overrides of these fields (``constructions:`` in config.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass

from saucegrid.options import check_choices, check_keys

# option -> its allowed values (the first is the field's default)
CHOICES = {  # the first value of each is the dataclass default, as in config.yaml
    # how a leaderboard model reaches a token count (see saucegrid.data.sample.lineage)
    "lineage": ("one_hop", "chain", "name"),
    # one_hop only: a same-weights link (rename, re-upload) makes two ids one model, or is ignored
    "renames": ("same_model", "ignore"),
    # a secondary-source row (LifeArchitect, Epoch hub) whose leaderboard twin is in the sample
    # is dropped (in_sample), or whenever that twin exists on the leaderboard (any)
    "twins": ("in_sample", "any"),
    "reasoning": ("exclude", "include"),
    # reward models, process reward models and classifiers (data/reward_models.csv + name rule)
    "reward_models": ("include", "exclude"),
    # models the leaderboard marks as merges
    "merges": ("include", "exclude"),
    # compute c = 6 N D with N the total or (for mixture-of-experts models) the active parameters
    "moe_compute": ("total", "active"),
    # the developer of a model: its namespace / lab, or, for models of the major groups, the
    # organisation of the base model it took its tokens from
    "developer_rule": ("namespace", "base_org"),
    # the TIGER-Lab stand-in: Artificial Analysis MMLU-Pro for LifeArchitect models without one
    "aa_standin": ("exclude", "include"),
}


@dataclass(frozen=True)
class SampleOptions:
    window_start: str = "2022-10-01"
    window_end: str = "2025-03-31"
    lineage: str = "one_hop"
    renames: str = "same_model"
    twins: str = "in_sample"
    reasoning: str = "exclude"
    reward_models: str = "include"
    merges: str = "include"
    moe_compute: str = "total"
    developer_rule: str = "namespace"
    aa_standin: str = "exclude"
    precision_preference: tuple = ("bfloat16", "float16", "8bit", "4bit")
    mmlu_pro_guess_rate: float = 0.1
    size_group_quantiles: tuple = (1 / 3, 2 / 3)
    devset: str = "paper"

    def __post_init__(self):
        check_choices(self, CHOICES, "sample option")

    @classmethod
    def from_config(cls, sample_cfg: dict, **overrides) -> SampleOptions:
        names = check_keys(cls, overrides, "sample")
        kw = {k: (tuple(v) if isinstance(v, list) else v) for k, v in sample_cfg.items()
              if k in names}
        kw.update({k: (tuple(v) if isinstance(v, list) else v) for k, v in overrides.items()})
        return cls(**kw)

    @property
    def token_key(self) -> str:
        """Which precomputed token assignment of the candidates these options read."""
        if self.lineage == "one_hop" and self.renames == "ignore":
            return "one_hop_norenames"
        return self.lineage


TOKEN_KEYS = ("one_hop", "one_hop_norenames", "chain", "name")
