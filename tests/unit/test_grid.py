"""The robustness grid: enumeration, skips, the paper subset, degenerate cells, the cache,
registered dimensions."""

import copy

import numpy as np
import pandas as pd
import pytest
import yaml

from saucegrid.estimation import specs
from saucegrid.grid import cells as grid_cells
from saucegrid.grid import run as grid_run
from saucegrid.grid.cache import CellCache

from helpers import small_cells, toy_sample

REPO_CONFIG = yaml.safe_load(open(__import__("pathlib").Path(__file__).resolve().parents[2]
                                  / "config.yaml"))


def grid_cfg(**dims):
    g = copy.deepcopy(REPO_CONFIG["grid"])
    g["dimensions"].update(dims)
    return g


def test_full_grid_crosses_the_default_construction_and_sub_grids_of_variants():
    g = copy.deepcopy(REPO_CONFIG["grid"])
    g.pop("sub_grids", None)  # the sub-grids have their own test
    g["dimensions"]["benchmark"] = ["mmlu_pro", "math_l5"]
    dims = g["dimensions"]
    f = grid_cells.cell_frame(g)
    spec = {k: v for k, v in dims.items() if k not in ("construction", "panel")}
    n_default = int(np.prod([len(v) for v in spec.values()]))
    n_variant = int(np.prod([len(dims[k]) for k in g["variant_dims"]]))
    n_panel = int(np.prod([len(dims[k]) for k in g["variant_dims_by"]["panel"]]))
    assert len(f) == (n_default + n_variant * (len(dims["construction"]) - 1)
                      + n_panel * (len(dims["panel"]) - 1))
    assert 500 <= len(f) <= 4000
    assert f["cell_id"].is_unique
    # an id lists every spec dimension, and other dimensions only off their baseline
    assert f["cell_id"].iloc[0] == ("benchmark~mmlu_pro/link~v1.0/time~tri/devset~paper/"
                                    "sample~full/interaction~none")
    chain = f[f["construction"] == "chain"]["cell_id"].iloc[0]
    assert chain == ("benchmark~mmlu_pro/link~v1.0/time~tri/devset~paper/sample~full/"
                     "interaction~none/construction~chain")
    assert not f["cell_id"].str.contains("construction~default|panel~paper").any()
    base = (f["construction"] == "default") & (f["panel"] == "paper")
    assert base.sum() == n_default
    # a variant varies only its variant dimensions; the others stay at the baseline, and a
    # construction variant never meets a panel (nor the other way round)
    for dim, vd in (("construction", g["variant_dims"]),
                    ("panel", g["variant_dims_by"]["panel"])):
        var = f[f[dim] != dims[dim][0]]
        other = "panel" if dim == "construction" else "construction"
        assert (var[other] == dims[other][0]).all()
        for k in set(spec) - set(vd):
            assert (var[k] == dims[k][0]).all()
        for k in vd:
            assert set(var[k]) == set(dims[k])
    # the panels have no MATH Level 5: those cells are skipped, with the reason
    pm = f[(f["panel"] != "paper") & (f["benchmark"] == "math_l5")]
    assert len(pm) and pm["skip_reason"].str.contains("MATH Level 5").all()


def test_a_variant_can_declare_its_own_sub_grid():
    g = grid_cfg(construction=["default", "chain", "name"], benchmark=["mmlu_pro", "math_l5"])
    g.pop("sub_grids", None)
    g["variant_dims"] = ["benchmark"]
    g["variant_dims_by"] = {"name": ["benchmark", "sample"]}
    f = grid_cells.cell_frame(g)
    assert (f["construction"] == "chain").sum() == len(g["dimensions"]["benchmark"])
    assert (f["construction"] == "name").sum() == (len(g["dimensions"]["benchmark"])
                                                   * len(g["dimensions"]["sample"]))
    g["variant_dims_by"] = {"name": ["no_such_dim"]}
    with pytest.raises(ValueError, match="no_such_dim"):
        grid_cells.cell_frame(g)


