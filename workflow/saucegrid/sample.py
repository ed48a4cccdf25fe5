"""Building the analysis sample from the raw public sources and the curated tables.

The construction has two stages.

1. :func:`build_candidates` turns every raw row into one candidate model with option-independent
   facts: release date, developer, params, the declared lineage chain, the token counts reachable
   under each ``token_assignment`` option, reasoning flags and raw scores, each with its provenance.
2. :func:`apply_options` decides, for one set of :class:`SampleOptions`, which candidates are
   included, and records the first failing reason for every excluded one. It is cheap, so the
   robustness grid can rebuild the sample for every construction in-process.

:func:`analysis_sample` then cuts the sample for one benchmark and adds developer groups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from .io import Curated

BENCHMARKS = ("mmlu_pro", "math_l5")

PERIOD3 = {  # (first quarter, last quarter) inclusive, by "YYYYQn" label
    "2022q4-2023q3": ("2022Q4", "2023Q3"),
    "2023q4-2024q2": ("2023Q4", "2024Q2"),
    "2024q3-2025q1": ("2024Q3", "2025Q1"),
}
OTHER_GROUPS = ("other-small", "other-medium", "other-large")


@dataclass(frozen=True)
class SampleOptions:
    window_start: str = "2022-10-01"
    window_end: str = "2025-03-31"
    token_assignment: str = "strict"
    reasoning: str = "exclude"
    precision_preference: tuple = ("bfloat16", "float16", "8bit", "4bit")
    mmlu_pro_guess_rate: float = 0.1
    size_group_quantiles: tuple = (1 / 3, 2 / 3)
    devset: str = "paper"

    @classmethod
    def from_config(cls, sample_cfg: dict, **overrides) -> SampleOptions:
        names = {f.name for f in fields(cls)}
        kw = {k: (tuple(v) if isinstance(v, list) else v) for k, v in sample_cfg.items()
              if k in names}
        kw.update(overrides)
        opts = cls(**kw)
        if opts.token_assignment not in ("strict", "broad"):
            raise ValueError(f"token_assignment must be strict or broad, got "
                             f"{opts.token_assignment!r}")
        if opts.reasoning not in ("exclude", "include"):
            raise ValueError(f"reasoning must be exclude or include, got {opts.reasoning!r}")
        return opts


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


def corrected_score(raw, benchmark: str, guess_rate: float = 0.1):
    """Guess-corrected score: MMLU-Pro y = (raw - g)/(1 - g); MATH L5 is generative, y = raw."""
    if benchmark == "mmlu_pro":
        return (raw - guess_rate) / (1.0 - guess_rate)
    if benchmark == "math_l5":
        return raw * 1.0
    raise ValueError(f"unknown benchmark {benchmark!r}")


# --------------------------------------------------------------------------------------------
# lineage and tokens


def strip_merge(s):
    if not isinstance(s, str):
        return None
    s = s.strip()
    if s.endswith(" (Merge)"):
        s = s[: -len(" (Merge)")].strip()
    return s or None


def parent_map(lb: pd.DataFrame, cur: Curated) -> dict[str, str]:
    """lower-case model id -> declared parent id.

    The leaderboard's Base Model field comes first ("Removed" replaced by the backfill); the
    curated lineage links fill in only where the leaderboard declares no other parent.
    """
    bf = cur.leaderboard_backfill
    bf_base = {m.lower(): v for m, v in
               bf.loc[bf["field"] == "base_model", ["model_id", "value"]].itertuples(index=False)}
    parents: dict[str, str] = {}
    for mid, field_val in lb[["model_id", "base_model_field"]].itertuples(index=False):
        p = strip_merge(field_val)
        if p == "Removed":
            p = strip_merge(bf_base.get(mid.lower()))
        if p and p.lower() != mid.lower():
            parents[mid.lower()] = p
    for mid, par in cur.lineage_links[["model_id", "parent_id"]].itertuples(index=False):
        parents.setdefault(mid.strip().lower(), par.strip())
    return parents


def lineage_chain(model_id: str, parents: dict[str, str], max_depth: int = 50) -> list[str]:
    """[model, parent, grandparent, ...] following declared parents; stops at cycles."""
    chain = [model_id]
    seen = {model_id.lower()}
    cur = model_id
    for _ in range(max_depth):
        p = parents.get(cur.lower())
        if p is None or p.lower() in seen:
            break
        chain.append(p)
        seen.add(p.lower())
        cur = p
    return chain


def short_name(model_id: str) -> str:
    return model_id.split("/", 1)[-1]


def match_first(patterns: list[tuple[re.Pattern, str]], names: list[str]) -> tuple[str, str] | None:
    """First (pattern, target) whose regex matches one of names, names tried in order."""
    for name in names:
        for rx, target in patterns:
            if rx.search(name):
                return rx.pattern, target
    return None


def compile_patterns(df: pd.DataFrame, target: str) -> list[tuple[re.Pattern, str]]:
    return [(re.compile(str(p), re.IGNORECASE), str(t))
            for p, t in df[["pattern", target]].itertuples(index=False)]


# --------------------------------------------------------------------------------------------
# developers


def developer_lookup(cur: Curated) -> dict[str, str]:
    return {a.strip().lower(): d.strip()
            for a, d in cur.developers[["alias", "developer"]].itertuples(index=False)}


def developer_of_namespace(model_id: str, devmap: dict[str, str]) -> str:
    ns = model_id.split("/", 1)[0].strip().lower() if "/" in model_id else model_id.lower()
    return devmap.get(ns, ns)


# --------------------------------------------------------------------------------------------
# candidates


CANDIDATE_COLUMNS = [
    "model_id", "name", "source", "source_file", "source_row", "developer_alias", "developer",
    "release_date", "release_date_source", "params_b", "params_source", "lineage",
    "token_base_strict", "tokens_t_strict", "token_source_strict", "token_estimate_strict",
    "token_base_broad", "tokens_t_broad", "token_source_broad", "token_estimate_broad",
    "token_method_broad", "is_reasoning", "reasoning_match", "mmlu_pro_raw", "mmlu_pro_source",
    "math_l5_raw", "math_l5_source", "duplicate_of", "flagged", "twin_leaderboard_id",
]


def _dedup_leaderboard(lb: pd.DataFrame, precision_preference) -> pd.Series:
    """Return, per row, the model_id of the row it duplicates (None for the kept row).

    One row per model (case-insensitive id) survives: the first precision in
    precision_preference, then the latest submission date, then the smallest row id.
    """
    rank = {p: i for i, p in enumerate(precision_preference)}
    key = lb["model_id"].str.lower()
    order = pd.DataFrame({
        "key": key,
        "prec": lb["precision"].map(rank).fillna(len(rank)),
        "sub": pd.to_datetime(lb["submission_date"], errors="coerce"),
        "rid": lb["row_id"],
    })
    order = order.sort_values(["key", "prec", "sub", "rid"], ascending=[True, True, False, True],
                              na_position="last")
    kept = order.drop_duplicates("key", keep="first")
    kept_row = pd.Series(kept.index, index=kept["key"])
    dup_of = pd.Series(None, index=lb.index, dtype="object")
    is_dup = ~lb.index.isin(kept.index)
    dup_of[is_dup] = lb.loc[kept_row[key[is_dup]].values, "row_id"].values
    return dup_of


class TokenResolver:
    """Assigns pretraining tokens by declared lineage (strict) and by name (broad)."""

    def __init__(self, cur: Curated, parents: dict[str, str]):
        tok = cur.base_model_tokens
        self.tokens = {b.lower(): (b, t, s, e) for b, t, s, e in
                       tok[["base_model", "tokens_t", "source", "is_estimate"]]
                       .itertuples(index=False)}
        self.parents = parents
        self.patterns = compile_patterns(cur.family_patterns, "base_model")

    def strict(self, chain: list[str]):
        for mid in chain:
            hit = self.tokens.get(mid.lower())
            if hit:
                return hit
        return None

    def broad(self, chain: list[str]):
        hit = self.strict(chain)
        if hit:
            return hit, "lineage"
        m = match_first(self.patterns, [short_name(x) for x in chain])
        if m:
            return self.tokens[m[1].lower()], f"name_pattern:{m[0]}"
        return None, None


def _token_columns(chains: list[list[str]], res: TokenResolver) -> pd.DataFrame:
    rows = []
    for chain in chains:
        s = res.strict(chain)
        b, how = res.broad(chain)
        rows.append({
            "token_base_strict": s[0] if s else None,
            "tokens_t_strict": s[1] if s else np.nan,
            "token_source_strict": s[2] if s else None,
            "token_estimate_strict": s[3] if s else None,
            "token_base_broad": b[0] if b else None,
            "tokens_t_broad": b[1] if b else np.nan,
            "token_source_broad": b[2] if b else None,
            "token_estimate_broad": b[3] if b else None,
            "token_method_broad": how,
        })
    return pd.DataFrame(rows)


def _reasoning(names_per_row: list[list[str]], cur: Curated) -> tuple[list[bool], list]:
    pats = [(re.compile(str(p), re.IGNORECASE), str(p))
            for p in cur.reasoning_models["pattern"]]
    flags, matches = [], []
    for names in names_per_row:
        hit = None
        for n in names:
            for rx, p in pats:
                if rx.search(n):
                    hit = f"{n} ~ /{p}/"
                    break
            if hit:
                break
        flags.append(hit is not None)
        matches.append(hit)
    return flags, matches


def _norm_name(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(s).lower())


def leaderboard_candidates(lb: pd.DataFrame, cur: Curated, opts: SampleOptions,
                           source_file: str) -> pd.DataFrame:
    devmap = developer_lookup(cur)
    parents = parent_map(lb, cur)
    res = TokenResolver(cur, parents)
    bf = cur.leaderboard_backfill
    bf_date = {m.lower(): (v, s) for m, v, s in
               bf.loc[bf["field"] == "upload_date", ["model_id", "value", "source"]]
               .itertuples(index=False)}

    out = pd.DataFrame({
        "model_id": lb["model_id"].values,
        "name": lb["model_id"].values,
        "source": "leaderboard",
        "source_file": source_file,
        "source_row": lb["source_row"].values,
    })
    out["developer_alias"] = [m.split("/", 1)[0] for m in out["model_id"]]
    out["developer"] = [developer_of_namespace(m, devmap) for m in out["model_id"]]
    date = pd.to_datetime(lb["upload_date"], errors="coerce").reset_index(drop=True)
    src = pd.Series(np.where(date.notna(), "leaderboard upload date", None), dtype="object")
    for i, m in enumerate(out["model_id"]):
        if pd.isna(date[i]) and m.lower() in bf_date:
            v, s = bf_date[m.lower()]
            date[i] = pd.to_datetime(v, errors="coerce")
            src[i] = f"backfill ({s})"
    out["release_date"] = date
    out["release_date_source"] = src
    out["params_b"] = pd.to_numeric(lb["params_b"], errors="coerce").values
    out["params_source"] = "leaderboard #Params (B)"
    chains = [lineage_chain(m, parents) for m in out["model_id"]]
    out["lineage"] = [" > ".join(c) for c in chains]
    out = pd.concat([out, _token_columns(chains, res)], axis=1)
    flags, matches = _reasoning(chains, cur)
    out["is_reasoning"] = flags
    out["reasoning_match"] = matches
    out["mmlu_pro_raw"] = pd.to_numeric(lb["mmlu_pro_raw"], errors="coerce").values
    out["mmlu_pro_source"] = "leaderboard MMLU-PRO Raw"
    out["math_l5_raw"] = pd.to_numeric(lb["math_l5_raw"], errors="coerce").values
    out["math_l5_source"] = "leaderboard MATH Lvl 5 Raw"
    out["duplicate_of"] = _dedup_leaderboard(lb, opts.precision_preference).values
    out["flagged"] = lb["flagged"].astype(str).str.lower().eq("true").values
    out["twin_leaderboard_id"] = None
    return out


def _la_month(s) -> pd.Timestamp:
    return pd.to_datetime(s, format="%b/%Y", errors="coerce")


def lifearchitect_candidates(la: pd.DataFrame, la_new: pd.DataFrame, cur: Curated,
                             leaderboard_ids: pd.Series, source_file: str) -> pd.DataFrame:
    la = la[la["name"].notna() & la["name"].str.len().gt(0)].reset_index(drop=True)
    devmap = developer_lookup(cur)
    new_score = {n.lower(): v for n, v in
                 la_new.loc[la_new["mmlu_pro_pct"].notna() & la_new["name"].notna(),
                            ["name", "mmlu_pro_pct"]].itertuples(index=False)}
    ext = cur.external_scores[cur.external_scores["benchmark"] == "mmlu_pro"]
    ext_score = {m.strip().lower(): (s, src) for m, s, src in
                 ext[["model", "score", "source"]].itertuples(index=False)}
    xs = cur.cross_source_links
    twin = {n.strip().lower(): t for n, t in
            xs.loc[(xs["source"] == "lifearchitect") & (xs["relation"] == "same_as_leaderboard"),
                   ["source_name", "target"]].itertuples(index=False)}
    lb_norm = {}
    for m in leaderboard_ids:
        lb_norm.setdefault(_norm_name(short_name(m)), m)

    out = pd.DataFrame({
        "model_id": "lifearchitect:" + la["name"],
        "name": la["name"],
        "source": "lifearchitect",
        "source_file": source_file,
        "source_row": la["source_row"],
        "developer_alias": la["lab"].astype("string").str.strip(),
    })
    out["developer"] = [devmap.get(str(a).lower()) if pd.notna(a) else None
                        for a in out["developer_alias"]]
    out["release_date"] = _la_month(la["announced"])
    out["release_date_source"] = "LifeArchitect Announced (month; day set to 1)"
    out["params_b"] = la["params_b"]
    out["params_source"] = "LifeArchitect Parameters (B), 2025-02 snapshot"
    out["lineage"] = la["name"]
    tok = la["tokens_b"] / 1000.0
    has_tok = tok.notna() & (tok > 0)
    for opt in ("strict", "broad"):
        out[f"token_base_{opt}"] = np.where(has_tok, la["name"], None)
        out[f"tokens_t_{opt}"] = tok.where(has_tok)
        out[f"token_source_{opt}"] = np.where(
            has_tok, "https://lifearchitect.ai/models-table (2025-02 snapshot)", None)
        out[f"token_estimate_{opt}"] = np.where(has_tok, True, None)
    out["token_method_broad"] = np.where(has_tok, "source_table", None)
    flags, matches = _reasoning([[n] for n in la["name"]], cur)
    out["is_reasoning"] = flags
    out["reasoning_match"] = matches
    score, ssrc = [], []
    for n, pct in la[["name", "mmlu_pro_pct"]].itertuples(index=False):
        if pd.notna(pct):
            score.append(pct / 100.0)
            ssrc.append("LifeArchitect MMLU-Pro, 2025-02 snapshot")
        elif n.lower() in new_score:
            score.append(new_score[n.lower()] / 100.0)
            ssrc.append("LifeArchitect MMLU-Pro, 2026-03 snapshot")
        elif n.lower() in ext_score:
            s, src = ext_score[n.lower()]
            score.append(s)
            ssrc.append(f"data/external_scores.csv ({src})")
        else:
            score.append(np.nan)
            ssrc.append(None)
    out["mmlu_pro_raw"] = score
    out["mmlu_pro_source"] = ssrc
    out["math_l5_raw"] = np.nan
    out["math_l5_source"] = None
    key = la["name"].str.lower()
    first = ~key.duplicated(keep="first")
    out["duplicate_of"] = np.where(first, None, "lifearchitect:" + la["name"])
    out["flagged"] = False
    out["twin_leaderboard_id"] = [twin.get(n.lower()) or lb_norm.get(_norm_name(n))
                                  for n in la["name"]]
    return out


def epoch_candidates(hub: pd.DataFrame, versions: pd.DataFrame, allm: pd.DataFrame,
                     la: pd.DataFrame, cur: Curated, source_file: str) -> pd.DataFrame:
    devmap = developer_lookup(cur)
    hub = hub.merge(versions, on="version", how="left")
    db = allm.set_index("epoch_model")
    xs = cur.cross_source_links
    sel = xs["source"] == "epoch_hub"
    twin = {n.lower(): t for n, t in xs.loc[sel & (xs["relation"] == "same_as_leaderboard"),
                                           ["source_name", "target"]].itertuples(index=False)}
    la_link = {n.lower(): t for n, t in xs.loc[sel & (xs["relation"] == "lifearchitect_name"),
                                              ["source_name", "target"]].itertuples(index=False)}
    la_by = la.dropna(subset=["name"]).drop_duplicates("name").set_index(la["name"].dropna()
                                                                       .drop_duplicates().str.lower())

    rows = []
    for r in hub.itertuples(index=False):
        params = tokens = np.nan
        psrc = tsrc = None
        em = r.epoch_model if isinstance(r.epoch_model, str) else None
        if em is not None and em in db.index:
            e = db.loc[em]
            if pd.notna(e["params"]) and pd.notna(e["dataset_size"]):
                params, tokens = e["params"] / 1e9, e["dataset_size"] / 1e12
                psrc = f"Epoch AI all_ai_models Parameters ({em})"
                tsrc = f"https://epoch.ai/data/all_ai_models.csv ({em}, dataset size)"
        lk = la_link.get(r.version.lower())
        if pd.isna(params) and lk is not None and lk.lower() in la_by.index:
            L = la_by.loc[lk.lower()]
            if pd.notna(L["params_b"]) and pd.notna(L["tokens_b"]):
                params, tokens = L["params_b"], L["tokens_b"] / 1000.0
                psrc = f"LifeArchitect Parameters (B) ({lk})"
                tsrc = f"https://lifearchitect.ai/models-table (2025-02 snapshot; {lk})"
        rows.append({
            "model_id": f"epoch:{r.version}", "name": r.version, "source": "epoch_hub",
            "source_file": source_file, "source_row": r.source_row, "developer_alias": r.lab,
            "developer": devmap.get(str(r.lab).strip().lower()) if pd.notna(r.lab) else None,
            "release_date": pd.to_datetime(r.release_date, errors="coerce"),
            "release_date_source": "Epoch hub Release date", "params_b": params,
            "params_source": psrc, "lineage": em or r.version,
            "tokens": tokens, "tsrc": tsrc, "epoch_model": em or r.version,
            "math_l5_raw": r.math_l5_raw, "twin": twin.get(r.version.lower()),
        })
    if not rows:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    out = pd.DataFrame(rows)
    has_tok = out["tokens"].notna() & (out["tokens"] > 0)
    for opt in ("strict", "broad"):
        out[f"token_base_{opt}"] = np.where(has_tok, out["lineage"], None)
        out[f"tokens_t_{opt}"] = out["tokens"].where(has_tok)
        out[f"token_source_{opt}"] = np.where(has_tok, out["tsrc"], None)
        out[f"token_estimate_{opt}"] = np.where(has_tok, True, None)
    out["token_method_broad"] = np.where(has_tok, "source_table", None)
    flags, matches = _reasoning([[v, e] for v, e in zip(out["name"], out["epoch_model"],
                                                        strict=True)], cur)
    out["is_reasoning"] = flags
    out["reasoning_match"] = matches
    out["mmlu_pro_raw"] = np.nan
    out["mmlu_pro_source"] = None
    out["math_l5_source"] = "Epoch Benchmarking Hub MATH Level 5 mean_score (0-shot)"
    # one row per Epoch model: plain version first, then earliest release, then name
    order = out.assign(_suffix=out["name"].str.contains("_"))
    order = order.sort_values(["epoch_model", "_suffix", "release_date", "name"])
    keep = order.drop_duplicates("epoch_model", keep="first")
    kept_id = dict(zip(keep["epoch_model"], keep["model_id"], strict=True))
    out["duplicate_of"] = [None if i in set(keep["model_id"]) else kept_id[e]
                           for i, e in zip(out["model_id"], out["epoch_model"], strict=True)]
    out["flagged"] = False
    out["twin_leaderboard_id"] = out["twin"]
    return out.drop(columns=["tokens", "tsrc", "epoch_model", "twin"])


def build_candidates(raw: dict[str, pd.DataFrame], cur: Curated, opts: SampleOptions,
                     files: dict[str, str] | None = None) -> pd.DataFrame:
    """All candidates from all sources, option-independent facts only."""
    files = files or {}
    lb = leaderboard_candidates(raw["oll_v2"], cur, opts, files.get("oll_v2", "oll_v2"))
    la = lifearchitect_candidates(raw["lifearchitect_2025_02"], raw["lifearchitect_2026_03"],
                                  cur, lb["model_id"], files.get("lifearchitect_2025_02", ""))
    ep = epoch_candidates(raw["epoch_hub_math_l5"], raw["epoch_model_versions"],
                          raw["epoch_all_models"], raw["lifearchitect_2025_02"], cur,
                          files.get("epoch_hub_math_l5", ""))
    parts = [p for p in (lb, la, ep) if len(p)]
    out = pd.concat(parts, ignore_index=True)[CANDIDATE_COLUMNS]
    out["release_date"] = pd.to_datetime(out["release_date"])
    for c in ("is_reasoning", "flagged"):
        out[c] = out[c].astype(bool)
    return out


# --------------------------------------------------------------------------------------------
# options -> inclusion


def apply_options(cand: pd.DataFrame, opts: SampleOptions) -> pd.DataFrame:
    """Inclusion and the first exclusion reason of every candidate under opts."""
    m = cand.copy()
    t = opts.token_assignment
    m["token_base"] = m[f"token_base_{t}"]
    m["tokens_t"] = m[f"tokens_t_{t}"]
    m["token_source"] = m[f"token_source_{t}"]
    m["token_is_estimate"] = m[f"token_estimate_{t}"]
    method = m["token_method_broad"] if t == "broad" else "lineage"
    method = np.where(m["source"] == "leaderboard", method, "source_table")
    m["token_method"] = np.where(m["tokens_t"].notna(), method, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        flops = 6.0 * m["params_b"] * 1e9 * m["tokens_t"] * 1e12
        m["log10_flops"] = np.where(flops > 0, np.log10(flops.where(flops > 0)), np.nan)
    start, end = pd.Timestamp(opts.window_start), pd.Timestamp(opts.window_end)

    checks = [
        ("duplicate_entry", m["duplicate_of"].notna()),
        ("flagged_on_leaderboard", m["flagged"]),
        ("missing_release_date", m["release_date"].isna()),
        ("outside_window", (m["release_date"] < start) | (m["release_date"] > end)),
        ("reasoning_model", m["is_reasoning"] & (opts.reasoning == "exclude")),
        ("unknown_developer_alias", m["developer"].isna()),
        ("missing_or_nonpositive_params", ~(m["params_b"] > 0)),
        ("no_token_count", ~(m["tokens_t"] > 0)),
    ]
    reason = pd.Series(None, index=m.index, dtype="object")
    for name, mask in checks:
        reason = reason.where(reason.notna() | ~mask.fillna(False).astype(bool), name)
    m["included"] = reason.isna()
    m["exclusion_reason"] = reason

    for b in BENCHMARKS:
        raw = m[f"{b}_raw"]
        y = corrected_score(raw, b, opts.mmlu_pro_guess_rate)
        m[f"score_{b}"] = y
        r = reason.copy()
        bchecks = [
            (f"no_{b}_score", raw.isna()),
            ("score_out_of_range", (raw < 0) | (raw > 1)),
            ("score_not_in_logit_domain", (y <= 0) | (y >= 1)),
        ]
        for name, mask in bchecks:
            r = r.where(r.notna() | ~mask.fillna(False).astype(bool), name)
        # a model from a secondary source is dropped where its leaderboard twin is in the sample
        lb_in = set(m.loc[(m["source"] == "leaderboard") & r.isna(), "model_id"].str.lower())
        twin_in = m["twin_leaderboard_id"].astype("string").str.lower().isin(lb_in)
        r = r.where(r.notna() | ~((m["source"] != "leaderboard") & twin_in),
                    "duplicate_of_leaderboard")
        m[f"included_{b}"] = r.isna()
        m[f"exclusion_reason_{b}"] = r
    return m


# --------------------------------------------------------------------------------------------
# analysis sample


SAMPLE_COLUMNS = [
    "model_id", "developer", "developer_group", "cluster", "release_date", "period3", "quarter",
    "month_index", "params_b", "tokens_t", "log10_flops", "score_raw", "score", "source",
    "token_source", "token_base", "token_method", "token_is_estimate",
]


def assign_developer_groups(df: pd.DataFrame, majors, quantiles=(1 / 3, 2 / 3)) -> pd.Series:
    """Major developers keep their name; others split by their mean log10 FLOPs.

    The statistic is each non-major developer's mean log10 FLOPs over its models in this sample;
    developers with mean <= q1 are other-small, <= q2 other-medium, else other-large, where
    q1, q2 are the given quantiles (numpy 'linear') of the developer-level means.
    """
    majors = list(majors)
    is_major = df["developer"].isin(majors)
    means = df.loc[~is_major].groupby("developer")["log10_flops"].mean()
    grp = pd.Series(df["developer"].where(is_major), index=df.index, dtype="object")
    if len(means):
        q1, q2 = np.quantile(means.values, quantiles)
        size = pd.Series(np.where(means <= q1, OTHER_GROUPS[0],
                                  np.where(means <= q2, OTHER_GROUPS[1], OTHER_GROUPS[2])),
                         index=means.index)
        grp[~is_major] = df.loc[~is_major, "developer"].map(size)
    return grp


def analysis_sample(models: pd.DataFrame, benchmark: str, majors,
                    opts: SampleOptions) -> pd.DataFrame:
    """The estimation sample for one benchmark from apply_options output."""
    s = models[models[f"included_{benchmark}"]].copy()
    s["score_raw"] = s[f"{benchmark}_raw"]
    s["score"] = s[f"score_{benchmark}"]
    s["period3"] = period3(s["release_date"])
    s["quarter"] = quarter_label(s["release_date"])
    s["month_index"] = month_index(s["release_date"])
    s["developer_group"] = assign_developer_groups(s, majors, opts.size_group_quantiles)
    s["cluster"] = s["developer"]
    s = s[SAMPLE_COLUMNS].sort_values("model_id", kind="mergesort").reset_index(drop=True)
    missing = s["token_source"].isna() | s["period3"].isna()
    if missing.any():  # an invariant, not an input problem
        raise AssertionError(f"included rows without token source or period: "
                             f"{s.loc[missing, 'model_id'].tolist()[:5]}")
    return s
