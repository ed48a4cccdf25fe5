"""The findings ledger built from the shipped raw inputs (issue 20): every value it prints is
read back from the artifact it cites."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from saucegrid.findings.claims import STATUSES

pytestmark = pytest.mark.workflow


def _read_back(run, artifact: str, key: str, intervals: pd.DataFrame, row) -> float:
    """The value an artifact holds under a ledger key, read independently of the ledger."""
    path = run / artifact
    if artifact.endswith("cells.parquet"):
        cid, col = key.split(":", 1)
        return float(pd.read_parquet(path).set_index("cell_id").loc[cid, col])
    if artifact.endswith("terms.parquet"):
        cid, rest = key.split(":", 1)
        term, col = rest.rsplit(":", 1)
        t = pd.read_parquet(path)
        return float(t[(t["cell_id"] == cid) & (t["term"] == term)][col].iloc[0])
    if artifact.endswith("table_b1.csv"):
        comparison, col = key.split(":")
        b1 = pd.read_csv(path)
        return float(b1[b1["comparison"] == comparison][col].iloc[0])
    if artifact.endswith("intervals.csv"):
        claim, col = key.split(":")
        return float(intervals[(intervals["claim"] == claim)
                               & (intervals["benchmark"] == row.benchmark)][col].iloc[0])
    if artifact.startswith("results/data/sample_"):
        from saucegrid.report.replication import threshold_compute_drop  # a second implementation

        s = pd.read_parquet(path)
        majors = None if key.endswith(":all") else [
            "DeepSeek", "Qwen", "Meta", "Google", "Microsoft", "OpenAI", "Anthropic", "xAI",
            "01-AI", "Nvidia"]
        return threshold_compute_drop(s, 0.15, majors)[0]
    raise AssertionError(f"the ledger cites an artifact the test cannot read: {artifact}")


def test_every_ledger_value_equals_the_artifact_it_cites(run):
    led = pd.read_csv(run / "results/findings.csv")
    intervals = pd.read_csv(run / "results/findings/intervals.csv")
    # every claim, MMLU-Pro always, MATH L5 where the paper gives a number
    want = {("C1", "mmlu_pro"), ("C2", "mmlu_pro"), ("C3", "mmlu_pro"), ("C4", "mmlu_pro"),
            ("C5", "mmlu_pro"), ("C6", "mmlu_pro"), ("C7a", "mmlu_pro"), ("C7b", "mmlu_pro"),
            ("C2", "math_l5"), ("C3", "math_l5"), ("C5", "math_l5")}
    assert set(zip(led["claim"], led["benchmark"], strict=True)) == want
    for r in led.itertuples():
        got = _read_back(run, r.artifact, r.key, intervals, r)
        assert r.ours == pytest.approx(got, rel=1e-10, nan_ok=False), (r.claim, r.benchmark)
        iv = intervals[(intervals["claim"] == r.claim) & (intervals["benchmark"] == r.benchmark)]
        assert r.low == pytest.approx(float(iv["low"].iloc[0]), rel=1e-12, nan_ok=True)
        assert r.status in STATUSES
        for field in ("paper", "interval_method", "holds_rule", "null", "inference",
                      "out_of_sample", "status_why"):
            assert isinstance(getattr(r, field), str) and getattr(r, field), (r.claim, field)
        assert r.grid_cells > 0 and 0 <= r.grid_holds <= r.grid_cells
        if np.isfinite(r.low):  # an interval is printed only around a defined number
            assert r.low <= r.ours <= r.high, (r.claim, r.benchmark)
    # C3's interval is the WCR ratio set, not the grid's CR1 Fieller set
    c3 = led[(led["claim"] == "C3") & (led["benchmark"] == "mmlu_pro")].iloc[0]
    assert "WCR" in c3.interval_method
    md = (run / "results/findings.md").read_text()
    assert "nan" not in md.replace("nan_", "") and "inf×" not in md
    for r in led.itertuples():
        assert f"| {r.claim} " in md


def test_out_of_sample_verdict_carries_its_uncertainty(run):
    ev = json.loads((run / "results/out_of_sample.json").read_text())
    assert ev["verdict"] in ("yes", "no", "undetermined")
    assert len(ev["start_models"]) == ev["k"] == len(ev["end_models"]) == 3
    assert ev["draws"] >= 100 and ev["share_low"] <= ev["share"] <= ev["share_high"] or \
        ev["verdict"] == "undetermined"
    d = ev["delta"]
    assert d["total"] == pytest.approx(sum(d[k] for k in ("scaling", "shared", "company",
                                                           "model")), abs=1e-9)
    assert ev["compute_sd"] > 0 and len(ev["revisions"]) >= 2
    assert 0 <= ev["stability_p"] <= 1 and len(ev["interactions"]) >= 2
    md = (run / "results/out_of_sample.md").read_text()
    for part in ("Envelope frontier", "Flip point", "β_c stability",
                 "committed before these numbers were computed"):
        assert part in md