def test_skip_rules_keep_a_row_with_the_reason():
    g = grid_cfg(benchmark=["mmlu_pro", "math_l5"])
    g.pop("sub_grids", None)
    g["skip"] = [{"when": {"time": "quadratic", "interaction": "period_x_compute"},
                  "reason": "test reason"}]
    f = grid_cells.cell_frame(g)
    sk = f[f["skip_reason"] != ""]
    # variants keep time at its baseline (tri), so only baseline cells match
    base = (f["construction"] == "default") & (f.get("panel", "paper") == "paper")
    assert len(sk) == base.sum() // 3 // 2
    assert set(sk["skip_reason"]) == {"test reason"}
    assert (sk["time"] == "quadratic").all() and (sk["interaction"] == "period_x_compute").all()


def test_a_sub_grid_crosses_its_levels_with_its_own_dimensions_only():
    """grid.sub_grids (the leaderboard's other four benchmarks in config.yaml): their levels
    leave the main cross product and every construction or panel variant; each is crossed with
    its `cross` dimensions, every other dimension at its baseline; the main grid's cells and
    ids are those of the grid without the sub-grid."""
    g = REPO_CONFIG["grid"]
    dims = g["dimensions"]
    sg = g["sub_grids"]["leaderboard"]
    f = grid_cells.cell_frame(g)
    of = grid_cells.sub_grid_of(f, g)
    sub = f[of == "leaderboard"]
    assert set(sub["benchmark"]) == set(sg["levels"]["benchmark"]) == {"ifeval", "bbh", "gpqa",
                                                                       "musr"}
    assert len(sub) == 4 * int(np.prod([len(dims[d]) for d in sg["cross"]])) == 144
    for d in set(dims) - set(sg["cross"]) - {"benchmark"}:
        assert (sub[d] == dims[d][0]).all()
    for d in sg["cross"]:
        assert set(sub[d]) == set(dims[d])
    assert sub["cell_id"].iloc[0] == ("benchmark~ifeval/link~v1.0/time~tri/devset~paper/"
                                      "sample~full/interaction~none")
    # the main grid is the grid without the sub-grid, cell for cell, in the same order
    plain = copy.deepcopy(g)
    plain.pop("sub_grids")
    plain["dimensions"]["benchmark"] = ["mmlu_pro", "math_l5"]
    main = f[of == ""].reset_index(drop=True)
    pd.testing.assert_frame_equal(main, grid_cells.cell_frame(plain))
    assert not f["cell_id"].duplicated().any()


@pytest.mark.parametrize("change, message", [
    (lambda sg, g: sg["levels"].update(benchmark=["mmlu_pro"]), "baseline level"),
    (lambda sg, g: sg["levels"].update(benchmark=["no_such"]), "not levels of"),
    (lambda sg, g: sg.update(cross=["construction"]), "cross names"),
    (lambda sg, g: sg["levels"].update(panel=["post"]), "not a free grid dimension"),
    (lambda sg, g: g.update(slice_by=["link"]), "not all in grid.slice_by"),
    (lambda sg, g: g["sub_grids"].update(again={"levels": {"benchmark": ["gpqa"]},
                                                "cross": []}), "in sub-grid"),
])
def test_a_wrong_sub_grid_is_named_with_its_fix(change, message):
    g = copy.deepcopy(REPO_CONFIG["grid"])
    change(g["sub_grids"]["leaderboard"], g)
    problems = grid_cells.sub_grid_problems(g)
    assert any(message in p and "Fix:" in p for p in problems), problems
    with pytest.raises(ValueError, match=message):
        grid_cells.cell_frame(g)


def test_unknown_level_and_unregistered_dimension_are_named():
    with pytest.raises(ValueError, match="link"):
        grid_cells.cell_frame(grid_cfg(link=["v1.0", "v3"]))
    with pytest.raises(ValueError, match="no_such_dim"):
        grid_cells.cell_frame(grid_cfg(no_such_dim=["a"]))


