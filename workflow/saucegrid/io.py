"""Input/output: checked reading of raw and curated tables, checksums, downloads, atomic writes.

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
from dataclasses import dataclass, field
from pathlib import Path

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
            "leave raw_dir at its default (data/raw) to download it"
            + (f" from {url}" if url else "")
            + ", or pass --config raw_dir=DIR pointing at a complete mirror",
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
                "run on a machine that reaches the URL, or pass --config raw_dir=DIR "
                "pointing at a local mirror that holds the file",
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


# --------------------------------------------------------------------------------------------
# curated project tables (data/)


@dataclass
class Curated:
    """The project's hand-curated tables, validated."""

    base_model_tokens: pd.DataFrame
    lineage_links: pd.DataFrame
    family_patterns: pd.DataFrame
    developers: pd.DataFrame
    reasoning_models: pd.DataFrame
    external_scores: pd.DataFrame
    cross_source_links: pd.DataFrame
    leaderboard_backfill: pd.DataFrame
    paths: dict = field(default_factory=dict)


CURATED_FILES = {
    "base_model_tokens": "base_model_tokens.csv",
    "lineage_links": "lineage_links.csv",
    "family_patterns": "family_patterns.csv",
    "developers": "developers.csv",
    "reasoning_models": "reasoning_models.csv",
    "external_scores": "external_scores.csv",
    "cross_source_links": "cross_source_links.csv",
    "leaderboard_backfill": "leaderboard_backfill.csv",
}


def _check_regex(df: pd.DataFrame, col: str, path) -> None:
    import re

    for i, pat in df[col].items():
        try:
            re.compile(str(pat))
        except re.error as e:
            raise InputError(path, f"invalid regular expression {pat!r} ({e})",
                             "fix the pattern (Python re syntax)", row=line_of(i)) from None


def _check_bool(df: pd.DataFrame, col: str, path) -> pd.Series:
    s = df[col].astype(str).str.strip().str.lower()
    ok = s.isin(["true", "false"])
    if not ok.all():
        raise InputError(path, f"column {col!r} must be true or false, got "
                         f"{df.loc[~ok, col].tolist()[:5]}", "write true or false",
                         row=[line_of(i) for i in df.index[~ok]])
    return s.eq("true")


def _check_nonempty(df: pd.DataFrame, cols: Iterable[str], path, what: str) -> None:
    for c in cols:
        empty = df[c].isna() | df[c].astype(str).str.strip().eq("")
        if empty.any():
            raise InputError(path, f"{what}: column {c!r} is empty",
                             f"fill in {c!r} (every fact needs its value and its source)",
                             row=[line_of(i) for i in df.index[empty]])


