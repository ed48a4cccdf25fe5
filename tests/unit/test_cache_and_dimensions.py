"""Adding a dimension leaves old cells alone (ids, cache entries); the cache keys on content;
plugins see the cell's context; the import graph; cleanup of stale cells and cache entries."""

import itertools
import shutil
from pathlib import Path

import pandas as pd
import pytest

from saucegrid import cli, imports
from saucegrid.grid import cache, cells, cleanup, run

from conftest import modulefinder_closure
from helpers import toy_sample

REPO = Path(__file__).resolve().parents[2]
BASE = {"benchmark": ["mmlu_pro"], "link": ["v1.0"], "time": ["tri"], "devset": ["paper"],
        "sample": ["full", "major", "major_below"], "interaction": ["none"]}
MAJORS = {"paper": ["Meta", "Qwen", "Nvidia"]}
CFG = {"size_group_quantiles": [1 / 3, 2 / 3], "devset": "paper"}


def frame(**extra):
    """The cells of BASE crossed with extra dimensions, ids as cells.cell_frame makes them."""
    dims = {**BASE, **extra}
    base = {k: v[0] for k, v in dims.items()}
    rows = [dict(zip(dims, c, strict=True)) for c in itertools.product(*dims.values())]
    f = pd.DataFrame(rows)
    f.insert(0, "cell_id", [cells.cell_id(r, base) for r in rows])
    f["skip_reason"] = ""
    return f


@pytest.fixture
def sample(monkeypatch):
    s = toy_sample()
    monkeypatch.setattr(run, "construction_sample", lambda *a, **k: s)
    return s


@pytest.fixture
def plugin(tmp_path):
    """Write and load a plugin file; unregister its dimensions afterwards."""
    names = []

    def load(name, body):
        p = tmp_path / f"{name}.py"
        p.write_text("from saucegrid.grid.cells import register\n\n" + body)
        cells.load_plugins([str(p)])
        names.append(name)
        return p

    yield load
    for n in names:
        cells.SAMPLE_DIMENSIONS.pop(n, None)


TRIM = """
@register("trim")
def trim(sample, level):
    # the baseline level returns the sample unchanged
    return sample if level == "none" else sample[sample["score"] > 0.5]
"""


def test_cell_ids_list_spec_dimensions_and_non_baseline_levels_only():
    base = {**{k: v[0] for k, v in BASE.items()}, "construction": "default", "trim": "none"}
    lv = dict(base)
    assert cells.cell_id(lv, base) == ("benchmark~mmlu_pro/link~v1.0/time~tri/devset~paper/"
                                       "sample~full/interaction~none")
    lv.update(trim="drop", sample="major")
    assert cells.cell_id(lv, base).endswith("/sample~major/interaction~none/trim~drop")
    assert cells.cell_id(lv).endswith("/construction~default/trim~drop")  # no baseline: all
    dims = {**BASE, "construction": ["default", "chain"]}
    assert cells.id_at(dims) == cells.cell_id(base, base)
    assert cells.id_at(dims, construction="chain").endswith("/construction~chain")


def test_a_new_dimension_keeps_every_old_cell_its_id_and_its_cache_entry(tmp_path, sample,
                                                                       plugin):
    old = frame()
    a, ta = run.run_slice(pd.DataFrame(), old, CFG, MAJORS, tmp_path)
    assert len(cache.entries(tmp_path)) == 3
    plugin("trim", TRIM)
    new = frame(trim=["none", "drop"])
    assert set(old["cell_id"]) < set(new["cell_id"])  # old ids unchanged
    store = cache.CellCache(tmp_path)
    b, tb = run.run_slice(pd.DataFrame(), new, CFG, MAJORS, store)
    assert store.hits == 3  # every old cell from the cache
    assert len(cache.entries(tmp_path)) == 6  # only the three trimmed cells were fitted
    same = b[b["trim"] == "none"].drop(columns="trim").reset_index(drop=True)
    pd.testing.assert_frame_equal(same[a.columns], a, check_exact=True)
    shared = tb[tb["trim"] == "none"].drop(columns="trim").reset_index(drop=True)
    pd.testing.assert_frame_equal(shared[ta.columns], ta, check_exact=True)
    assert (b.loc[b["trim"] == "drop", "n_obs"] < b.loc[b["trim"] == "none", "n_obs"].to_numpy()
            ).all()


def test_a_plugin_edit_that_keeps_the_sample_costs_no_refit(tmp_path, sample, plugin):
    p = plugin("trim", TRIM)
    f = frame(trim=["none", "drop"])
    run.run_slice(pd.DataFrame(), f, CFG, MAJORS, tmp_path)
    p.write_text(p.read_text() + "\n# a comment, and a reworded condition below\n"
                 .replace("below", "above"))
    cells.load_plugins([str(p)])
    store = cache.CellCache(tmp_path)
    run.run_slice(pd.DataFrame(), f, CFG, MAJORS, store)
    assert store.hits == len(f)
    # a plugin edit that changes the sample refits exactly the cells it changes
    plugin("trim", TRIM.replace("> 0.5", "> 0.6"))
    store = cache.CellCache(tmp_path)
    run.run_slice(pd.DataFrame(), f, CFG, MAJORS, store)
    assert store.hits == 3


