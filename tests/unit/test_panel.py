"""Out-of-sample panels: mode identification, the crosswalk's guarantees, the score rescaling,
the panel samples under every option, their periods, and the frontier decomposition."""

import re

import numpy as np
import pandas as pd
import pytest

from saucegrid.data import curated
from saucegrid.data.panel import PanelOptions, fit_rescale, panel_rows, panel_sample
from saucegrid.data.sample import aa_panel
from saucegrid.data.sample.common import corrected_score
from saucegrid.estimation import estimate, specs
from saucegrid.fileio import InputError
from saucegrid.out_of_sample.frontier import frontier, frontier_pair

from helpers import AA_ROWS, CURATED, LA_ROWS, aa_frame, la_frame, write_curated

ALWAYS = [re.compile(p, re.IGNORECASE) for p in (r"(^|[^a-z])o[34]($|[^a-z0-9])", r"^ring-")]


@pytest.mark.parametrize("name,slug,mode", [
    ("Claude 4.5 Sonnet (Non-reasoning)", "claude-4-5-sonnet", "hybrid_off"),
    ("Claude 4.5 Sonnet (Reasoning)", "claude-4-5-sonnet-thinking", "reasoning"),
    ("GPT-5 mini (high)", "gpt-5-mini", "reasoning"),
    ("GPT-5 (minimal)", "gpt-5-minimal", "reasoning"),
    ("Qwen3 Next 80B A3B Thinking", "qwen3-next-80b-a3b-reasoning", "reasoning"),
    ("o3", "o3", "reasoning"),
    ("Ring-1T", "ring-1t", "reasoning"),
    ("Llama 4 Maverick", "llama-4-maverick", "non_reasoning"),
    ("Mistral Medium 3.1", "mistral-medium-3-1", "non_reasoning"),
])
def test_aa_mode_from_tags_names_and_the_always_list(name, slug, mode):
    assert aa_panel.aa_mode(name, slug, ALWAYS)[0] == mode


AA, LA = AA_ROWS, LA_ROWS


def test_crosswalk_rows_become_panel_candidates_with_their_figures(tmp_path):
    cur = curated.load_curated(write_curated(tmp_path / "d"))
    c = aa_panel.candidates(aa_frame(AA), la_frame(LA), la_frame([]), cur, "aa.json")
    z = c.set_index("model_id").loc["aapanel:gpt-z"]
    assert (z["source"], z["developer"], z["aa_mode"], z["aa_link"]) == (
        "aa_panel", "OpenAI", "non_reasoning", "exact")
    assert z["params_b"] == 200 and z["tokens_t_one_hop"] == 10 and z["mmlu_pro_raw"] == 0.66
    # in the 2025-02 snapshot too: its figures are the same row's
    assert z["params_b_2025_02"] == 200 and z["tokens_t_2025_02"] == 10


def test_a_mode_the_name_contradicts_names_the_row(tmp_path):
    cur = curated.load_curated(write_curated(tmp_path / "d"))
    aa = [("gpt-x", "GPT X (Reasoning)", "OpenAI", "2024-06-01", 0.7), *AA[1:]]
    with pytest.raises(InputError, match=r"gpt-x says non_reasoning.*reasoning") as e:
        aa_panel.candidates(aa_frame(aa), la_frame(LA), la_frame([]), cur, "aa.json")
    assert "aa_crosswalk.csv" in str(e.value) and "row 2" in str(e.value)


def test_figures_that_disagree_with_the_cited_lifearchitect_row_are_named(tmp_path):
    xw = CURATED["aa_crosswalk.csv"].replace("gpt-z,GPT-Z,2025-02,exact,non_reasoning,200",
                                             "gpt-z,GPT-Z,2025-02,exact,non_reasoning,150")
    cur = curated.load_curated(write_curated(tmp_path / "d", **{"aa_crosswalk.csv": xw}))
    with pytest.raises(InputError, match="carry other figures") as e:
        aa_panel.candidates(aa_frame(AA), la_frame(LA), la_frame([]), cur, "aa.json")
    assert "row 4" in str(e.value)


