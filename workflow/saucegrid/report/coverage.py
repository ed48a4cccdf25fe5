"""The coverage report: from the raw sources to the analysis samples, next to the paper."""

from __future__ import annotations

import pandas as pd

from saucegrid.data import sample
from saucegrid.formatting import markdown_table as _md

SOURCES = ("leaderboard", "lifearchitect", "epoch_hub", "artificial_analysis")


def report(models: pd.DataFrame, samples: dict[str, pd.DataFrame], paper: dict,
           calibration: pd.DataFrame, sample_cfg: dict) -> str:
    """coverage.md. `calibration`: saucegrid.data.calibration.calibration_table (every construction
    variant's counts next to the paper's)."""
    from saucegrid.data.calibration import COUNTS

    P = {k: v["value"] for k, v in paper["sample"].items()}
    out = ["# Coverage: from the raw sources to the analysis samples", ""]
    out.append("Construction options: " + ", ".join(
        f"`{k}={sample_cfg[k]}`" for k in sorted(sample.CHOICES) + ["devset", "window_start",
                                                                  "window_end"]) + ".")
    out.append("")

    # funnel per source
    rows = []
    for src in SOURCES:
        m = models[models["source"] == src]
        rows.append({
            "source": src, "raw rows": len(m),
            "distinct models": int(m["duplicate_of"].isna().sum()),
            "in window": int((m["duplicate_of"].isna() & ~m["exclusion_reason"].isin(
                ["duplicate_entry", "missing_release_date", "outside_window"])).sum()),
            "pass filters": int(m["included"].sum()),
            "MMLU-Pro sample": int(m["included_mmlu_pro"].sum()),
            "MATH L5 sample": int(m["included_math_l5"].sum()),
        })
    tot = {k: sum(r[k] for r in rows) if k != "source" else "total" for k in rows[0]}
    rows.append(tot)
    out += ["## Funnel per source", "", _md(pd.DataFrame(rows)), ""]

    # side by side with the paper: the default construction's row of the calibration table
    mm = samples["mmlu_pro"]
    ml = samples["math_l5"]
    lb_inc = models[(models["source"] == "leaderboard") & models["included"]]
    bases = lb_inc["token_base"].nunique()
    in_win = models["duplicate_of"].isna() & ~models["exclusion_reason"].isin(
        ["duplicate_entry", "missing_release_date", "outside_window"])
    ours = calibration.set_index("construction").loc["default"]
    cmp = pd.DataFrame([(lab, P[k], int(ours[k])) for k, lab in COUNTS],
                       columns=["count", "paper", "ours"])
    cmp["ours − paper"] = cmp["ours"] - cmp["paper"]
    out += ["## Ours next to the paper (default construction)", "", _md(cmp), ""]
    from saucegrid.data.calibration import reasoning_excluded

    rsn = reasoning_excluded(models, sample.SampleOptions.from_config(sample_cfg))
    n_flag = int((models["is_reasoning"] & in_win).sum())
    out += [f"### The {len(rsn)} reasoning models excluded", "",
            f"`data/reasoning_models.csv` flags {n_flag} in-window candidates (by own name or "
            f"lineage), but only these {len(rsn)} would otherwise be in the MMLU-Pro sample; the "
            "rest lack a token count under this lineage, a score, or fail another filter "
            "first. The paper's footnote 5 excludes 10, o1 among them.", "",
            _md(rsn) if len(rsn) else "(none)", ""]
    out += [
        f"TIGER-Lab's full MMLU-Pro leaderboard (the paper's {P['tiger_added']} additions) is "
        "not publicly "
        "mirrored: only its 17-row README mini-leaderboard is. The default therefore has no "
        "TIGER rows; the `aa_standin` construction adds LifeArchitect models scored by "
        "Artificial Analysis instead (with a score-source dummy). The reasoning count is the "
        "reasoning models (`data/reasoning_models.csv`, by own name or lineage) that would "
        "otherwise be in the MMLU-Pro sample.", ""]

    # exclusion reasons
    rs = (models.assign(reason=models["exclusion_reason"].fillna("(included)"))
          .groupby(["reason", "source"]).size().unstack(fill_value=0).reset_index())
    out += ["## Benchmark-independent exclusions (first failing reason)", "", _md(rs), ""]
    for b in sample.BENCHMARKS:
        r = models[models["included"]].copy()
        r = (r.assign(reason=r[f"exclusion_reason_{b}"].fillna("(in sample)"))
             .groupby(["reason", "source"]).size().unstack(fill_value=0).reset_index())
        out += [f"## {b}: exclusions among models that pass the filters", "", _md(r), ""]

    out += benchmarks_section(models)

    # per period and developer group
    for b, s in samples.items():
        per = s.groupby("period3").size().rename("N").reset_index()
        grp = (s.groupby("developer_group").agg(N=("model_id", "size"),
                                                developers=("developer", "nunique"),
                                                mean_log10_flops=("log10_flops", "mean"))
               .reset_index())
        out += [f"## {b}: N per period", "", _md(per), "",
                f"## {b}: N per developer group", "", _md(grp, floatfmt=".2f"), ""]

    # token provenance
    tm = lb_inc.groupby(["token_method", "token_is_estimate"]).size().rename("models")
    out += ["## How leaderboard models got their token count", "",
            _md(tm.reset_index()), ""]
    top = lb_inc.groupby("token_base").size().sort_values(ascending=False).head(25)
    out += ["## Base models used most", "", _md(top.rename("models").reset_index()), ""]

    # every construction variant
    out += ["## Counts of every construction variant", "",
            "`results/fidelity.md` explains the distance and validates each variant on the "
            "paper's estimates.", "", _md(calibration, floatfmt=".3f"), ""]

    # developer groups statistic
    q = sample_cfg["size_group_quantiles"]
    out += ["## Developer groups", "",
            "Major developers keep their own dummy. Every other developer is placed in "
            "other-small / other-medium / other-large by the mean log10 FLOPs of its models in "
            f"the analysis sample, cut at the {q[0]:.3f} and {q[1]:.3f} quantiles of the "
            "developer-level means (each developer counts once).", ""]

    # the gap, by row class
    by = {src: int((mm["source"] == src).sum()) for src in SOURCES}
    implied_lb = P["mmlu_pro_n"] - P["tiger_added"] - P["lifearchitect_added"]
    lb_reason = models[(models["source"] == "leaderboard") & in_win]
    n_notok = int((lb_reason["exclusion_reason"] == "no_token_count").sum())
    n_rsn = int((lb_reason["exclusion_reason"] == "reasoning_model").sum())
    n_twin = int((models["exclusion_reason_mmlu_pro"] == "duplicate_of_leaderboard").sum())
    rows = [
        ("leaderboard", implied_lb, by["leaderboard"],
         f"our token table reaches {len(lb_inc)} in-window leaderboard models (paper: 770 "
         f"from 211 bases; ours from {bases} bases); {n_notok} in-window models still lack a "
         f"token count; {n_rsn} are reasoning models"),
        ("TIGER-Lab", P["tiger_added"], by["artificial_analysis"],
         "full TIGER-Lab leaderboard not public (the aa_standin construction: Artificial "
         "Analysis scores)"),
        ("LifeArchitect", P["lifearchitect_added"], by["lifearchitect"],
         f"{n_twin} dropped as twins of a leaderboard model "
         f"({'in the sample' if sample_cfg['twins'] == 'in_sample' else 'on the leaderboard'})"),
    ]
    gap = pd.DataFrame(rows, columns=["row class", "paper (implied)", "ours", "why"])
    gap.insert(3, "ours − paper", gap["ours"] - gap["paper (implied)"])
    out += ["## Why our MMLU-Pro N differs from the paper's, by row class", "",
            f"Paper N = {P['mmlu_pro_n']}, ours {len(mm)} ({len(mm) - P['mmlu_pro_n']:+d}). "
            f"The paper's leaderboard count is implied: {P['mmlu_pro_n']} − {P['tiger_added']} "
            f"TIGER − {P['lifearchitect_added']} LifeArchitect.", "",
            _md(gap), ""]
    math_zero = int((models["exclusion_reason_math_l5"] == "score_not_in_logit_domain").sum())
    out += [f"MATH L5: ours {len(ml)} vs paper {P['math_l5_n']} "
            f"({len(ml) - P['math_l5_n']:+d}): leaderboard {by_src(ml, 'leaderboard')}, "
            f"Epoch hub {by_src(ml, 'epoch_hub')} (paper {P['epoch_added']}). A MATH L5 score "
            "of 0 cannot take "
            f"a logit: {math_zero} such models are excluded, never clipped. MATH L5 is "
            "generative, so its score is not corrected for guessing.", ""]
    return "\n".join(out)


