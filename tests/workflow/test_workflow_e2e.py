"""End-to-end: the real workflow on the real mirrored raw data, in a scratch work directory."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

pytestmark = pytest.mark.workflow


def snakemake(repo: Path, workdir: Path, *args: str, raw_dir: Path | str):
    cmd = [sys.executable, "-m", "snakemake", "-s", str(repo / "Snakefile"), "--configfile",
           str(repo / "config.yaml"), "--directory", str(workdir), "--cores", "2",
           "--config", f"raw_dir={raw_dir}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"})


@pytest.fixture(scope="module")
def run(repo, raw_dir, tmp_path_factory):
    wd = tmp_path_factory.mktemp("e2e")
    r = snakemake(repo, wd, raw_dir=raw_dir)
    assert r.returncode == 0, r.stderr[-4000:]
    return wd


def test_samples_hold_their_invariants(run, repo):
    cfg = yaml.safe_load((repo / "config.yaml").read_text())
    majors = set(cfg["developer_sets"][cfg["sample"]["devset"]])
    models = pd.read_parquet(run / "results/data/models.parquet")
    # every candidate is kept, with a reason when excluded
    assert models["included"].eq(models["exclusion_reason"].isna()).all()
    for b in ("mmlu_pro", "math_l5"):
        s = pd.read_parquet(run / f"results/data/sample_{b}.parquet")
        assert len(s) == int(models[f"included_{b}"].sum()) > 0
        assert s["model_id"].is_unique
        assert s["token_source"].notna().all()
        assert s[["period3", "quarter", "month_index", "developer", "cluster"]].notna().all().all()
        assert ((s["score"] > 0) & (s["score"] < 1)).all()
        assert np.isfinite(s["log10_flops"]).all()
        expected = np.log10(6 * s["params_b"] * 1e9 * s["tokens_t"] * 1e12)
        assert np.allclose(s["log10_flops"], expected, rtol=0, atol=1e-9)
        assert s["release_date"].between("2022-10-01", "2025-03-31").all()
        groups = set(s["developer_group"])
        assert groups <= majors | {"other-small", "other-medium", "other-large"}
        assert (s["cluster"] == s["developer"]).all()
        if b == "mmlu_pro":
            corr = (s["score_raw"] - 0.1) / 0.9
            assert np.allclose(s["score"], corr, rtol=0, atol=1e-12)
        else:
            assert np.array_equal(s["score"], s["score_raw"])
    cov = (run / "results/data/coverage.md").read_text()
    assert "| MMLU-Pro sample N" in cov and "809" in cov and "785" in cov


def test_noop_rerun_does_nothing(run, repo, raw_dir):
    r = snakemake(repo, run, "-n", raw_dir=raw_dir)
    assert r.returncode == 0
    assert "Nothing to be done" in r.stdout + r.stderr


def test_checksum_mismatch_stops_the_run_and_writes_nothing(repo, raw_dir, tmp_path):
    mirror = tmp_path / "mirror"
    shutil.copytree(raw_dir, mirror, symlinks=False,
                    ignore=shutil.ignore_patterns("*.md"))
    victim = mirror / "epoch_benchmarking_hub" / "hub_math_level_5.csv"
    victim.write_bytes(victim.read_bytes() + b"\n")
    wd = tmp_path / "wd"
    wd.mkdir()
    r = snakemake(repo, wd, raw_dir=mirror)
    assert r.returncode != 0
    out = r.stdout + r.stderr
    assert "sha256 mismatch" in out and "hub_math_level_5.csv" in out and "Fix:" in out
    assert not (wd / "results/data/models.parquet").exists()


def test_incomplete_mirror_fails_before_any_job(repo, tmp_path):
    wd = tmp_path / "wd"
    wd.mkdir()
    r = snakemake(repo, wd, raw_dir=tmp_path / "empty", )
    assert r.returncode != 0
    out = r.stdout + r.stderr
    assert "lacks 6 raw input(s)" in out and "Fix:" in out
    assert not (wd / "results").exists()
