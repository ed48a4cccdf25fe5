"""Every command README and the docs pages show runs as shown, in a copy of the project after a
full run.

The fenced ``bash`` blocks of README.md and of every ``docs/*.md`` page (README first, then the
pages in name order) are read command by command (``&&`` chains split). Each command must have a
check here, or the test fails and names it and its page:

- ``snakemake ...``: dry-run with ``-n`` (the report, the lint and the DAG, which have no
  dry-run, run for real; the SLURM profile is dry-run where its plugin is installed, and is run
  for real by ``tools/slurm-check.sh`` in CI);
- ``saucegrid fit`` / ``diff``, ``tar``, ``ruff``, ``snakefmt``: run for real;
- ``saucegrid fetch DIR``: run for real, with the pinned URLs served from the shipped files
  (no network here);
- the install and test commands (``python -m venv``, ``pip install``, ``python -m pytest``):
  ``.ci/run`` runs them verbatim, so the test checks that it does.
"""

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import pytest
import yaml

from saucegrid import cli

pytestmark = pytest.mark.workflow

FENCE = re.compile(r"^( *)```bash\n(.*?)^\1```", re.S | re.M)


def readme_commands(text: str) -> list[tuple[str, list[list[str]]]]:
    """(line, simple commands) for every command line of a markdown text's bash blocks; a
    simple command is its tokens, a pipeline is split at '|'."""
    out = []
    for m in FENCE.finditer(text):
        body = textwrap.dedent(m.group(2)).replace("\\\n", " ")
        for line in body.splitlines():
            lex = shlex.shlex(line, posix=True, punctuation_chars=True)
            lex.whitespace_split = True
            lex.commenters = "#"
            tokens = list(lex)
            if not tokens:
                continue
            cmds, cur = [], []
            for t in tokens:
                if t in ("&&", ";"):
                    cmds.append(cur)
                    cur = []
                else:
                    cur.append(t)
            cmds.append(cur)
            out.append((line.split("  #")[0].strip(), [c for c in cmds if c]))
    return out


REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()
# README and every docs page, README first: their bash blocks are all checked below (commands moved
# from README into docs/ stay tested); the quick-start check reads README alone.
PAGES = {"README.md": README} | {
    f"docs/{p.name}": p.read_text() for p in sorted((REPO / "docs").glob("*.md"))}
CI_RUN = (REPO / ".ci" / "run").read_text()
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def test_readme_has_the_two_quick_start_commands_and_ci_runs_them_verbatim():
    lines = [line for line, _ in readme_commands(README)]
    quick = ["python -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' && "
             "snakemake --cores 2", "python -m pytest"]
    assert lines[:2] == quick
    ci_lines = [line.strip() for line in CI_RUN.splitlines()]
    for q in quick:
        assert q in ci_lines, f".ci/run does not run README's command verbatim: {q}"
    assert "raw_dir" not in CI_RUN and "--raw-dir" not in CI_RUN and "shared" not in CI_RUN


def sh(args, cwd, **kw):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"}, **kw)


def snakemake_cmd(tokens, run, tmp_path, pipe):
    args = tokens[1:]
    smk = [sys.executable, "-m", "snakemake"]
    if "--report" in args:  # no dry-run: build the report of the finished run
        r = sh(smk + args, run)
        assert r.returncode == 0, r.stderr[-3000:]
        assert (run / args[args.index("--report") + 1]).stat().st_size > 100_000
        return
    if "--lint" in args:  # exits 1 by design: every lint must be the conda/container one
        r = sh(smk + args, run)
        kinds = set(re.findall(r"^\s+\* (.+?):\s*$", r.stdout + r.stderr, re.M))
        assert r.returncode == 1 and kinds == {
            "Specify a conda environment or container for each rule."}, r.stdout[-3000:]
        return
    if "--dag" in args:
        r = sh(smk + args, run)
        assert r.returncode == 0 and r.stdout.startswith("digraph"), r.stderr[-3000:]
        if pipe:
            dot = shutil.which("dot")
            if dot is None and ON_CI:
                pytest.fail("graphviz's dot is missing under CI (.ci/run installs it)")
            if dot is not None:
                cmd, target = (pipe[:pipe.index(">")], pipe[pipe.index(">") + 1]) if (
                    ">" in pipe) else (pipe, None)
                d = subprocess.run([dot, *cmd[1:]], input=r.stdout.encode(),
                                   capture_output=True, cwd=run, timeout=120)
                assert d.returncode == 0 and d.stdout.startswith(b"\x89PNG")
                if target:
                    (run / target).write_bytes(d.stdout)
        return
    if "--profile" in args and "slurm" in args[args.index("--profile") + 1]:
        if importlib.util.find_spec("snakemake_executor_plugin_slurm") is None:
            check = (REPO / "tools" / "slurm-check.sh").read_text()
            assert '--profile "$REPO/profiles/slurm"' in check  # run for real in CI
            return
    r = sh(smk + args + ["-n"], run)
    assert r.returncode == 0, f"{' '.join(tokens)} -n failed:\n{r.stderr[-3000:]}"


