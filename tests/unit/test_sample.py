"""Sample construction: lineage, tokens, developers, scores, periods, groups, dedup."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from saucegrid.data import curated, sample

from helpers import lb_row, raw_inputs, write_curated


@pytest.fixture
def cur(tmp_path):
    return curated.load_curated(write_curated(tmp_path / "data"))


def build(cur, lb_rows, la_rows=(), la_new=(), **opt):
    opts = sample.SampleOptions(**opt)
    cand = sample.build_candidates(raw_inputs(lb_rows, la_rows, la_new), cur, opts)
    return sample.apply_options(cand, opts).set_index("model_id")


# ---------------------------------------------------------------- lineage


def test_lineage_follows_chains_merges_links_and_backfill(cur):
    lb = pd.DataFrame([
        lb_row("a/ft1", base="b/ft0 (Merge)"),
        lb_row("b/ft0", base="org/Base-7B-Instruct"),
        lb_row("gone/removed-ft", base="Removed"),
        lb_row("c/selfroot"),
    ])
    lin = sample.Lineage(lb, cur)
    assert lin.chain("a/ft1") == ["a/ft1", "b/ft0", "org/Base-7B-Instruct", "org/Base-7B"]
    assert lin.chain("gone/removed-ft") == ["gone/removed-ft", "org/Base-7B"]
    assert lin.chain("c/selfroot") == ["c/selfroot"]


def test_lineage_is_cycle_safe_and_case_insensitive(cur):
    lin = sample.Lineage(pd.DataFrame([lb_row("x/a", base="X/B"), lb_row("x/b", base="x/a")]), cur)
    assert lin.chain("x/a") == ["x/a", "X/B"]


def test_a_parent_link_that_disagrees_with_the_leaderboard_is_an_error(tmp_path):
    from saucegrid.fileio import InputError

    c = curated.load_curated(write_curated(tmp_path / "d"))
    lb = pd.DataFrame([lb_row("org/Base-7B-Instruct", base="org/Base-7B-Math")])
    with pytest.raises(InputError) as e:
        sample.Lineage(lb, c)
    msg = str(e.value)
    assert "lineage_links.csv" in msg and "row 2" in msg and "corrects_field" in msg


def test_a_correction_replaces_the_leaderboard_field(tmp_path):
    from helpers import CURATED

    links = CURATED["lineage_links.csv"].replace("org/Base-7B-Instruct,org/Base-7B,parent",
                                                 "org/Base-7B-Instruct,org/Base-7B,corrects_field")
    c = curated.load_curated(write_curated(tmp_path / "d", **{"lineage_links.csv": links}))
    lb = [lb_row("org/Base-7B-Instruct", base="org/Base-7B-Math")]
    m = build(c, lb)
    assert m.loc["org/Base-7B-Instruct", "tokens_t"] == 2.0  # the correction, not the field
    assert sample.Lineage(pd.DataFrame(lb), c).chain("org/Base-7B-Instruct")[1] == "org/Base-7B"


# ---------------------------------------------------------------- tokens


ONE_HOP_ROWS = [
    lb_row("org/Base-7B"),  # a base itself
    lb_row("a/ft", base="org/Base-7B"),  # one hop
    lb_row("b/ft-of-ft", base="a/ft"),  # two hops
    lb_row("mirror/Base-7B"),  # a re-upload of a base: the same model
    lb_row("c/ft-of-mirror", base="mirror/Base-7B"),  # one hop to the same model
    lb_row("org/Base-7B-Instruct"),  # official instruct, no field: only a curated parent link
]


def test_one_hop_takes_the_model_or_its_base_model_field(cur):
    m = build(cur, ONE_HOP_ROWS)
    assert m.loc["org/Base-7B", "tokens_t"] == 2.0
    assert m.loc["a/ft", "tokens_t"] == 2.0 and m.loc["a/ft", "token_method"] == "one_hop"
    assert m.loc["b/ft-of-ft", "exclusion_reason"] == "no_token_count"
    assert m.loc["mirror/Base-7B", "tokens_t"] == 2.0
    assert m.loc["c/ft-of-mirror", "tokens_t"] == 2.0
    assert m.loc["org/Base-7B-Instruct", "exclusion_reason"] == "no_token_count"


def test_one_hop_with_renames_ignored_is_the_literal_reading(cur):
    m = build(cur, ONE_HOP_ROWS, renames="ignore")
    assert m.loc["a/ft", "tokens_t"] == 2.0
    assert m.loc["mirror/Base-7B", "exclusion_reason"] == "no_token_count"
    assert m.loc["c/ft-of-mirror", "exclusion_reason"] == "no_token_count"


def test_chain_takes_the_nearest_known_base(cur):
    m = build(cur, [
        lb_row("a/math-ft", base="org/Base-7B-Math"),
        lb_row("org/Base-7B-Math", base="org/Base-7B"),
        lb_row("b/chat", base="someone/Base-7B-Instruct-4bit"),
        lb_row("c/base-7b-remix"),  # name says Base-7B, but no declared lineage
        *ONE_HOP_ROWS,
    ], lineage="chain")
    assert m.loc["a/math-ft", "tokens_t"] == 2.5
    assert m.loc["a/math-ft", "token_base"] == "org/Base-7B-Math"
    assert m.loc["b/chat", "tokens_t"] == 2.0
    assert m.loc["b/chat", "token_source"] == "https://example.org/paper"
    assert m.loc["c/base-7b-remix", "exclusion_reason"] == "no_token_count"
    assert m.loc["org/Base-7B-Math", "token_method"] == "lineage"
    assert m.loc["b/ft-of-ft", "tokens_t"] == 2.0  # two hops are fine in a chain
    assert m.loc["org/Base-7B-Instruct", "tokens_t"] == 2.0  # the curated parent link


def test_name_lineage_also_uses_the_name(cur):
    m = build(cur, [lb_row("c/base-7b-remix"), lb_row("d/unrelated")], lineage="name")
    assert m.loc["c/base-7b-remix", "tokens_t"] == 2.0
    assert m.loc["c/base-7b-remix", "token_method"].startswith("name_pattern:")
    assert m.loc["d/unrelated", "exclusion_reason"] == "no_token_count"


def test_compute_is_six_n_d(cur):
    m = build(cur, [lb_row("org/Base-7B", params=7.0)])
    assert m.loc["org/Base-7B", "log10_flops"] == pytest.approx(
        math.log10(6 * 7e9 * 2e12), abs=1e-12)


# ---------------------------------------------------------------- developers


def test_developer_aliases_merge_and_unknown_namespaces_are_their_own(cur):
    m = build(cur, [lb_row("meta-llama/x", base="org/Base-7B"),
                    lb_row("facebook/y", base="org/Base-7B"),
                    lb_row("SomeUser/z", base="org/Base-7B")])
    assert m.loc["meta-llama/x", "developer"] == "Meta"
    assert m.loc["facebook/y", "developer"] == "Meta"
    assert m.loc["SomeUser/z", "developer"] == "someuser"


def test_unknown_lab_alias_is_a_recorded_exclusion(cur):
    la = [("Mystery-1", "Nobody Labs", 10, 1000, 50.0, "Jun/2024", 2),
          ("GPT-X", "OpenAI", 100, 10000, None, "Jun/2024", 3)]
    m = build(cur, [lb_row("org/Base-7B")], la_rows=la)
    assert m.loc["lifearchitect:Mystery-1", "exclusion_reason"] == "unknown_developer_alias"
    assert m.loc["lifearchitect:GPT-X", "developer"] == "OpenAI"
    assert m.loc["lifearchitect:GPT-X", "mmlu_pro_raw"] == 0.7  # from external_scores.csv
    assert m.loc["lifearchitect:GPT-X", "included_mmlu_pro"]
    assert m.loc["lifearchitect:GPT-X", "tokens_t"] == 10.0


TWIN = [("Base 7B Instruct", "OpenAI", 7, 2000, 40.0, "Jun/2024", 2)]


def test_lifearchitect_twin_of_a_leaderboard_model_in_the_sample_is_dropped(cur):
    m = build(cur, [lb_row("org/Base-7B-Instruct")], la_rows=TWIN, lineage="chain")
    assert m.loc["org/Base-7B-Instruct", "included_mmlu_pro"]
    assert m.loc["lifearchitect:Base 7B Instruct", "exclusion_reason_mmlu_pro"] == \
        "duplicate_of_leaderboard"


def test_twins_rule_decides_when_the_leaderboard_twin_is_not_in_the_sample(cur):
    # under one_hop the official instruct has no token count, so it is not in the sample
    m = build(cur, [lb_row("org/Base-7B-Instruct")], la_rows=TWIN)
    assert m.loc["org/Base-7B-Instruct", "exclusion_reason"] == "no_token_count"
    assert m.loc["lifearchitect:Base 7B Instruct", "included_mmlu_pro"]  # twins=in_sample
    m = build(cur, [lb_row("org/Base-7B-Instruct")], la_rows=TWIN, twins="any")
    assert m.loc["lifearchitect:Base 7B Instruct", "exclusion_reason_mmlu_pro"] == \
        "duplicate_of_leaderboard"


# ---------------------------------------------------------------- scores


def test_score_correction():
    assert sample.corrected_score(0.55, "mmlu_pro", 0.1) == pytest.approx(0.5, abs=1e-15)
    assert sample.corrected_score(0.1, "mmlu_pro", 0.1) == 0.0
    assert sample.corrected_score(0.37, "math_l5") == 0.37


def test_scores_outside_the_logit_domain_are_excluded_not_clipped(cur):
    m = build(cur, [lb_row("a/low", base="org/Base-7B", mmlu=0.09, math=0.0),
                    lb_row("a/bad", base="org/Base-7B", mmlu=1.3, math=0.5),
                    lb_row("a/ok", base="org/Base-7B", mmlu=0.55, math=0.3)])
    assert m.loc["a/low", "exclusion_reason_mmlu_pro"] == "score_not_in_logit_domain"
    assert m.loc["a/low", "exclusion_reason_math_l5"] == "score_not_in_logit_domain"
    assert m.loc["a/bad", "exclusion_reason_mmlu_pro"] == "score_out_of_range"
    assert m.loc["a/bad", "included_math_l5"]
    assert m.loc["a/ok", "score_mmlu_pro"] == pytest.approx(0.5)
    assert m.loc["a/ok", "score_math_l5"] == pytest.approx(0.3)


def test_nonpositive_params_are_a_recorded_exclusion(cur):
    m = build(cur, [lb_row("a/zero", base="org/Base-7B", params=0.0),
                    lb_row("a/neg", base="org/Base-7B", params=-1.0)])
    assert set(m["exclusion_reason"]) == {"missing_or_nonpositive_params"}


# ---------------------------------------------------------------- time


@pytest.mark.parametrize("date,p3,q,mi", [
    ("2022-10-01", "2022q4-2023q3", "2022Q4", 0),
    ("2023-09-30", "2022q4-2023q3", "2023Q3", 11),
    ("2023-10-01", "2023q4-2024q2", "2023Q4", 12),
    ("2024-06-30", "2023q4-2024q2", "2024Q2", 20),
    ("2024-07-01", "2024q3-2025q1", "2024Q3", 21),
    ("2025-03-31", "2024q3-2025q1", "2025Q1", 29),
])
def test_periods_quarters_and_months(date, p3, q, mi):
    s = pd.Series(pd.to_datetime([date]))
    assert sample.period3(s)[0] == p3
    assert sample.quarter_label(s)[0] == q
    assert sample.month_index(s)[0] == mi


def test_period_outside_the_window_is_missing():
    assert pd.isna(sample.period3(pd.Series(pd.to_datetime(["2022-09-30"])))[0])


def test_window_excludes(cur):
    m = build(cur, [lb_row("a/old", base="org/Base-7B", date="2022-09-30"),
                    lb_row("a/new", base="org/Base-7B", date="2025-04-01"),
                    lb_row("a/in", base="org/Base-7B", date="2025-03-31")])
    assert m.loc["a/old", "exclusion_reason"] == "outside_window"
    assert m.loc["a/new", "exclusion_reason"] == "outside_window"
    assert m.loc["a/in", "included"]


# ---------------------------------------------------------------- groups, dedup, reasoning


def test_developer_groups_by_mean_log10_flops_tertiles():
    df = pd.DataFrame({
        "developer": ["Meta", "a", "a", "b", "c", "d", "e", "f"],
        "log10_flops": [25, 20, 22, 22, 23, 24, 25, 26],
    })
    # developer means: a 21, b 22, c 23, d 24, e 25, f 26 -> tertile cuts 22.667, 24.333
    g = sample.assign_developer_groups(df, ["Meta"], (1 / 3, 2 / 3))
    assert g.tolist() == ["Meta", "other-small", "other-small", "other-small", "other-medium",
                          "other-medium", "other-large", "other-large"]
    q = np.quantile([21, 22, 23, 24, 25, 26], [1 / 3, 2 / 3])
    assert q == pytest.approx([22 + 2 / 3, 24 + 1 / 3])


def test_duplicates_keep_the_preferred_precision_then_latest_submission(cur):
    m = build(cur, [
        lb_row("a/m", base="org/Base-7B", precision="float16", sub="2024-09-01", rid="r1"),
        lb_row("A/M", base="org/Base-7B", precision="bfloat16", sub="2024-07-01", rid="r2"),
        lb_row("a/m", base="org/Base-7B", precision="bfloat16", sub="2024-08-01", rid="r3"),
    ]).reset_index()
    kept = m[m["duplicate_of"].isna()]
    assert len(kept) == 1 and kept["source_row"].notna().all()
    assert (m["exclusion_reason"] == "duplicate_entry").sum() == 2
    assert set(m.loc[m["duplicate_of"].notna(), "duplicate_of"]) == {"r3"}


def test_reasoning_models_by_own_name_or_lineage(cur):
    rows = [lb_row("x/thinker", base="org/Base-7B"), lb_row("y/ft", base="x/thinker")]
    m = build(cur, rows, lineage="chain")
    assert m.loc["x/thinker", "exclusion_reason"] == "reasoning_model"
    assert m.loc["y/ft", "exclusion_reason"] == "reasoning_model"
    m2 = build(cur, rows, reasoning="include", lineage="chain")
    assert m2["included"].all()


def test_analysis_sample_columns_and_invariants(cur):
    m = build(cur, [lb_row("meta-llama/x", base="org/Base-7B"),
                    lb_row("someone/y", base="org/Base-7B", mmlu=0.6)]).reset_index()
    s = sample.analysis_sample(m, "mmlu_pro", ["Meta"], sample.SampleOptions())
    for c in ["model_id", "developer", "developer_group", "cluster", "release_date", "period3",
              "quarter", "month_index", "params_b", "tokens_t", "log10_flops", "score_raw",
              "score", "source", "token_source"]:
        assert c in s.columns
    assert s["token_source"].notna().all()
    assert (s["cluster"] == s["developer"]).all()
    assert s.set_index("model_id").loc["meta-llama/x", "developer_group"] == "Meta"


# --------------------------------------------------------------------------------------------
# the leaderboard's other four benchmarks (issue 23): raw accuracy and normalized score, copied
# from two rows of oll_v2_fboulnois/huggingface_v2_2025-03-21.csv


KNOWN = {  # model: benchmark -> (raw, normalized score), as the leaderboard prints them
    "0-hero/Matter-0.2-7B-DPO": {"ifeval": (0.330279214705869, 33.0279214705869),
                                 "bbh": (0.35962543016563, 10.055525080241),
                                 "gpqa": (0.259228187919463, 1.23042505592841),
                                 "musr": (0.381375, 5.871875)},
    "01-ai/Yi-Coder-9B-Chat": {"ifeval": (0.481704100675098, 48.1704100675098),
                               "bbh": (0.481420003391117, 25.9431529449139),
                               "gpqa": (0.24748322147651, 0.0),
                               "musr": (0.399177083333333, 7.96380208333333)},
}


def test_the_other_benchmarks_take_the_leaderboard_normalized_score_and_floor_rows_are_excluded(
        tmp_path):
    cur = curated.load_curated(write_curated(tmp_path / "d"))
    rows = [lb_row(m, base="org/Base-7B", scores=sc) for m, sc in KNOWN.items()]
    opts = sample.SampleOptions()
    models = sample.apply_options(sample.build_candidates(raw_inputs(rows), cur, opts),
                                  opts).set_index("model_id")
    for m, sc in KNOWN.items():
        for b, (raw, norm) in sc.items():
            assert models.loc[m, f"{b}_raw"] == raw
            assert models.loc[m, f"score_{b}"] == pytest.approx(norm / 100, rel=1e-12)
    # GPQA at chance: normalized 0, no logit; excluded and counted, never clipped
    assert not models.loc["01-ai/Yi-Coder-9B-Chat", "included_gpqa"]
    assert models.loc["01-ai/Yi-Coder-9B-Chat", "exclusion_reason_gpqa"] == \
        "score_not_in_logit_domain"
    assert models.loc["0-hero/Matter-0.2-7B-DPO", "included_gpqa"]


def test_outcome_of_each_benchmark():
    m = pd.DataFrame({"mmlu_pro_raw": [0.55], "math_l5_raw": [0.2], "ifeval_norm": [0.33],
                      "bbh_norm": [0.1], "gpqa_norm": [0.0], "musr_norm": [0.06]})
    assert sample.outcome(m, "mmlu_pro")[0] == pytest.approx((0.55 - 0.1) / 0.9, rel=1e-15)
    assert sample.outcome(m, "math_l5")[0] == 0.2
    for b in sample.LEADERBOARD_BENCHMARKS:
        assert sample.outcome(m, b)[0] == m[f"{b}_norm"][0]
    assert set(sample.ALL_BENCHMARKS) == {"mmlu_pro", "math_l5", "ifeval", "bbh", "gpqa",
                                           "musr"}


def test_on_the_mirror_the_normalized_scores_are_the_documented_corrections():
    """MMLU-Pro's normalized score is the paper's (raw - 0.1)/0.9, IFEval's is its raw score,
    GPQA's is (raw - 1/4)/(3/4) clipped at 0, to rounding, on every row of the mirror."""
    from saucegrid.data import raw

    repo = Path(__file__).resolve().parents[2]
    lb = raw.read_leaderboard(repo / "data/raw/oll_v2_fboulnois/huggingface_v2_2025-03-21.csv")
    norm = {b: lb[f"{b}_normalized"] / 100 for b in ("ifeval", "gpqa")}
    assert (norm["ifeval"] - lb["ifeval_raw"]).abs().max() < 1e-12
    assert (norm["gpqa"] - ((lb["gpqa_raw"] - 0.25) / 0.75).clip(lower=0)).abs().max() < 1e-12
    counts = {b: int((lb[f"{b}_normalized"] <= 0).sum()) for b in ("ifeval", "bbh", "gpqa",
                                                                    "musr")}
    assert counts == {"ifeval": 7, "bbh": 0, "gpqa": 241, "musr": 1}
