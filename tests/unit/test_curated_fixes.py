"""The project's own curated tables (data/): the rows the fidelity issue fixed stay fixed."""

import re
from pathlib import Path

import pytest

from saucegrid.data import curated

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def cur():
    return curated.load_curated(DATA)


def test_the_curated_tables_load(cur):
    assert len(cur.base_model_tokens) > 150 and len(cur.lineage_links) > 300


def test_qwen_math_instruct_links_correct_the_leaderboard_field(cur):
    links = cur.lineage_links.set_index("model_id")
    for size in ("1.5B", "7B", "72B"):
        row = links.loc[f"Qwen/Qwen2.5-Math-{size}-Instruct"]
        assert row["relation"] == "corrects_field"
        assert row["parent_id"] == f"Qwen/Qwen2.5-Math-{size}"


def test_dead_and_redundant_links_are_gone_or_typed(cur):
    links = cur.lineage_links.set_index("model_id")
    assert "mlabonne/NeuralBeagle14-7B" not in links.index  # the leaderboard's field is right
    same = links[links["relation"] == "same_weights"]
    assert "meta-llama/Llama-3.1-8B" in same.index  # a repo rename is the same model
    assert not same["note"].str.contains("SFT|fine-tun", case=False).any()


def test_developer_aliases_keep_other_bases_out_of_major_groups(cur):
    dev = cur.developers.set_index("alias")["developer"]
    assert dev["seallms"] == "SeaLLMs"  # Mistral- and Gemma-based SeaLLMs are not Qwen's
    assert dev["wizardlmteam"] == "WizardLM"  # Llama fine-tunes are not Microsoft's


def test_external_scores_hold_no_artificial_analysis_runs(cur):
    ext = cur.external_scores
    assert set(ext["score_kind"]) <= set(curated.EXTERNAL_SCORE_KINDS)
    assert not ext["model"].str.contains("Claude 2|Llama 3.2 90B").any()


def test_moe_bases_carry_their_active_parameters(cur):
    tok = cur.base_model_tokens.set_index("base_model")
    moe = tok.index[tok.index.str.contains(r"moe|mixtral|-a\d+(?:\.\d+)?b|-a\d+m|dbrx",
                                           flags=re.IGNORECASE)]
    assert len(moe) >= 10
    assert tok.loc[moe, "active_params_b"].notna().all()
    assert tok.loc["mistralai/Mixtral-8x7B-v0.1", "active_params_b"] == 12.9
    assert (tok.loc[moe, "active_params_b"] < tok.loc[moe, "params_b"]).all()
    assert tok.loc[moe, "params_b"].notna().all()  # the total is kept


def test_reward_model_patterns_catch_reward_models_only(cur):
    pats = [re.compile(p, re.IGNORECASE) for p in cur.reward_models["pattern"]]

    def hit(name):
        return any(p.search(name) for p in pats)

    assert hit("nvidia/AceMath-7B-RM") and hit("nvidia/AceMath-72B-RM")
    assert not hit("nvidia/AceMath-7B-Instruct") and not hit("allenai/Llama-3.1-Tulu-3-8B")


def test_crosswalk_rows_are_unique_and_typed(cur):
    xw = cur.aa_crosswalk
    assert xw["aa_slug"].is_unique
    assert set(xw["mode"]) <= {"non_reasoning", "reasoning", "hybrid_off"}
    vision = xw[xw["note"].fillna("").str.contains("vision", case=False)]
    assert "llama-3-2-instruct-90b-vision" in set(vision["aa_slug"])
