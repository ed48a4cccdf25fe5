"""The raw public inputs as files: where they live, one check of all of them, and a fresh fetch.

The inputs ship with the project under ``data/raw/`` (``raw_dir``'s default), byte-identical to
their pinned upstream URLs; ``config.yaml``'s ``raw_files:`` gives each one's path under
``raw_dir``, sha256 and URL. :func:`check` runs before any job (``rules/common.smk``) and reports
every missing or altered file in one message; :func:`fetch` (``saucegrid fetch DIR``) downloads
every input again from its pinned URL into a folder of the user's choice and verifies it.

Imports nothing heavy: the Snakefile calls :func:`check` on every start.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from saucegrid.fileio import InputError, download, sha256_file

DEFAULT_DIR = "data/raw"


def resolve(raw_dir: str | os.PathLike, base: str | os.PathLike) -> Path:
    """raw_dir as a path: absolute as given, a relative one against the project folder ``base``
    (where config.yaml and the Snakefile live), whatever the working directory."""
    p = Path(os.path.expanduser(str(raw_dir)))
    return p if p.is_absolute() else Path(base) / p


def problems(raw_dir: str | os.PathLike, files: Mapping[str, Mapping]) -> list[str]:
    """One line per raw input that is missing under raw_dir or differs from its pinned sha256."""
    out = []
    for name, f in sorted(files.items()):
        path = Path(raw_dir) / f["path"]
        if not path.is_file():
            out.append(f"{name}: {f['path']} is missing")
            continue
        got = sha256_file(path)
        if got != f["sha256"]:
            out.append(f"{name}: {f['path']} has sha256 {got[:12]}…, config.yaml pins "
                       f"{f['sha256'][:12]}… (not the pinned version)")
    return out


def check(raw_dir: str | os.PathLike, files: Mapping[str, Mapping], shipped: bool) -> None:
    """Raise one InputError naming every missing or altered raw input, with the fix."""
    bad = problems(raw_dir, files)
    if not bad:
        return
    if shipped:
        fix = ("restore the shipped files with `git checkout -- data/raw`, or download them "
               "again with `saucegrid fetch data/raw` (never edit a raw input)")
    else:
        fix = (f"complete the folder with `saucegrid fetch {raw_dir}` (downloads every input from "
               "its pinned URL and checks it), or drop --config raw_dir=… to use the inputs "
               "shipped in data/raw")
    raise InputError(raw_dir, f"{len(bad)} of {len(files)} raw inputs are not usable:\n  - "
                     + "\n  - ".join(bad), fix)


def fetch(dest: str | os.PathLike, files: Mapping[str, Mapping], *, force: bool = False,
          progress: Callable[[str], None] = print) -> list[str]:
    """Download every raw input from its pinned URL into dest (same relative paths), verifying
    each sha256 before the file takes its final name. A file already there with the pinned
    sha256 is kept unless force. Every failure is collected and raised together at the end;
    the files fetched before it stay (each one complete and verified). Returns the paths
    written."""
    dest = Path(dest)
    written, failed = [], []
    for name, f in sorted(files.items()):
        path = dest / f["path"]
        if not force and path.is_file() and sha256_file(path) == f["sha256"]:
            progress(f"{name}: {path} already verified, kept")
            continue
        progress(f"{name}: downloading {f['url']}")
        try:
            download(f["url"], path, f["sha256"])
        except InputError as e:
            failed.append(f"{name}: {e.problem}")
            continue
        written.append(str(path))
        progress(f"{name}: {path} verified (sha256 {f['sha256'][:12]}…)")
    if failed:
        raise InputError(dest, f"{len(failed)} of {len(files)} raw inputs could not be "
                         "fetched:\n  - " + "\n  - ".join(failed),
                         "run on a machine that reaches the URLs, or use the inputs shipped in "
                         "data/raw (the default raw_dir)")
    return written