def load_curated(data_dir: str | os.PathLike) -> Curated:
    """Load and validate every curated table in data_dir."""
    d = Path(data_dir)
    p = {k: d / v for k, v in CURATED_FILES.items()}

    tok = read_csv_checked(
        p["base_model_tokens"],
        ["base_model", "family", "params_b", "tokens_t", "is_estimate", "source"],
        key="base_model", what="base-model token table", dtype={"base_model": str},
    )
    _check_nonempty(tok, ["base_model", "source"], p["base_model_tokens"], "token table")
    require_positive(tok, "tokens_t", p["base_model_tokens"], "token table",
                     "pretraining tokens are in trillions and must be > 0")
    tok["tokens_t"] = tok["tokens_t"].astype(float)
    tok["is_estimate"] = _check_bool(tok, "is_estimate", p["base_model_tokens"])

    links = read_csv_checked(p["lineage_links"], ["model_id", "parent_id", "source"],
                             key="model_id", what="lineage links")
    _check_nonempty(links, ["model_id", "parent_id", "source"], p["lineage_links"],
                    "lineage links")
    known = set(tok["base_model"].str.lower())
    self_ref = links["model_id"].str.lower() == links["parent_id"].str.lower()
    if self_ref.any():
        raise InputError(p["lineage_links"], "a model is linked to itself",
                         "a link must name a different parent",
                         row=[line_of(i) for i in links.index[self_ref]])

    pats = read_csv_checked(p["family_patterns"], ["pattern", "base_model"],
                            what="family name patterns")
    _check_regex(pats, "pattern", p["family_patterns"])
    unknown = ~pats["base_model"].str.lower().isin(known)
    if unknown.any():
        raise InputError(p["family_patterns"],
                         f"pattern points at base model(s) not in base_model_tokens.csv: "
                         f"{pats.loc[unknown, 'base_model'].tolist()[:5]}",
                         "add the base model to data/base_model_tokens.csv or fix the name",
                         row=[line_of(i) for i in pats.index[unknown]])

    dev = read_csv_checked(p["developers"], ["alias", "developer", "source"], key="alias",
                           what="developer map")
    _check_nonempty(dev, ["alias", "developer"], p["developers"], "developer map")

    rsn = read_csv_checked(p["reasoning_models"], ["pattern", "source"],
                           what="reasoning-model list")
    _check_regex(rsn, "pattern", p["reasoning_models"])
    _check_nonempty(rsn, ["pattern", "source"], p["reasoning_models"], "reasoning-model list")

    ext = read_csv_checked(p["external_scores"], ["model", "benchmark", "score", "source"],
                           key=["model", "benchmark"], what="external scores")
    _check_nonempty(ext, ["model", "benchmark", "score", "source"], p["external_scores"],
                    "external scores")
    sc = pd.to_numeric(ext["score"], errors="coerce")
    bad = ~((sc > 0) & (sc < 1))
    if bad.any():
        raise InputError(p["external_scores"],
                         f"score must be a raw accuracy strictly between 0 and 1, got "
                         f"{ext.loc[bad, 'score'].tolist()[:5]}",
                         "write scores on the 0-1 scale (e.g. 0.726, not 72.6)",
                         row=[line_of(i) for i in ext.index[bad]])
    ext["score"] = sc

    xs = read_csv_checked(p["cross_source_links"],
                          ["source", "source_name", "relation", "target"],
                          key=["source", "source_name", "relation"],
                          what="cross-source links")
    badrel = ~xs["relation"].isin(["same_as_leaderboard", "lifearchitect_name"])
    if badrel.any():
        raise InputError(p["cross_source_links"], "unknown relation "
                         f"{xs.loc[badrel, 'relation'].tolist()[:3]}",
                         "use same_as_leaderboard or lifearchitect_name",
                         row=[line_of(i) for i in xs.index[badrel]])

    bf = read_csv_checked(p["leaderboard_backfill"], ["model_id", "field", "value", "source"],
                          key=["model_id", "field"], what="leaderboard backfill",
                          casefold=False)
    badf = ~bf["field"].isin(["upload_date", "base_model"])
    if badf.any():
        raise InputError(p["leaderboard_backfill"], "unknown field", "use upload_date or "
                         "base_model", row=[line_of(i) for i in bf.index[badf]])

    return Curated(tok, links, pats, dev, rsn, ext, xs, bf, paths={k: str(v) for k, v in p.items()})


# --------------------------------------------------------------------------------------------
# raw public inputs


LEADERBOARD_COLUMNS = {
    "id": "row_id",
    "model_name": "model_id",
    "model_precision": "precision",
    "model_type": "model_type",
    "model_has_chat_template": "chat_template",
    "evaluations_mmlu_pro_value": "mmlu_pro_raw",
    "evaluations_math_value": "math_l5_raw",
    "features_is_flagged": "flagged",
    "features_is_merged": "merged",
    "metadata_upload_date": "upload_date",
    "metadata_submission_date": "submission_date",
    "metadata_base_model": "base_model_field",
    "metadata_params_billions": "params_b",
}


