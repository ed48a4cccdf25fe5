"""The construction options of the fidelity issue: reward models, merges, MoE compute, the
base-model developer, the Artificial Analysis stand-in and its score-source dummy, and the
calibration distance."""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from saucegrid.data import calibration, curated, sample
from saucegrid.estimation import decompose, estimate, specs

from helpers import AA_ROWS, CURATED, LA_ROWS, lb_row, raw_inputs, write_curated


@pytest.fixture
def cur(tmp_path):
    return curated.load_curated(write_curated(tmp_path / "data"))


def build(cur, lb_rows, la_rows=(), aa_rows=None, **opt):
    opts = sample.SampleOptions(**opt)
    cand = sample.build_candidates(raw_inputs(lb_rows, la_rows, aa_rows=aa_rows), cur, opts)
    return sample.apply_options(cand, opts).set_index("model_id")


def test_options_are_validated():
    with pytest.raises(ValueError, match="lineage"):
        sample.SampleOptions(lineage="two_hops")
    with pytest.raises(ValueError, match="no_such"):
        sample.SampleOptions.from_config({}, no_such="x")


def test_reward_models_by_curated_pattern_and_name_rule(cur):
    rows = [lb_row("x/Judge-Scorer-7B", base="org/Base-7B"),  # curated pattern
            lb_row("y/Base-7B-RM", base="org/Base-7B"),  # name rule
            lb_row("z/Storm-7B", base="org/Base-7B"),  # 'rm' inside a word: not a reward model
            lb_row("w/chat", base="org/Base-7B")]
    m = build(cur, rows)
    assert m["included"].all()  # kept by default
    assert m.loc["x/Judge-Scorer-7B", "is_reward_model"]
    rule = sample.common.REWARD_NAME_RULE
    assert m.loc["y/Base-7B-RM", "reward_match"] == f"Base-7B-RM ~ /{rule}/"
    assert not m.loc["z/Storm-7B", "is_reward_model"]
    m = build(cur, rows, reward_models="exclude")
    assert m.loc["x/Judge-Scorer-7B", "exclusion_reason"] == "reward_model"
    assert m.loc["y/Base-7B-RM", "exclusion_reason"] == "reward_model"
    assert m.loc["z/Storm-7B", "included"] and m.loc["w/chat", "included"]


def test_merges_option(cur):
    merged = {**lb_row("m/merge", base="org/Base-7B"), "merged": True}
    m = build(cur, [merged, lb_row("w/chat", base="org/Base-7B")], merges="exclude")
    assert m.loc["m/merge", "exclusion_reason"] == "merge" and m.loc["w/chat", "included"]
    assert build(cur, [merged])["included"].all()


def test_moe_compute_from_active_parameters(tmp_path):
    tok = ("base_model,family,params_b,active_params_b,tokens_t,is_estimate,source,note,"
           "active_source\n"
           "org/Base-7B,fam,7,,2,false,https://example.org/paper,,\n"
           "org/MoE-8x7B,moe,46.7,12.9,8,false,https://example.org/moe,,https://example.org/a\n")
    c = curated.load_curated(write_curated(tmp_path / "d", **{"base_model_tokens.csv": tok}))
    la = [("MoE-X", "OpenAI", 100, 4000, 50.0, "Jun/2024", 2)]
    rows = [lb_row("a/moe-ft", base="org/MoE-8x7B", params=46.7),
            lb_row("b/dense", base="org/Base-7B", params=7.0)]
    tot = build(c, rows, la)
    act = build(c, rows, la, moe_compute="active")
    assert tot.loc["a/moe-ft", "log10_flops"] == pytest.approx(
        math.log10(6 * 46.7e9 * 8e12), abs=1e-12)
    assert act.loc["a/moe-ft", "log10_flops"] == pytest.approx(
        math.log10(6 * 12.9e9 * 8e12), abs=1e-12)
    assert act.loc["lifearchitect:MoE-X", "log10_flops"] == pytest.approx(
        math.log10(6 * 10e9 * 4e12), abs=1e-12)
    assert act.loc["b/dense", "log10_flops"] == tot.loc["b/dense", "log10_flops"]
    bad = tok.replace("46.7,12.9", "46.7,50")
    with pytest.raises(Exception, match="active_params_b"):
        curated.load_curated(write_curated(tmp_path / "e", **{"base_model_tokens.csv": bad}))


def test_developer_of_a_major_model_from_its_base_organisation(cur):
    rows = [lb_row("meta-llama/x-ft", base="org/Base-7B"),  # a Meta model on Org's base
            lb_row("someone/y", base="org/Base-7B")]  # not a major: keeps its own
    opts = sample.SampleOptions(developer_rule="base_org")
    m = sample.apply_options(sample.build_candidates(raw_inputs(rows), cur, opts), opts)
    s = sample.analysis_sample(m, "mmlu_pro", ["Meta"], opts).set_index("model_id")
    assert s.loc["meta-llama/x-ft", "developer"] == "Org"
    assert s.loc["someone/y", "developer"] == "someone"
    s0 = sample.analysis_sample(m, "mmlu_pro", ["Meta"],
                                sample.SampleOptions()).set_index("model_id")
    assert s0.loc["meta-llama/x-ft", "developer"] == "Meta"


