import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent
# the full-grid end-to-end runs bootstrap with fewer draws than the default 9,999 (faster CI);
# runs from a config file (the small grids) keep the default
E2E_WCR_DRAWS = 999


def pytest_addoption(parser):
    parser.addoption(
        "--raw-dir",
        default=os.environ.get("SAUCEGRID_RAW_DIR", str(REPO / "data" / "raw")),
        help="folder holding the raw public inputs (a mirror); default $SAUCEGRID_RAW_DIR "
        "or data/raw",
    )


DEFAULT_RAW = REPO / "data" / "raw"


@pytest.fixture(scope="session")
def raw_dir(request) -> Path:
    """The raw inputs of the end-to-end tests. Under the default data/raw, missing files are
    downloaded from their pinned URLs and checked against their sha256, as the workflow does;
    any other folder (a mirror) must be complete."""
    import yaml

    from saucegrid import io

    p = Path(request.config.getoption("--raw-dir")).resolve()
    files = yaml.safe_load((REPO / "config.yaml").read_text())["raw_files"]
    missing = {k: f for k, f in files.items() if not (p / f["path"]).is_file()}
    if missing and p == DEFAULT_RAW.resolve():
        try:
            for f in missing.values():
                io.download(f["url"], p / f["path"], f["sha256"])
        except io.InputError as e:
            pytest.fail(f"{e} (offline: pass --raw-dir=DIR, e.g. ../shared/data/raw)")
    elif missing:
        pytest.fail(
            f"the end-to-end tests need the raw inputs, and {p} lacks "
            f"{sorted(f['path'] for f in missing.values())}. Pass --raw-dir=DIR pointing at a "
            "complete mirror, or leave it at the default (data/raw), which downloads them."
        )
    return p


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


def snakemake(repo: Path, workdir: Path, *args: str, raw_dir: Path | str):
    """Run the workflow of repo in workdir on the raw inputs in raw_dir."""
    cmd = [sys.executable, "-m", "snakemake", *args, "-s", str(repo / "Snakefile"),
           "--configfile", str(repo / "config.yaml"), "--directory", str(workdir), "--cores",
           "2", "--config", f"raw_dir={raw_dir}", f"wcr={{draws: {E2E_WCR_DRAWS}}}"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=1800,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"})


@pytest.fixture(scope="session")
def run(repo, raw_dir, tmp_path_factory):
    """One full workflow run on the real mirrored data, shared by the end-to-end tests."""
    wd = tmp_path_factory.mktemp("e2e")
    r = snakemake(repo, wd, raw_dir=raw_dir)
    assert r.returncode == 0, r.stderr[-4000:]
    return wd
