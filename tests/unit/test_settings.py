"""The config's cross-field checks (saucegrid.settings.problems): the shipped config passes,
and each inconsistency is named with its fix."""

import copy
from pathlib import Path

import pytest
import yaml

from saucegrid import settings

CONFIG = yaml.safe_load((Path(__file__).resolve().parents[2] / "config.yaml").read_text())


def cfg(**edits):
    c = copy.deepcopy(CONFIG)
    for path, value in edits.items():
        *head, last = path.split("__")
        node = c
        for k in head:
            node = node[k]
        node[last] = value
    return c


def test_the_shipped_config_is_consistent():
    assert settings.problems(CONFIG) == []


@pytest.mark.parametrize("edits, expect", [
    ({"sample__devset": "nobody"}, "sample.devset='nobody' names no entry of developer_sets"),
    ({"grid__dimensions__construction": ["chain", "default"]},
     "must start with `default`"),
    ({"grid__dimensions__construction": ["default", "invented"]},
     "names ['invented'], which constructions: lacks"),
    ({"grid__dimensions__panel": ["post"]}, "must start with the baseline panel"),
    ({"grid__dimensions__devset": ["paper", "invented"]},
     "names ['invented'], which developer_sets lacks"),
    ({"grid__slice_by": ["benchmark", "colour"]}, "names ['colour'], which are not grid"),
])
def test_each_inconsistency_is_named_with_its_fix(edits, expect):
    out = settings.problems(cfg(**edits))
    assert len(out) == 1 and expect in out[0] and "Fix:" in out[0], out


def test_all_problems_are_reported_at_once():
    out = settings.problems(cfg(sample__devset="nobody", grid__slice_by=["colour"]))
    assert len(out) == 2
