"""Small pieces every source shares: periods, score correction, names, patterns, developers."""

from __future__ import annotations

import re

import pandas as pd

from saucegrid.data.curated import Curated

BENCHMARKS = ("mmlu_pro", "math_l5")  # the paper's
# the leaderboard's four other benchmarks, scored on its rows only (no other source has them);
# their outcome is the leaderboard's normalized score (see outcome())
LEADERBOARD_BENCHMARKS = ("ifeval", "bbh", "gpqa", "musr")
ALL_BENCHMARKS = BENCHMARKS + LEADERBOARD_BENCHMARKS

PERIOD3 = {  # (first quarter, last quarter) inclusive, by "YYYYQn" label
    "2022q4-2023q3": ("2022Q4", "2023Q3"),
    "2023q4-2024q2": ("2023Q4", "2024Q2"),
    "2024q3-2025q1": ("2024Q3", "2025Q1"),
}
OTHER_GROUPS = ("other-small", "other-medium", "other-large")

# every candidate row, whatever its source, has these columns; the token columns come once per
# token assignment (saucegrid.data.sample.options.TOKEN_KEYS)
TOKEN_FIELDS = ("token_base", "tokens_t", "token_source", "token_estimate", "token_method",
                "base_developer", "active_ratio")
CANDIDATE_COLUMNS = [
    "model_id", "name", "source", "source_file", "source_row", "developer_alias", "developer",
    "release_date", "release_date_source", "params_b", "params_source", "lineage",
    "is_reasoning", "reasoning_match", "is_reward_model", "reward_match", "merged",
    "mmlu_pro_raw", "mmlu_pro_source", "math_l5_raw", "math_l5_source", "duplicate_of",
    "flagged", "twin_leaderboard_id",
    *(f"{b}_{k}" for b in LEADERBOARD_BENCHMARKS for k in ("raw", "norm", "source")),
]


# --------------------------------------------------------------------------------------------
# time


def quarter_label(dates: pd.Series) -> pd.Series:
    d = pd.to_datetime(dates)
    out = d.dt.year.astype("Int64").astype(str) + "Q" + d.dt.quarter.astype("Int64").astype(str)
    return out.where(d.notna())


def period3(dates: pd.Series) -> pd.Series:
    q = quarter_label(dates)
    out = pd.Series(pd.NA, index=q.index, dtype="object")
    for label, (lo, hi) in PERIOD3.items():
        out[(q >= lo) & (q <= hi) & q.notna()] = label
    return out


def month_index(dates: pd.Series) -> pd.Series:
    """Months since October 2022 (2022-10 = 0)."""
    d = pd.to_datetime(dates)
    return ((d.dt.year - 2022) * 12 + d.dt.month - 10).astype("Int64")


# --------------------------------------------------------------------------------------------
# scores


def outcome(m: pd.DataFrame, benchmark: str, guess_rate: float = 0.1) -> pd.Series:
    """The score y in [0, 1] that the logit link takes, for every candidate row of m.

    MMLU-Pro and MATH Level 5 as the paper: :func:`corrected_score` of the raw accuracy. The
    leaderboard's other four: its own normalized score / 100, which subtracts each subtask's
    random baseline and rescales (IFEval, generative, has none: normalized = raw; GPQA's four
    options: (raw - 1/4) / (3/4)), then averages the subtasks and clips at 0. It needs the
    subtasks, so it is read, not recomputed; a row at or below the floor (0) cannot take a
    logit and is excluded, never clipped further. For MMLU-Pro the leaderboard's normalized
    score equals the paper's (raw - 0.1) / 0.9."""
    if benchmark in LEADERBOARD_BENCHMARKS:
        return m[f"{benchmark}_norm"].astype(float)
    return corrected_score(m[f"{benchmark}_raw"], benchmark, guess_rate)


def corrected_score(raw, benchmark: str, guess_rate: float = 0.1):
    """Guess-corrected score: MMLU-Pro y = (raw - g)/(1 - g); MATH L5 is generative, y = raw."""
    if benchmark == "mmlu_pro":
        return (raw - guess_rate) / (1.0 - guess_rate)
    if benchmark == "math_l5":
        return raw * 1.0
    raise ValueError(f"unknown benchmark {benchmark!r}")


# --------------------------------------------------------------------------------------------
# names and patterns


def strip_merge(s):
    if not isinstance(s, str):
        return None
    s = s.strip()
    if s.endswith(" (Merge)"):
        s = s[: -len(" (Merge)")].strip()
    return s or None


