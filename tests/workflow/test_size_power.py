"""Randomization inference on the real sample: placebo effects equal brute-force refits, and the
size and power of CR1, WCR and RI on outcomes simulated on the real design."""

import numpy as np
import pandas as pd
import pytest
import yaml

from saucegrid import estimate as E
from saucegrid import grid as G
from saucegrid import randomization as RI
from saucegrid import simulate as SIM
from saucegrid import specs as P

pytestmark = pytest.mark.workflow


@pytest.fixture(scope="module")
def design(run, repo):
    cfg = yaml.safe_load((repo / "config.yaml").read_text())
    majors = cfg["developer_sets"]["paper"]
    s = pd.read_parquet(run / "results/data/sample_mmlu_pro.parquet")
    return P.design(P.Prepared(s, majors), P.Spec(), majors)


def test_real_cell_placebos_equal_brute_force_refits(design, run):
    d = design
    _, codes = np.unique(d.clusters, return_inverse=True)
    f = E.fit(d)
    single = G.one_cluster_terms(d.X, f.names, d.clusters)
    per, _ = RI.cell(d, f.names, single, RI.RI(draws=99))
    stored = pd.read_parquet(run / "results/paper/terms.parquet")
    stored = stored[stored["cell_id"] == P.Spec().cell_id].set_index("term")
    for t, (est, pb, pt, n) in per.items():
        assert stored.loc[t, "ri_estimate"] == pytest.approx(est, rel=1e-12)
        assert (stored.loc[t, "p_ri_beta"], stored.loc[t, "p_ri_t"]) == (pb, pt)
        assert n >= 20
    # the one-column algebra against refits of [X0, z_c] for a developer and its placebos
    X0, _ = RI.null_design(d.X, d.names, {"dev:Qwen": None})
    cl = RI.Clusters(codes)
    nonmajor = d.prepared.group_code[d.rows] >= len(d.prepared.majors)
    qwen = np.unique(codes[d.X[:, d.names.index("dev:Qwen")] != 0])
    cands = np.concatenate([qwen, [c for c in range(cl.G) if nonmajor[codes == c].all()][:40]])
    beta, se = RI.indicator_effects(X0, d.y, cl, cands, d.X.shape[1])
    for i, c in enumerate(cands):
        ref = E.ols_cluster(d.y, np.column_stack([X0, codes == c]), codes)
        assert beta[i] == pytest.approx(ref.coef[-1], rel=1e-10, abs=1e-12)
        assert se[i] == pytest.approx(ref.se[-1], rel=1e-10)


def test_size_and_power_on_the_real_design(design, repo):
    paper = yaml.safe_load((repo / "data/paper_reference.yaml").read_text())
    effects = {t: v[0][0] for t, v in paper["table_c1"]["terms"].items()
               if t.startswith("dev:") and v[0] is not None}
    size = SIM.size_power(design, reps=500, seed=1, developer_sd="zero")
    power = SIM.size_power(design, reps=500, paper_effects=effects, seed=3,
                           developer_sd="zero")
    # the RI tests README recommends hold their size; the others are the documented failures
    for test in ("RI-β", "joint RI (Wald)"):
        assert 0.02 <= size[test] <= 0.09, (test, size[test])
        assert power[test] > size[test] + 0.2, (test, power[test])
    assert size["CR1"] > 0.2  # one-cluster effects: CR1 over-rejects
    assert size["WCR"] < 0.02  # and the wild cluster bootstrap under-rejects