def test_a_renamed_level_is_the_same_cell_content(tmp_path, sample, plugin):
    plugin("trim", TRIM.replace('level == "none"', 'level in ("none", "off")'))
    run.run_slice(pd.DataFrame(), frame(trim=["none"]), CFG, MAJORS, tmp_path)
    store = cache.CellCache(tmp_path)
    run.run_slice(pd.DataFrame(), frame(trim=["off"]), CFG, MAJORS, store)
    assert store.hits == 3


def test_plugins_get_the_cells_context(tmp_path, sample, plugin):
    plugin("floor", """
SEEN = []

@register("floor")
def floor(sample, level, context):
    SEEN.append((context.benchmark, dict(context.levels)))
    if level == "keep" or context.benchmark != "mmlu_pro":
        return sample
    return sample[sample["score"] > 0.5]
""")
    fn = cells.SAMPLE_DIMENSIONS["floor"]
    out, _ = run.run_slice(pd.DataFrame(), frame(floor=["keep", "drop"]), CFG, MAJORS)
    seen = fn.__globals__["SEEN"]
    assert {b for b, _ in seen} == {"mmlu_pro"}
    assert {lv["floor"] for _, lv in seen} == {"keep", "drop"}
    assert all(set(BASE) <= set(lv) for _, lv in seen)
    n = out.set_index(["sample", "floor"])["n_obs"]
    assert n[("full", "drop")] < n[("full", "keep")]


def test_a_baseline_level_that_changes_the_sample_stops_the_run_naming_the_plugin(
        sample, plugin):
    p = plugin("trim", TRIM.replace('level == "none"', 'level == "drop"'))
    with pytest.raises(ValueError) as e:
        run.run_slice(pd.DataFrame(), frame(trim=["none", "drop"]), CFG, MAJORS)
    msg = str(e.value)
    assert "'trim'" in msg and str(p) in msg and "baseline level 'none'" in msg
    assert "must return the sample unchanged" in msg


# --------------------------------------------------------------------------------------------
# the import graph


@pytest.mark.parametrize("script", sorted((REPO / "workflow" / "scripts").glob("*.py")),
                         ids=lambda p: p.stem)
def test_a_scripts_modules_match_the_standard_librarys_module_finder(script):
    assert imports.script_modules(script) == modulefinder_closure(script)


def test_the_fit_code_hash_moves_with_fitting_code_only(tmp_path):
    root = tmp_path / "saucegrid"
    shutil.copytree(imports.ROOT, root, ignore=shutil.ignore_patterns("__pycache__"))
    imports.direct_imports.cache_clear()
    h0 = imports.fit_code_hash(root)
    fit = imports.closure([imports.FIT_ENTRY], root)
    assert "saucegrid.estimation.estimate" in fit and "saucegrid.report.figures" not in fit
    (root / "report/figures.py").write_text((root / "report/figures.py").read_text() + "\n# edit\n")
    imports.direct_imports.cache_clear()
    assert imports.fit_code_hash(root) == h0
    est = root / "estimation/estimate.py"
    est.write_text(est.read_text() + "\n# edit\n")
    imports.direct_imports.cache_clear()
    assert imports.fit_code_hash(root) != h0
    imports.direct_imports.cache_clear()


# --------------------------------------------------------------------------------------------
# cleanup


def test_files_of_cells_no_longer_in_the_grid_are_removed(tmp_path):
    keep = "benchmark~a/link~v1"
    files = [f"{keep}/main.png", f"{keep}/construction~x/main.png",
             f"{keep}/construction~default/panel~paper/main.png", "benchmark~b/link~v1/main.png"]
    for f in files:
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f).write_text("x")
    (tmp_path / "logs" / "benchmark~a").mkdir(parents=True)
    (tmp_path / "logs" / f"{keep}.log").write_text("x")
    (tmp_path / "logs" / "benchmark~a" / "link~v2.log").write_text("x")
    gone = cleanup.remove_stale_cells(tmp_path, {keep, f"{keep}/construction~x",
                                                 "logs/benchmark~a/link~v1"})
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
                  if p.is_file())
    assert gone == 3
    assert left == sorted([f"{keep}/main.png", f"{keep}/construction~x/main.png",
                           f"logs/{keep}.log"])
    assert not (tmp_path / "benchmark~b").exists()  # empty folders go too


def test_cache_prune_removes_entries_the_latest_run_did_not_use(tmp_path, sample, capsys):
    folder = tmp_path / "results" / "grid" / "cache"
    store = cache.CellCache(folder)
    run.run_slice(pd.DataFrame(), frame(), CFG, MAJORS, store)
    run.run_slice(pd.DataFrame(), frame(link=["v0.7"]), CFG, MAJORS, folder)
    assert len(cache.entries(folder)) == 6
    assert cli.main(["cache", "prune", str(tmp_path / "results")]) == 2  # no key list yet
    assert "cache_keys.txt is missing" in capsys.readouterr().err
    (folder.parent / cache.KEYS_FILE).write_text("\n".join(store.used) + "\n")
    assert cli.main(["cache", "prune", str(tmp_path / "results"), "--dry-run"]) == 0
    assert "would remove 3 entries" in capsys.readouterr().out
    assert len(cache.entries(folder)) == 6
    assert cli.main(["cache", "prune", str(tmp_path / "results")]) == 0
    assert "removed 3 entries" in capsys.readouterr().out
    assert {p.stem for p in cache.entries(folder)} == set(store.used)