AA, LA = AA_ROWS, LA_ROWS


def test_aa_standin_adds_lifearchitect_models_without_a_score(cur):
    m = build(cur, [lb_row("org/Base-7B")], LA, AA)
    z = m.loc["aa:gpt-z"]
    assert z["exclusion_reason"] == "aa_standin_not_selected"  # off by default
    m = build(cur, [lb_row("org/Base-7B")], LA, AA, aa_standin="include")
    z = m.loc["aa:gpt-z"]
    assert z["included_mmlu_pro"] and z["mmlu_pro_raw"] == 0.66
    assert z["params_b"] == 200 and z["tokens_t"] == 10.0  # LifeArchitect's facts
    assert z["release_date"] == pd.Timestamp("2024-07-01")  # AA's date
    # GPT-X has a (self-reported) score of its own: the LifeArchitect row stays, AA's is a copy
    assert m.loc["aa:gpt-x", "exclusion_reason"] == "duplicate_entry"
    assert m.loc["lifearchitect:GPT-X", "included_mmlu_pro"]
    # a vision run is not the text benchmark
    assert m.loc["aa:gpt-y-vision", "exclusion_reason_mmlu_pro"] == "no_mmlu_pro_score"
    s = sample.analysis_sample(m.reset_index(), "mmlu_pro", ["OpenAI"], sample.SampleOptions())
    assert dict(zip(s["model_id"], s["score_source"], strict=True))["aa:gpt-z"] == \
        "artificial_analysis"


def test_crosswalk_names_a_missing_slug(tmp_path):
    from saucegrid.fileio import InputError

    xw = CURATED["aa_crosswalk.csv"] + ("no-such-slug,GPT-X,2025-02,exact,non_reasoning,100,,10,"
                                        "true,true,LifeArchitect 2025-02 GPT-X,https://x,\n")
    c = curated.load_curated(write_curated(tmp_path / "d", **{"aa_crosswalk.csv": xw}))
    with pytest.raises(InputError, match="no-such-slug") as e:
        sample.build_candidates(raw_inputs([lb_row("org/Base-7B")], LA, aa_rows=AA), c,
                           sample.SampleOptions())
    assert "aa_crosswalk.csv" in str(e.value) and "row 5" in str(e.value)


def test_score_source_dummy_is_a_level_shift_in_its_own_shapley_group():
    rng = np.random.default_rng(3)
    n = 90
    df = pd.DataFrame({
        "model_id": [f"m{i}" for i in range(n)],
        "developer": rng.choice(["A", "B", "c", "d", "e", "f"], n),
        "period3": rng.choice(list(sample.PERIOD3), n),
        "quarter": "2024Q1", "month_index": rng.integers(0, 29, n),
        "log10_flops": rng.normal(23, 1, n), "params_b": 7.0,
        "score_source": np.where(rng.random(n) < 0.2, "artificial_analysis", "paper_sources"),
    })
    z = -10 + 0.5 * df["log10_flops"] + 0.4 * (df["score_source"] != "paper_sources") \
        + rng.normal(0, 0.3, n)
    df["score"] = 1 / (1 + np.exp(-z))
    df["cluster"] = df["developer"]
    d = specs.design(df, specs.Spec(), ["A", "B"])
    assert d.groups["source"] == ["source:artificial_analysis"]
    f = estimate.fit(d)
    ref = sm.OLS(d.y, d.X).fit()
    np.testing.assert_allclose(f.coef, ref.params, rtol=0, atol=1e-8)
    phi = decompose.shapley(d)
    total = phi["scale"] + phi["time"] + phi["company"] + phi["source"]
    assert total == pytest.approx(f.r2, abs=1e-10) and phi["source"] > 0
    df["score_source"] = "paper_sources"
    assert "source" not in decompose.shapley(specs.design(df, specs.Spec(), ["A", "B"]))


def test_calibration_distance_and_the_closest_reading():
    paper = {k: {"value": 100} for k, _ in calibration.COUNTS}
    near = {k: 110 for k, _ in calibration.COUNTS}
    far = {k: 50 for k, _ in calibration.COUNTS}
    assert calibration.distance(near, {k: 100.0 for k in near}) == pytest.approx(0.1)
    t = pd.DataFrame([
        {"construction": "paper", "reading": "", "distance": 0.0},
        {"construction": "default", "reading": "yes", "distance": calibration.distance(near, {
            k: v["value"] for k, v in paper.items()})},
        {"construction": "far", "reading": "yes", "distance": calibration.distance(far, {
            k: v["value"] for k, v in paper.items()})},
        {"construction": "robust", "reading": "no", "distance": 0.01},  # never eligible
    ])
    assert calibration.closest_reading(t) == "default"