def test_crosswalk_validation_names_bad_values(tmp_path):
    bad = CURATED["aa_crosswalk.csv"].replace("gpt-x,GPT-X,2025-02,exact",
                                              "gpt-x,GPT-X,2024-01,exact")
    with pytest.raises(InputError, match="la_snapshot"):
        curated.load_curated(write_curated(tmp_path / "a", **{"aa_crosswalk.csv": bad}))
    bad = CURATED["aa_crosswalk.csv"].replace(",10,true,true,LifeArchitect 2025-02 GPT-X",
                                              ",-1,true,true,LifeArchitect 2025-02 GPT-X")
    with pytest.raises(InputError, match="tokens_t"):
        curated.load_curated(write_curated(tmp_path / "b", **{"aa_crosswalk.csv": bad}))


# --------------------------------------------------------------------------------------------
# the panels on a hand-built candidate table


def _logit(p):
    return np.log(p / (1 - p))


def _expit(x):
    return 1 / (1 + np.exp(-x))


def panel_models(a=0.3, b=0.8):
    """Panel rows with known answers, pairs on an exact line logit(LB) = a + b logit(AA)."""
    def row(mid, date, mode="non_reasoning", link="exact", dev="Qwen", params=10.0, active=np.nan,
            tokens=2.0, score=0.6, old=(np.nan, np.nan), est=(False, False)):
        return {"model_id": f"aapanel:{mid}", "source": "aa_panel", "developer": dev,
                "release_date": pd.Timestamp(date), "aa_mode": mode, "aa_link": link,
                "params_b": params, "active_params_b": active, "tokens_t_one_hop": tokens,
                "token_source_one_hop": "src", "token_base_one_hop": "b",
                "token_method_one_hop": f"aa_crosswalk:{link}", "token_estimate_one_hop": est[1],
                "params_estimate": est[0],
                "params_b_2025_02": old[0], "active_params_b_2025_02": np.nan,
                "tokens_t_2025_02": old[1], "mmlu_pro_raw": score, "lineage": None}
    rows = [row("a", "2025-05-01", dev="Qwen", score=0.70),
            row("b", "2025-11-01", mode="hybrid_off", link="family", dev="Meta", params=100.0,
                active=10.0, score=0.80, est=(False, True)),
            row("c", "2025-08-01", mode="reasoning", dev="OpenAI", score=0.90),
            row("d", "2024-06-01", dev="Google", params=50.0, tokens=4.0, score=0.55,
                old=(40.0, 3.0)),
            row("e", "2025-07-01", dev=None, score=0.65)]
    # pairs: AA scores and their leaderboard twins exactly on the line
    y_aa = np.array([0.35, 0.5, 0.62, 0.74])
    g = 0.1
    c_aa = corrected_score(y_aa, "mmlu_pro", g)
    c_lb = _expit(a + b * _logit(c_aa))
    y_lb = g + (1 - g) * c_lb
    for k, (sa, sl) in enumerate(zip(y_aa, y_lb, strict=True)):
        rows.append({"model_id": f"aapair:p{k}", "source": "aa_pair", "lineage": f"lb/m{k}",
                     "mmlu_pro_raw": sa})
        rows.append({"model_id": f"lb/m{k}", "source": "leaderboard", "mmlu_pro_raw": sl})
    return pd.DataFrame(rows)


def test_rescaling_recovers_an_exact_line_and_maps_onto_it():
    m = panel_models(a=0.3, b=0.8)
    r = fit_rescale(m)
    assert (r.a, r.b, r.n) == (pytest.approx(0.3, abs=1e-10), pytest.approx(0.8, abs=1e-10), 4)
    assert r.resid_sd == pytest.approx(0, abs=1e-10) and r.r == pytest.approx(1)
    assert r.apply(0.5) == pytest.approx(_expit(0.3 + 0.8 * _logit(0.5)), rel=1e-12)