def fetch_cmd(tokens, run, monkeypatch):
    """saucegrid fetch DIR, in-process, with each pinned URL served from the shipped copy."""
    files = yaml.safe_load((run / "config.yaml").read_text())["raw_files"]
    local = {f["url"]: (run / "data" / "raw" / f["path"]).as_uri() for f in files.values()}
    real = urllib.request.urlopen
    monkeypatch.setattr(urllib.request, "urlopen",
                        lambda url, *a, **k: real(local[url], *a, **k))
    monkeypatch.chdir(run)
    dest = Path(tokens[2])
    existed = dest.exists()
    assert cli.main(tokens[1:]) == 0
    return None if existed else dest


def documented_commands() -> list[tuple[str, str, list[list[str]]]]:
    """(page, line, simple commands) for every command line of README's and the docs pages'
    bash blocks, in page order."""
    return [(page, line, cmds) for page, text in PAGES.items()
            for line, cmds in readme_commands(text)]


# the commands the run test below has a check for (a pipeline's tail is checked by its head's)
CHECKED = ("snakemake", "saucegrid", "tar", "ruff", "snakefmt", "python", "pip", ".")


def test_every_documented_command_has_a_check():
    """No run needed: README and the docs pages are read, and every command they show starts
    with one the run test checks (it fails on any other, but only after a full run)."""
    found = documented_commands()
    pages = {page for page, _, _ in found}
    assert "README.md" in pages and any(p.startswith("docs/") for p in pages), pages
    unchecked = [f"{page}: {line}" for page, line, cmds in found for tokens in cmds
                 if tokens[0] not in CHECKED]
    assert not unchecked, f"commands the run test cannot check: {unchecked}"


def test_every_readme_command_runs_as_shown(run, tmp_path, monkeypatch):
    handled, made = [], []
    try:
        for page, line, cmds in documented_commands():
            for tokens in cmds:
                pipe = None
                if "|" in tokens:
                    i = tokens.index("|")
                    tokens, pipe = tokens[:i], tokens[i + 1:]
                head = tokens[0]
                if head == "snakemake":
                    snakemake_cmd(tokens, run, tmp_path, pipe)
                elif tokens[:2] == ["saucegrid", "fetch"]:
                    made.append(fetch_cmd(tokens, run, monkeypatch))
                elif head in ("saucegrid", "tar", "ruff", "snakefmt"):
                    r = sh(tokens, run)
                    assert r.returncode == 0, (
                        f"{page}: {line}:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
                elif head in ("python", "pip", "."):
                    assert any(line in ci for ci in CI_RUN.splitlines()) or (
                        " ".join(tokens) in CI_RUN), f".ci/run does not run ({page}): {line}"
                else:
                    pytest.fail(f"{page} shows a command this test cannot check: {line!r}. "
                                "Add a check for it here.")
                handled.append(" ".join(tokens))
    finally:
        for d in made:
            if d is not None:
                shutil.rmtree(d, ignore_errors=True)
    assert len(handled) >= 15 and any("fetch" in h for h in handled)
