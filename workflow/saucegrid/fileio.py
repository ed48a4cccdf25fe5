"""File input/output: errors that name the file, row and fix; checksums, downloads, atomic
writes, checked CSV reading. Formatting numbers and markdown is :mod:`saucegrid.formatting`;
the curated tables are loaded by :mod:`saucegrid.data.curated`, the raw public inputs by
:mod:`saucegrid.data.raw`.

Every reader here turns a malformed input into an :class:`InputError` that names the file, the row
(1-based line number in the file, header = line 1) and the fix. Every writer writes to a temporary
file in the destination folder and renames it into place, so a failure never leaves a half-written
output behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where it is used: verify_raw needs none of it
    import pandas as pd


class InputError(Exception):
    """A problem with an input file, reported with the file, the row and the fix."""

    def __init__(self, path, problem: str, fix: str, row: int | Iterable[int] | None = None):
        self.path = str(path)
        self.problem = problem
        self.fix = fix
        if row is None or isinstance(row, int):
            self.rows = [] if row is None else [row]
        else:
            self.rows = list(row)
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:10])
            more = f" (+{len(self.rows) - 10} more)" if len(self.rows) > 10 else ""
            label = "row" if len(self.rows) == 1 else "rows"
            where += f", {label} {shown}{more}"
        if "\n" in self.problem:  # a list of problems: the fix on a line of its own
            return f"{where}: {self.problem.rstrip()}\nFix: {self.fix}."
        return f"{where}: {self.problem}. Fix: {self.fix}"


# --------------------------------------------------------------------------------------------
# checksums and downloads


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify_sha256(path: str | os.PathLike, expected: str, url: str | None = None) -> str:
    """Check a file's sha256; raise InputError naming the file and the fix on a mismatch."""
    path = Path(path)
    if not path.is_file():
        raise InputError(
            path,
            "raw input file is missing",
            "restore the shipped inputs with `git checkout -- data/raw`, or download them again "
            "with `saucegrid fetch DIR`"
            + (f" (this one comes from {url})" if url else ""),
        )
    got = sha256_file(path)
    if got != expected:
        raise InputError(
            path,
            f"sha256 mismatch: expected {expected}, got {got}",
            "the file is not the pinned version; delete it and re-download it"
            + (f" from {url}" if url else "")
            + ", or restore it from the mirror (never edit raw inputs)",
        )
    return got


def download(url: str, dest: str | os.PathLike, sha256: str, timeout: float = 60.0) -> None:
    """Download url to dest, verifying sha256 before the file appears under its final name."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(dest) as tmp:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as r, open(tmp, "wb") as f:
                while chunk := r.read(1 << 20):
                    f.write(chunk)
        except OSError as e:  # URLError is an OSError
            raise InputError(
                dest,
                f"raw input is missing and could not be downloaded from {url} ({e})",
                "run on a machine that reaches the URL, or use the inputs shipped in data/raw "
                "(the default raw_dir)",
            ) from None
        verify_sha256(tmp, sha256, url)


# --------------------------------------------------------------------------------------------
# atomic writes


@contextlib.contextmanager
def atomic_path(dest: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside dest; rename it onto dest only if the block succeeds."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{dest.name}.", suffix=suffix or ".tmp", dir=dest.parent
    )
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text(path: str | os.PathLike, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def json_default(o):
    """json.dumps(default=...) for numpy scalars and timestamps."""
    if hasattr(o, "item"):  # numpy scalars
        return o.item()
    if hasattr(o, "isoformat"):
        return o.isoformat()
    raise TypeError(f"{type(o).__name__} is not JSON serializable")


def write_parquet(df: pd.DataFrame, path: str | os.PathLike) -> None:
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False)


def write_csv(df: pd.DataFrame, path: str | os.PathLike) -> None:
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, lineterminator="\n")


# --------------------------------------------------------------------------------------------
# checked CSV reading


def line_of(index: int) -> int:
    """File line number of a 0-based data row (header is line 1)."""
    return int(index) + 2


def read_csv_checked(
    path: str | os.PathLike,
    required: Iterable[str] = (),
    *,
    key: str | list[str] | None = None,
    what: str = "table",
    casefold: bool = True,
    **kwargs,
) -> pd.DataFrame:
    """Read a CSV; raise InputError for a malformed file, missing columns or duplicate keys."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, f"{what} file not found", f"create {path} or fix the path")
    import pandas as pd

    try:
        df = pd.read_csv(path, **kwargs)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as e:
        raise InputError(
            path,
            f"cannot parse {what} as CSV ({str(e).strip()})",
            "check the quoting and the number of fields on the named line; "
            "quote any field that contains a comma",
        ) from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(
            path,
            f"{what} lacks required column(s) {missing}; it has {list(df.columns)}",
            f"add the column(s) {missing} to the header",
        )
    if key is not None:
        keys = [key] if isinstance(key, str) else list(key)
        k = df[keys].astype(str).apply(
            lambda s: s.str.strip().str.lower() if casefold else s.str.strip())
        dup = k.duplicated(keep=False)
        if dup.any():
            rows = [line_of(i) for i in df.index[dup]]
            first = df.loc[dup, keys].iloc[0].tolist()
            raise InputError(
                path,
                f"duplicate {'/'.join(keys)} in {what} (e.g. {first}"
                + ("; keys compare case-insensitively)" if casefold else ")"),
                "keep one row per key",
                row=rows,
            )
    return df


def require_positive(df: pd.DataFrame, col: str, path, what: str, fix: str) -> None:
    import pandas as pd

    vals = pd.to_numeric(df[col], errors="coerce")
    bad = ~(vals > 0)
    if bad.any():
        raise InputError(
            path,
            f"{what}: column {col!r} must be a positive number, got "
            f"{df.loc[bad, col].tolist()[:5]}",
            fix,
            row=[line_of(i) for i in df.index[bad]],
        )
