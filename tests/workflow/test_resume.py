"""A run killed half-way is resumed (after --unlock, with --rerun-incomplete) to the same result
as a clean run."""

import os
import signal
import subprocess
import sys
import time

import pytest
import yaml

pytestmark = pytest.mark.workflow

GRID = {"benchmark": ["mmlu_pro"], "link": ["v1.0"], "time": ["tri"],
        "devset": ["paper"], "sample": ["full", "major"], "interaction": ["none"],
        "construction": ["default"]}
TARGET = "results/grid/summary.md"


def _cmd(repo, workdir, cfg, *extra):
    return [sys.executable, "-m", "snakemake", TARGET, "results/run.json", "-s",
            str(repo / "Snakefile"), "--configfile", str(cfg), "--directory", str(workdir),
            "--cores", "2", *extra]


def _config(repo, tmp_path, raw_dir):
    cfg = yaml.safe_load((repo / "config.yaml").read_text())
    cfg["grid"]["dimensions"] = GRID
    cfg["grid"]["slice_by"] = ["benchmark", "construction"]
    cfg["grid"].pop("sub_grids")  # its benchmarks are not in this grid
    cfg["raw_dir"] = str(raw_dir)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    return path


def test_killed_run_resumes_to_the_clean_result(repo, raw_dir, tmp_path):
    cfg = _config(repo, tmp_path, raw_dir)
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    for d in (clean, killed):
        d.mkdir()
    r = subprocess.run(_cmd(repo, clean, cfg), capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]

    # start the same run and kill it (SIGKILL, the whole process group) once the candidates
    # are written: the grid is not built yet, and Snakemake holds the job as incomplete
    p = subprocess.Popen(_cmd(repo, killed, cfg), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    t0 = time.time()
    while not (killed / "results/data/models.parquet").exists() and time.time() - t0 < 300:
        if p.poll() is not None:
            break
        time.sleep(0.05)
    assert p.poll() is None, "the run finished before it could be killed"
    os.killpg(p.pid, signal.SIGKILL)
    p.wait(timeout=60)
    assert not (killed / TARGET).exists()

    again = subprocess.run(_cmd(repo, killed, cfg), capture_output=True, text=True,
                           timeout=900)
    said = again.stdout + again.stderr  # a stale lock, or a job cut off mid-way
    assert again.returncode != 0 and ("--unlock" in said or "--rerun-incomplete" in said)
    u = subprocess.run(_cmd(repo, killed, cfg, "--unlock"), capture_output=True, text=True,
                       timeout=300)
    assert u.returncode == 0, u.stderr[-2000:]
    r = subprocess.run(_cmd(repo, killed, cfg, "--rerun-incomplete"), capture_output=True,
                       text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    d = subprocess.run([sys.executable, "-m", "saucegrid.cli", "diff", str(clean), str(killed),
                        "--rtol", "0", "--atol", "0"], capture_output=True, text=True,
                       timeout=600)
    assert d.returncode == 0, d.stdout[-3000:] + d.stderr