def test_panel_rows_under_every_option():
    m = panel_models()
    rows, flow = panel_rows(m, PanelOptions())  # post: a (Qwen), b (hybrid, family)
    assert list(rows["model_id"]) == ["aapanel:a", "aapanel:b"]
    assert flow["not reasoning"] == 3 and flow["known developer"] == 2
    assert list(panel_rows(m, PanelOptions(hybrids="exclude"))[0]["model_id"]) == ["aapanel:a"]
    assert list(panel_rows(m, PanelOptions(family="exclude"))[0]["model_id"]) == ["aapanel:a"]
    # b's tokens are an estimate (a family imputation)
    assert list(panel_rows(m, PanelOptions(estimates="exclude"))[0]["model_id"]) == [
        "aapanel:a"]
    tot = panel_rows(m, PanelOptions())[0].set_index("model_id")
    act = panel_rows(m, PanelOptions(compute="active"))[0].set_index("model_id")
    assert tot.loc["aapanel:b", "log10_flops"] == pytest.approx(np.log10(6 * 100e9 * 2e12))
    assert act.loc["aapanel:b", "log10_flops"] == pytest.approx(np.log10(6 * 10e9 * 2e12))
    assert act.loc["aapanel:a", "log10_flops"] == tot.loc["aapanel:a", "log10_flops"]  # dense
    single = panel_rows(m, PanelOptions(panel="single"))[0].set_index("model_id")
    assert list(single.index) == ["aapanel:a", "aapanel:b", "aapanel:d"]
    old = panel_rows(m, PanelOptions(panel="single", la_figures="2025-02"))[0] \
        .set_index("model_id")
    assert old.loc["aapanel:d", "log10_flops"] == pytest.approx(np.log10(6 * 40e9 * 3e12))
    assert old.loc["aapanel:a", "log10_flops"] == single.loc["aapanel:a", "log10_flops"]
    assert single.loc["aapanel:a", "score"] == pytest.approx((0.7 - 0.1) / 0.9)


def test_panel_periods_and_the_extended_panel_rescaled():
    m = panel_models()
    post = panel_sample(m, PanelOptions(), ["Qwen"])
    assert dict(zip(post["model_id"], post["period3"], strict=True)) == {
        "aapanel:a": "2025q2", "aapanel:b": "2025q4"}
    single = panel_sample(m, PanelOptions(panel="single"), ["Qwen"])
    assert dict(zip(single["model_id"], single["period3"], strict=True))["aapanel:d"] == \
        "2023q4-2024q2"
    assert (single.loc[single["model_id"] != "aapanel:d", "period3"] == "2025q2-2025q4").all()
    assert (single["score_source"] == "paper_sources").all()  # one scale: no source dummy
    paper = single[single["model_id"] == "aapanel:d"].assign(model_id="lb/paper-model")
    ext = panel_sample(m, PanelOptions(panel="extended"), ["Qwen"], paper_sample=paper)
    e = ext.set_index("model_id")
    r = fit_rescale(m)
    assert e.loc["aapanel:a", "score"] == pytest.approx(r.apply((0.7 - 0.1) / 0.9), rel=1e-12)
    assert e.loc["lb/paper-model", "score"] == paper["score"].iloc[0]  # untouched
    with pytest.raises(ValueError, match="paper-faithful"):
        panel_sample(m, PanelOptions(panel="extended"), ["Qwen"])


def test_the_post_panel_design_has_quarter_periods_and_the_paper_sample_keeps_its_own():
    rng = np.random.default_rng(0)
    n = 60
    dates = pd.to_datetime(rng.choice(["2025-05-01", "2025-08-01", "2025-11-01"], n))
    s = pd.DataFrame({"model_id": [f"m{i}" for i in range(n)],
                      "developer": [f"d{i % 12}" for i in range(n)],
                      "release_date": dates, "log10_flops": rng.normal(24, 1, n),
                      "score": rng.uniform(0.2, 0.8, n)})
    s["cluster"] = s["developer"]
    s["period3"] = [f"{d.year}q{d.quarter}" for d in dates]
    s["quarter"] = [f"{d.year}Q{d.quarter}" for d in dates]
    s["month_index"] = [(d.year - 2022) * 12 + d.month - 10 for d in dates]
    d = specs.design(s, specs.Spec(), ["d0"])
    assert d.groups["time"] == ["period:2025q3", "period:2025q4"]
    assert d.prepared.base_period == "2025q2"
    s2 = s.assign(period3="2099q1")
    with pytest.raises(ValueError, match="2099q1"):
        specs.PreparedSample(s2, ["d0"])