def test_paper_subset_is_the_paper_specifications_under_each_construction_and_panel():
    g = REPO_CONFIG["grid"]
    frame = grid_cells.cell_frame(g)
    f = grid_cells.paper_subset(frame, grid_cells.baseline_levels(g))
    got = {specs.Spec(**{k: r[k] for k in specs.DIMENSIONS}) for r in f.to_dict("records")}
    assert got == set(specs.paper_specs()) and len(got) == 10
    at_base = f[(f["construction"] == "default") & (f["panel"] == "paper")]
    assert len(at_base) == 10  # each paper specification once at the baseline
    # what the fidelity and out-of-sample reports read: every construction and every panel
    assert set(f["construction"]) == set(g["dimensions"]["construction"])
    assert set(f["panel"]) == set(g["dimensions"]["panel"])
    # and nothing else: off the baseline, only one restricted dimension moves at a time
    off = (f["construction"] != "default").astype(int) + (f["panel"] != "paper").astype(int)
    assert off.max() == 1
    full = frame[frame["skip_reason"] == ""]
    assert len(f) < len(full) / 5


def run(cells, sample, cache=None):
    """run_slice on a ready-made analysis sample (construction already applied)."""
    majors = {"paper": ["Meta", "Qwen", "Nvidia"]}
    orig = grid_run.construction_sample
    grid_run.construction_sample = lambda *a, **k: sample
    try:
        return grid_run.run_slice(pd.DataFrame(), cells, {"size_group_quantiles": [1 / 3, 2 / 3],
                                                    "devset": "paper"}, majors, cache)
    finally:
        grid_run.construction_sample = orig


def test_a_degenerate_cell_is_a_row_not_a_crash():
    s = toy_sample(n_per=3)
    s.loc[s["developer"].isin(["Meta", "Qwen", "Nvidia"]), "log10_flops"] = 23.0
    _, cells = small_cells()
    out, terms = run(cells, s)
    st = out.set_index("sample")["status"]
    assert st["full"] == "ok"
    assert st["major"] == "degenerate" and st["major_below"] == "degenerate"
    assert out.set_index("sample").loc["major", "reason"]


def test_cache_reuses_cells_and_a_new_level_fits_only_new_cells(tmp_path):
    s = toy_sample()
    _, cells = small_cells()
    a, ta = run(cells, s, tmp_path)
    _, cells2 = small_cells(link=["v1.0", "v0.7"])
    first = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.json")}
    assert len(first) == 3
    cache = CellCache(tmp_path)
    b, tb = run(cells2, s, cache)
    assert cache.hits == 3 and len(cache.used) == 6  # the three v1.0 cells were read back
    assert len(list(tmp_path.rglob("*.json"))) == 6  # only the three v0.7 cells were fitted
    assert {p: p.stat().st_mtime_ns for p in first} == first  # and none was rewritten
    same = b[b["link"] == "v1.0"].reset_index(drop=True)
    pd.testing.assert_frame_equal(same[a.columns], a, check_exact=True)


def test_registered_dimension(tmp_path):
    plugin = tmp_path / "plug.py"
    plugin.write_text(
        "from saucegrid.grid.cells import register\n"
        "@register('min_flops')\n"
        "def min_flops(df, level):\n"
        "    return df[df['log10_flops'] >= float(level)]\n")
    grid_cells.load_plugins([str(plugin)])
    try:
        _, cells = small_cells(min_flops=["0", "23"])
        out, _ = run(cells, toy_sample())
        n = out.set_index(["sample", "min_flops"])["n_obs"]
        assert n[("full", "0")] > n[("full", "23")] > 0
        assert out["cell_id"].str.contains("min_flops~23").sum() == 3
    finally:
        grid_cells.SAMPLE_DIMENSIONS.pop("min_flops", None)
