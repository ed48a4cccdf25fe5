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


@pytest.fixture(scope="session")
def raw_dir(request) -> Path:
    p = Path(request.config.getoption("--raw-dir")).resolve()
    marker = p / "oll_v2_fboulnois" / "huggingface_v2_2025-03-21.csv"
    if not marker.is_file():
        pytest.fail(
            f"the end-to-end tests need the raw inputs, and {marker} is missing. Pass "
            "--raw-dir=DIR (e.g. ../shared/data/raw) or run the workflow once to download them."
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