def test_frontier_pair_and_its_decomposition_add_up():
    rng = np.random.default_rng(5)
    n = 80
    per = rng.choice(["2023q4-2024q2", "2024q3-2025q1", "2025q2-2025q4"], n)
    quarter = np.where(per == "2025q2-2025q4", rng.choice(["2025Q3", "2025Q4"], n), "2024Q4")
    s = pd.DataFrame({"model_id": [f"m{i}" for i in range(n)],
                      "developer": [f"d{i % 15}" for i in range(n)], "period3": per,
                      "quarter": quarter, "month_index": 0,
                      "release_date": pd.Timestamp("2024-10-01"),
                      "log10_flops": rng.normal(24, 1, n)})
    s["score"] = _expit(-18 + 0.75 * s["log10_flops"] + rng.normal(0, 0.3, n))
    s["cluster"] = s["developer"]
    d = specs.design(s, specs.Spec(), ["d0", "d1"])
    f = estimate.fit(d)
    coef = dict(zip(f.names, f.coef, strict=True))
    i, j = frontier_pair(d)
    data = d.data
    sc = data["score"].to_numpy()
    assert sc[i] == sc[data["period3"].to_numpy() == "2024q3-2025q1"].max()
    assert sc[j] == sc[data["quarter"].to_numpy() == "2025Q4"].max()
    row = frontier(d, coef, f.resid).iloc[0]
    parts = ["delta_scaling", "delta_shared", "delta_company", "delta_model"]
    assert sum(row[p] for p in parts) == pytest.approx(row["delta_total"], abs=1e-10)
    assert row["delta_scaling"] == pytest.approx(
        coef[specs.LOG_FLOPS] * (d.log10_flops[j] - d.log10_flops[i]), abs=1e-10)
    assert row["scaling_share_of_progress"] == pytest.approx(
        row["delta_scaling"] / row["delta_total"])


@pytest.mark.parametrize("text,match", [
    ("{not json", "cannot parse the Artificial Analysis JSON"),
    ('{"data": {"a": 1}}', "no list under 'data'"),
    ('{"data": [{"name": "x"}]}', "entry 0 of 'data' has no slug"),
    ('{"data": [{"slug": "a"}, {"slug": "a"}]}', "duplicate slug"),
])
def test_a_broken_artificial_analysis_file_is_named(tmp_path, text, match):
    from saucegrid.data import raw

    p = tmp_path / "llms_models.json"
    p.write_text(text)
    with pytest.raises(InputError, match=match) as e:
        raw.read_artificial_analysis(p)
    assert "llms_models.json" in str(e.value) and "sha256" in str(e.value)


def test_a_pair_naming_an_unknown_leaderboard_model_is_named(tmp_path):
    pairs = CURATED["aa_leaderboard_pairs.csv"] + "gpt-x,org/Not-There,https://x,\n"
    cur = curated.load_curated(write_curated(tmp_path / "d",
                                             **{"aa_leaderboard_pairs.csv": pairs}))
    lb = pd.DataFrame({"model_id": ["org/Base-7B"]})
    with pytest.raises(InputError, match="org/Not-There") as e:
        aa_panel.pairs(aa_frame(AA), lb, cur, "aa.json")
    assert "aa_leaderboard_pairs.csv" in str(e.value) and "row 2" in str(e.value)


def test_the_2025_02_figures_replace_only_what_came_from_lifearchitect():
    from types import SimpleNamespace

    old = SimpleNamespace(params_b=70.0, tokens_b=9000.0)
    row = pd.Series({"link": "exact", "params_b": 100.0, "active_params_b": 10.0,
                     "tokens_t": 15.0, "facts_source": "LifeArchitect models table 2026-03"})
    f = aa_panel._figures_2025_02(row, old)
    assert (f["params_b_2025_02"], f["tokens_t_2025_02"]) == (70.0, 9.0)
    assert f["active_params_b_2025_02"] == pytest.approx(7.0)  # the same active share
    own = row.copy()
    own["facts_source"] = "params 100B: LifeArchitect 2026-03; tokens 15T: https://blog.example"
    assert aa_panel._figures_2025_02(own, old)["tokens_t_2025_02"] == 15.0  # its own source
    fam = row.copy()
    fam["link"] = "family"
    assert aa_panel._figures_2025_02(fam, old)["params_b_2025_02"] == 100.0  # from the name
    noparams = SimpleNamespace(params_b=float("nan"), tokens_b=9000.0)
    assert aa_panel._figures_2025_02(row, noparams)["params_b_2025_02"] == 100.0
    assert np.isnan(aa_panel._figures_2025_02(row, None)["tokens_t_2025_02"])