def benchmarks_section(models: pd.DataFrame) -> list[str]:
    """N per benchmark of the leaderboard (the paper's two and the other four), by source, with
    the rows excluded at the floor and those without a score."""
    ok = models[models["included"]]
    rows = []
    for b in sample.ALL_BENCHMARKS:
        why = ok[f"exclusion_reason_{b}"]
        no_score = why == f"no_{b}_score"
        rows.append({
            "benchmark": b, "N": int(ok[f"included_{b}"].sum()),
            **{src: int((ok[f"included_{b}"] & (ok["source"] == src)).sum())
               for src in SOURCES},
            "excluded at the floor": int((why == "score_not_in_logit_domain").sum()),
            "no score (leaderboard rows)": int((no_score & (ok["source"] == "leaderboard")).sum()),
            "no score (other sources)": int((no_score & (ok["source"] != "leaderboard")).sum()),
            "other exclusions": int((why.notna() & ~no_score
                                     & (why != "score_not_in_logit_domain")).sum()),
        })
    return ["## Every leaderboard benchmark: N and floor exclusions", "",
            "Among the models that pass the benchmark-independent filters (default "
            "construction). IFEval, BBH, GPQA and MUSR are scored on leaderboard rows only: "
            "LifeArchitect, Epoch and TIGER-Lab report none of them, so those rows have no score "
            "there. A score at or below the benchmark's chance level (the leaderboard's "
            "normalized score at 0; MATH L5 at 0) cannot take a logit: excluded, never clipped. "
            "The four are in the grid as the named sub-grid `leaderboard` "
            "(`snakemake --cores 2 results/benchmarks.md`).", "",
            _md(pd.DataFrame(rows)), ""]


def by_src(s: pd.DataFrame, src: str) -> int:
    return int((s["source"] == src).sum())