def read_leaderboard(path) -> pd.DataFrame:
    df = read_csv_checked(path, LEADERBOARD_COLUMNS, key="id", what="Open LLM Leaderboard v2")
    df = df[list(LEADERBOARD_COLUMNS)].rename(columns=LEADERBOARD_COLUMNS)
    df["source_row"] = df.index.map(line_of)
    return df


def _match_columns(df: pd.DataFrame, wanted: dict[str, str], path, what: str) -> pd.DataFrame:
    """Select columns whose whitespace-free lower-case name starts with a wanted prefix."""
    norm = {c: "".join(str(c).split()).lower() for c in df.columns}
    out = {}
    for prefix, new in wanted.items():
        hits = [c for c, n in norm.items() if n.startswith(prefix)]
        if not hits:
            raise InputError(path, f"{what} lacks a column starting with {prefix!r}",
                             "use the pinned version of the file (check its sha256)")
        out[hits[0]] = new
    return df[list(out)].rename(columns=out)


LIFEARCHITECT_COLUMNS = {
    "model": "name",
    "lab": "lab",
    "parameters(b)": "params_b",
    "tokenstrained(b)": "tokens_b",
    "mmlu-pro": "mmlu_pro_pct",
    "announced": "announced",
}


def read_lifearchitect(path, skiprows: int = 0) -> pd.DataFrame:
    df = read_csv_checked(path, what="LifeArchitect models table", skiprows=skiprows)
    df.columns = [str(c).replace("\n", "") for c in df.columns]
    df = _match_columns(df, LIFEARCHITECT_COLUMNS, path, "LifeArchitect models table")
    df["source_row"] = df.index.map(lambda i: line_of(i) + skiprows)
    for c in ("params_b", "tokens_b", "mmlu_pro_pct"):
        df[c] = pd.to_numeric(df[c].astype(str).str.replace(",", "").str.strip(),
                              errors="coerce")
    df["name"] = df["name"].astype("string").str.strip()
    return df


def read_epoch_hub_math(path) -> pd.DataFrame:
    df = read_csv_checked(path, ["Model version", "mean_score", "Release date", "Organization"],
                          key="Model version", what="Epoch hub MATH Level 5")
    out = df.rename(columns={"Model version": "version", "mean_score": "math_l5_raw",
                             "Release date": "release_date", "Organization": "lab"})
    out["source_row"] = out.index.map(line_of)
    return out[["version", "math_l5_raw", "release_date", "lab", "source_row"]]


def read_epoch_model_versions(path) -> pd.DataFrame:
    df = read_csv_checked(path, ["id", "Model"], key="id", what="Epoch model versions",
                          encoding="utf-8-sig", casefold=False)
    return df[["id", "Model"]].rename(columns={"id": "version", "Model": "epoch_model"})


def read_epoch_all_models(path) -> pd.DataFrame:
    cols = ["Model", "Parameters", "Training dataset size (datapoints)"]
    df = read_csv_checked(path, cols, what="Epoch all AI models", low_memory=False)
    df = df[cols].rename(columns={"Model": "epoch_model", "Parameters": "params",
                                  "Training dataset size (datapoints)": "dataset_size"})
    df["source_row"] = df.index.map(line_of)
    return df.drop_duplicates("epoch_model", keep="first")


RAW_READERS = {
    "oll_v2": read_leaderboard,
    "lifearchitect_2025_02": read_lifearchitect,
    "lifearchitect_2026_03": lambda p: read_lifearchitect(p, skiprows=1),
    "epoch_hub_math_l5": read_epoch_hub_math,
    "epoch_model_versions": read_epoch_model_versions,
    "epoch_all_models": read_epoch_all_models,
}


def read_raw(paths: dict[str, str]) -> dict[str, pd.DataFrame]:
    """Read every raw input named in paths (name -> file) with its checked reader."""
    unknown = set(paths) - set(RAW_READERS)
    if unknown:
        raise KeyError(f"no reader for raw input(s) {sorted(unknown)}")
    return {name: RAW_READERS[name](p) for name, p in paths.items()}
