import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent


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