def short_name(model_id: str) -> str:
    return model_id.split("/", 1)[-1]


def norm_name(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(s).lower())


def compile_patterns(df: pd.DataFrame, target: str) -> list[tuple[re.Pattern, str]]:
    return [(re.compile(str(p), re.IGNORECASE), str(t))
            for p, t in df[["pattern", target]].itertuples(index=False)]


_ANY: dict = {}


def _any_of(patterns: list[tuple[re.Pattern, str]]):
    """One regex that matches wherever any of the patterns does (None if they cannot be
    joined), so a name that matches none is rejected in one search. Cached per list object
    (the entry holds the list, so its id cannot be reused while cached)."""
    hit = _ANY.get(id(patterns))
    if hit is not None and hit[0] is patterns:
        return hit[1]
    key = tuple(rx.pattern for rx, _ in patterns)
    try:
        rx = re.compile("|".join(f"(?:{p})" for p in key), re.IGNORECASE) if key else None
    except re.error:
        rx = None
    _ANY[id(patterns)] = (patterns, rx)
    return rx


def match_first(patterns: list[tuple[re.Pattern, str]],
                names: list[str]) -> tuple[str, str, str] | None:
    """First (pattern, target, name) whose regex matches one of names, names tried in order."""
    any_rx = _any_of(patterns)
    for name in names:
        if any_rx is not None and not any_rx.search(name):
            continue
        for rx, target in patterns:
            if rx.search(name):
                return rx.pattern, target, name
    return None


def flag_by_patterns(names_per_row: list[list[str]], patterns: list[tuple[re.Pattern, str]]
                     ) -> tuple[list[bool], list]:
    """Per row: does any name match any pattern, and the first match as 'name ~ /pattern/'."""
    flags, matches = [], []
    for names in names_per_row:
        hit = match_first(patterns, [n for n in names if isinstance(n, str)])
        flags.append(hit is not None)
        matches.append(f"{hit[2]} ~ /{hit[0]}/" if hit else None)
    return flags, matches


def reasoning_flags(names_per_row: list[list[str]], cur: Curated):
    pats = [(re.compile(str(p), re.IGNORECASE), str(p)) for p in cur.reasoning_models["pattern"]]
    return flag_by_patterns(names_per_row, pats)


# a reward model, process reward model or classifier by its name alone, beside the curated list
REWARD_NAME_RULE = r"(?<![a-z])(reward|prm|rm|orm|classifier)(?![a-z])"


def reward_flags(names: list[str], cur: Curated):
    pats = [(re.compile(str(p), re.IGNORECASE), str(p)) for p in cur.reward_models["pattern"]]
    pats.append((re.compile(REWARD_NAME_RULE, re.IGNORECASE), "name rule"))
    return flag_by_patterns([[short_name(n)] for n in names], pats)


# --------------------------------------------------------------------------------------------
# developers


def developer_lookup(cur: Curated) -> dict[str, str]:
    return {a.strip().lower(): d.strip()
            for a, d in cur.developers[["alias", "developer"]].itertuples(index=False)}


def developer_of_namespace(model_id: str, devmap: dict[str, str]) -> str:
    ns = model_id.split("/", 1)[0].strip().lower() if "/" in model_id else model_id.lower()
    return devmap.get(ns, ns)


def source_table_tokens(out: pd.DataFrame, tokens: pd.Series, source: pd.Series,
                        active_ratio: pd.Series, token_keys) -> pd.DataFrame:
    """Token fields of a secondary source, whose rows carry their own params and tokens: the
    same under every token assignment (the model is its own base)."""
    has = tokens.notna() & (tokens > 0)
    fields = {
        "token_base": out["name"].where(has, None),
        "tokens_t": tokens.where(has),
        "token_source": source.where(has, None),
        "token_estimate": pd.Series(True, index=out.index).where(has, None),
        "token_method": pd.Series("source_table", index=out.index).where(has, None),
        "base_developer": out["developer"].where(has, None),
        "active_ratio": active_ratio.where(has),
    }
    cols = {f"{f}_{k}": v.astype("object") if f not in ("tokens_t", "active_ratio")
            else v.astype(float) for k in token_keys for f, v in fields.items()}
    return pd.concat([out, pd.DataFrame(cols, index=out.index)], axis=1)


def moe_ratio_lookup(cur: Curated) -> dict[str, float]:
    """normalised model name -> active parameters (B), from data/moe_active_params.csv."""
    t = cur.moe_active_params
    return {norm_name(m): float(a) for m, a in t[["model", "active_params_b"]]
            .itertuples(index=False)}
