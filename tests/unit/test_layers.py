"""The package's folders are the pipeline's stages, and imports point down them only:
data -> estimation -> grid -> report -> the features (out of sample, findings, diff) -> cli."""

from pathlib import Path

from saucegrid import imports


def test_imports_point_down_the_stages_only():
    assert imports.layer_violations() == []


def test_no_import_cycles():
    assert imports.cycles() == []


def test_every_part_of_the_package_has_a_stage():
    parts = {imports.part_of(m) for m in imports.modules()} - {None}
    assert parts == set(imports.STAGES)


def write(root: Path, rel: str, text: str = "") -> None:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)


def test_the_checks_catch_an_upward_import_a_sideways_one_and_a_cycle(tmp_path):
    root = tmp_path / "saucegrid"
    for pkg in ("", "data/", "estimation/", "findings/", "diff/"):
        write(root, pkg + "__init__.py")
    write(root, "data/raw.py", "from saucegrid.estimation import specs\n")  # up
    write(root, "estimation/specs.py", "def f():\n    from saucegrid.data import raw\n")
    write(root, "findings/a.py", "from saucegrid.diff import b\n")  # sideways
    write(root, "diff/b.py", "from ..data import raw\n")  # down: fine
    imports.direct_imports.cache_clear()
    try:
        bad = imports.layer_violations(root)
        cyc = imports.cycles(root)
    finally:
        imports.direct_imports.cache_clear()
    assert bad == [
        "saucegrid.data.raw (stage 1, data) imports saucegrid.estimation.specs (stage 2, "
        "estimation)",
        "saucegrid.findings.a (stage 5, findings) imports saucegrid.diff.b (stage 5, diff)",
    ]
    assert cyc == [["saucegrid.data.raw", "saucegrid.estimation.specs"]]
