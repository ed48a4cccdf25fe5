import modulefinder
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent
# the full-grid end-to-end runs bootstrap with fewer draws than the default 9,999 (faster CI),
# and the findings ledger with 199 bootstrap and compute draws (the default 999); runs from a
# config file (the small grids) keep the defaults
E2E_WCR_DRAWS = 999
E2E_FINDINGS_DRAWS = 199


def pytest_addoption(parser):
    parser.addoption(
        "--raw-dir",
        default=os.environ.get("SAUCEGRID_RAW_DIR", str(REPO / "data" / "raw")),
        help="folder holding the raw public inputs; default $SAUCEGRID_RAW_DIR, else the "
        "inputs shipped in data/raw",
    )


@pytest.fixture(scope="session")
def raw_dir(request) -> Path:
    """The raw inputs of the end-to-end tests: the shipped data/raw unless --raw-dir names
    another folder, which must hold every input with its pinned sha256."""
    import yaml

    from saucegrid import fileio
    from saucegrid.data import raw_inputs

    p = Path(request.config.getoption("--raw-dir")).resolve()
    files = yaml.safe_load((REPO / "config.yaml").read_text())["raw_files"]
    try:
        raw_inputs.check(p, files, shipped=p == (REPO / "data" / "raw").resolve())
    except fileio.InputError as e:
        pytest.fail(f"the end-to-end tests need every raw input. {e} (pytest's own flag: "
                    "--raw-dir=DIR, or leave it out to use data/raw)")
    return p


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


SHIPPED_RAW = (REPO / "data" / "raw").resolve()


def project_copy(dest: Path) -> Path:
    """A copy of the project as a fresh clone would have it (tracked and untracked, unignored
    files; no results), in which commands run as README shows them."""
    git = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                         capture_output=True)
    if git.returncode == 0:
        files = [f for f in git.stdout.decode().split("\0") if f]
    else:  # an exported tree without .git
        skip = {"results", ".snakemake", ".venv", ".git", ".pytest_cache", "__pycache__"}
        files = [str(p.relative_to(REPO)) for p in REPO.rglob("*")
                 if p.is_file() and not skip & set(p.relative_to(REPO).parts)]
    for f in files:
        if (REPO / f).is_file():  # a deleted, not yet committed file is listed too
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / f, dest / f)
    return dest


def snakemake(repo: Path, workdir: Path, *args: str, raw_dir: Path | str | None = None):
    """Run the workflow on the raw inputs in raw_dir (None or the shipped data/raw: no flag).
    In a project copy (a workdir with its own Snakefile) it runs there as a user would; any
    other workdir runs repo's Snakefile with --directory."""
    where = ([] if (workdir / "Snakefile").is_file() else
             ["-s", str(repo / "Snakefile"), "--configfile", str(repo / "config.yaml"),
              "--directory", str(workdir)])
    config = [f"wcr={{draws: {E2E_WCR_DRAWS}}}",
              f"findings={{bootstrap_draws: {E2E_FINDINGS_DRAWS}, "
              f"compute_draws: {E2E_FINDINGS_DRAWS}}}"]
    if raw_dir is not None and Path(raw_dir).resolve() != SHIPPED_RAW:
        config.append(f"raw_dir={raw_dir}")
    cmd = [sys.executable, "-m", "snakemake", *args, *where, "--cores", "2", "--config",
           *config]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=1800, cwd=workdir,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"})


@pytest.fixture(scope="session")
def run(repo, raw_dir, tmp_path_factory):
    """One full workflow run on the real raw inputs, in a copy of the project (as README's
    quick start runs it, with B = E2E_WCR_DRAWS), shared by the end-to-end tests."""
    wd = project_copy(tmp_path_factory.mktemp("e2e"))
    r = snakemake(repo, wd, raw_dir=raw_dir)
    assert r.returncode == 0, r.stderr[-4000:]
    return wd


def modulefinder_closure(script: Path) -> set[str]:
    """The saucegrid modules a script runs, found independently of saucegrid.imports: the
    standard library's bytecode scanner, kept to the package."""
    from saucegrid import imports

    class Finder(modulefinder.ModuleFinder):
        def import_hook(self, name, caller=None, fromlist=None, level=-1):
            if level in (-1, 0) and name.split(".")[0] != imports.PACKAGE:
                return None
            return super().import_hook(name, caller, fromlist, level)

    f = Finder(path=[str(Path(script).resolve().parents[1])])
    f.run_script(str(script))
    return {m for m in f.modules if m.split(".")[0] == imports.PACKAGE}
