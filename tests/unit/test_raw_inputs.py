"""The raw inputs ship in data/raw, are checked all at once, and can be fetched again."""

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from saucegrid import cli, fileio
from saucegrid.data import raw_inputs

REPO = Path(__file__).resolve().parents[2]
FILES = yaml.safe_load((REPO / "config.yaml").read_text())["raw_files"]
SHIPPED = REPO / "data" / "raw"


def test_every_raw_input_is_tracked_by_git_and_matches_its_pinned_sha256():
    git = subprocess.run(["git", "ls-files", "data/raw"], cwd=REPO, capture_output=True,
                         text=True)
    tracked = git.stdout.split()
    if git.returncode != 0:  # an exported tree without .git: the files must still be there
        tracked = [str(p.relative_to(REPO)) for p in SHIPPED.rglob("*") if p.is_file()]
    for name, f in FILES.items():
        assert f"data/raw/{f['path']}" in tracked, f"{name} is not shipped in data/raw"
        assert hashlib.sha256((SHIPPED / f["path"]).read_bytes()).hexdigest() == f["sha256"]
    folders = {f["path"].split("/")[0] for f in FILES.values()}
    for d in folders:
        note = SHIPPED / d / "PROVENANCE.md"
        assert f"data/raw/{d}/PROVENANCE.md" in tracked and "http" in note.read_text()
    assert raw_inputs.problems(SHIPPED, FILES) == []


def test_relative_raw_dir_is_read_from_the_project_folder(tmp_path):
    assert raw_inputs.resolve("data/raw", REPO) == REPO / "data" / "raw"
    assert raw_inputs.resolve(tmp_path, REPO) == tmp_path


def mirror(tmp_path, names):
    """A copy of some shipped inputs, and the raw_files entries of all of them."""
    for n in names:
        dst = tmp_path / FILES[n]["path"]
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHIPPED / FILES[n]["path"], dst)
    return tmp_path


def test_every_missing_or_altered_input_is_named_in_one_error(tmp_path):
    names = sorted(FILES)
    d = mirror(tmp_path, names[2:])
    with open(d / FILES[names[3]]["path"], "ab") as fh:
        fh.write(b"\n")
    with pytest.raises(fileio.InputError) as e:
        raw_inputs.check(d, FILES, shipped=False)
    msg = str(e.value)
    assert f"3 of {len(FILES)} raw inputs are not usable" in msg
    for n in names[:2]:
        assert f"{n}: {FILES[n]['path']} is missing" in msg
    assert f"{names[3]}: {FILES[names[3]]['path']} has sha256" in msg
    assert f"saucegrid fetch {d}" in msg and msg.rstrip().endswith("data/raw.")
    with pytest.raises(fileio.InputError, match="git checkout -- data/raw"):
        raw_inputs.check(d, FILES, shipped=True)


def file_urls(files):
    """The raw_files entries with each URL pointing at the shipped copy (no network)."""
    return {n: {**f, "url": (SHIPPED / f["path"]).as_uri()} for n, f in files.items()}


def test_fetch_downloads_verifies_and_keeps_what_is_already_verified(tmp_path):
    small = {n: f for n, f in file_urls(FILES).items() if n.startswith(("epoch_hub", "life"))}
    dest = tmp_path / "fresh"
    said = []
    written = raw_inputs.fetch(dest, small, progress=said.append)
    assert len(written) == len(small) and raw_inputs.problems(dest, small) == []
    assert sum("downloading" in m for m in said) == len(small)
    said.clear()
    assert raw_inputs.fetch(dest, small, progress=said.append) == []
    assert all("already verified, kept" in m for m in said)
    assert len(raw_inputs.fetch(dest, small, force=True, progress=said.append)) == len(small)


def test_fetch_reports_every_failure_at_once_and_leaves_no_partial_file(tmp_path):
    files = {n: f for n, f in file_urls(FILES).items() if n.startswith(("epoch", "life"))}
    names = sorted(files)
    files[names[0]] = {**files[names[0]], "url": (tmp_path / "nowhere.csv").as_uri()}
    files[names[1]] = {**files[names[1]], "sha256": "0" * 64}
    dest = tmp_path / "fresh"
    with pytest.raises(fileio.InputError) as e:
        raw_inputs.fetch(dest, files, progress=lambda m: None)
    msg = str(e.value)
    assert f"2 of {len(files)} raw inputs could not be fetched" in msg
    assert names[0] in msg and names[1] in msg and "sha256 mismatch" in msg
    for n in names[:2]:
        assert not (dest / files[n]["path"]).exists()
    assert raw_inputs.problems(dest, {n: files[n] for n in names[2:]}) == []
    leftovers = [p.name for p in dest.rglob("*") if p.name.startswith(".")]
    assert leftovers == []


def test_fetch_command(tmp_path, capsys):
    cfg = tmp_path / "config.yaml"
    small = {n: f for n, f in file_urls(FILES).items() if n.startswith("epoch_hub")}
    cfg.write_text(yaml.safe_dump({"raw_files": small}))
    dest = tmp_path / "raw"
    assert cli.main(["fetch", str(dest), "--configfile", str(cfg)]) == 0
    assert f"raw_dir={dest}" in capsys.readouterr().err
    bad = {n: {**f, "sha256": "1" * 64} for n, f in small.items()}
    cfg.write_text(yaml.safe_dump({"raw_files": bad}))
    assert cli.main(["fetch", str(tmp_path / "raw2"), "--configfile", str(cfg)]) == 2
    assert "could not be fetched" in capsys.readouterr().err
