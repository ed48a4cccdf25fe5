"""Lineage: which base model a leaderboard model takes its pretraining tokens from.

Three readings of Appendix A ("If a model is listed as a base model on Hugging Face, its total
dataset size corresponds to its base-model token count; otherwise, we assign the token count used
to train its underlying base model"), the ``lineage`` option:

- ``one_hop`` (default): the model's own id, or the model named in its leaderboard *Base Model*
  field (after the backfill, " (Merge)" stripped), must have a token count. A ``corrects_field``
  link of ``data/lineage_links.csv`` replaces a wrong field. A ``same_weights`` link (a repo
  rename or re-upload) makes two ids one model, so it is not a hop (``renames=ignore`` drops
  that rule, the literal reading). ``parent`` links are not used: they would be a second hop
  where the leaderboard declares none.
- ``chain``: the declared parents are followed, through fine-tunes and merges, to the nearest
  base with a token count; ``parent`` links fill in where the leaderboard declares no parent.
- ``name``: as ``chain``, then a model's own name may identify its family
  (``data/family_patterns.csv``).
"""

from __future__ import annotations

import pandas as pd

from saucegrid.data.curated import Curated
from saucegrid.data.sample.common import (
    compile_patterns,
    developer_of_namespace,
    match_first,
    short_name,
    strip_merge,
)
from saucegrid.fileio import InputError, line_of


def leaderboard_fields(lb: pd.DataFrame, cur: Curated) -> dict[str, str]:
    """lower-case model id -> the model named in its Base Model field ("Removed" replaced by the
    backfill), only where that names another model."""
    bf = cur.leaderboard_backfill
    bf_base = {m.lower(): v for m, v in
               bf.loc[bf["field"] == "base_model", ["model_id", "value"]].itertuples(index=False)}
    out: dict[str, str] = {}
    for mid, field_val in lb[["model_id", "base_model_field"]].itertuples(index=False):
        p = strip_merge(field_val)
        if p == "Removed":
            p = strip_merge(bf_base.get(mid.lower()))
        if p and p.lower() != mid.lower():
            out[mid.lower()] = p
    return out


class Lineage:
    """The declared lineage of every leaderboard model, with the curated links applied."""

    def __init__(self, lb: pd.DataFrame, cur: Curated):
        self.fields = leaderboard_fields(lb, cur)
        links = cur.lineage_links
        rel = links["relation"]
        pairs = {r: {m.strip().lower(): p.strip() for m, p in
                     links.loc[rel == r, ["model_id", "parent_id"]].itertuples(index=False)}
                 for r in ("same_weights", "parent", "corrects_field")}
        self.same = pairs["same_weights"]
        self.corrections = pairs["corrects_field"]
        self._check(links, pairs, cur.paths.get("lineage_links", "data/lineage_links.csv"))
        # the one-hop parent: the leaderboard's field, or its correction
        self.field = {**self.fields, **self.corrections}
        # the chain parents: the field (corrected), filled in by same-weights and parent links
        self.parents = dict(self.field)
        for d in (pairs["same_weights"], pairs["parent"]):
            for m, p in d.items():
                self.parents.setdefault(m, p)

    def _check(self, links, pairs, path) -> None:
        """A parent link must agree with the leaderboard's field, and a correction must correct
        a field that exists: otherwise one of the two is silently ignored. (A same-weights link
        names the same model, not a parent, so it cannot disagree with the field.)"""
        bad, fixes = [], []
        for i, (m, p, r) in enumerate(links[["model_id", "parent_id", "relation"]]
                                      .itertuples(index=False)):
            f = self.fields.get(m.strip().lower())
            if r == "corrects_field":
                if f is None:
                    bad.append(line_of(i))
                    fixes.append(f"{m}: the leaderboard declares no parent to correct "
                                 "(use relation parent)")
                continue
            if r == "parent" and f is not None and \
                    self.canonical(f).lower() != self.canonical(p).lower():
                bad.append(line_of(i))
                fixes.append(f"{m}: link says {p}, the leaderboard's Base Model field says {f}")
        if bad:
            raise InputError(path, "lineage link(s) disagree with the leaderboard: "
                             + "; ".join(fixes[:5]),
                             "set relation to corrects_field (and say why in note) where the "
                             "leaderboard is wrong, or delete the link", row=bad)

    def canonical(self, mid: str) -> str:
        """Follow same-weights links to the id the weights are known under."""
        seen = set()
        while mid.lower() in self.same and mid.lower() not in seen:
            seen.add(mid.lower())
            mid = self.same[mid.lower()]
        return mid

    def chain(self, model_id: str, max_depth: int = 50) -> list[str]:
        """[model, parent, grandparent, ...] following declared parents; stops at cycles."""
        chain = [model_id]
        seen = {model_id.lower()}
        cur = model_id
        for _ in range(max_depth):
            p = self.parents.get(cur.lower())
            if p is None or p.lower() in seen:
                break
            chain.append(p)
            seen.add(p.lower())
            cur = p
        return chain

    def one_hop(self, model_id: str, renames: bool = True) -> list[str]:
        """The ids that may carry the model's tokens under one_hop, in order: the model itself,
        then its (corrected) Base Model field; each also under its same-weights id."""
        ids = [model_id]
        p = self.field.get(model_id.lower())
        if renames:
            ids.append(self.canonical(model_id))
            if p is None:
                p = self.field.get(self.canonical(model_id).lower())
        if p is not None:
            ids.append(p)
            if renames:
                ids.append(self.canonical(p))
        return ids


class TokenResolver:
    """Finds the token count (and the base's developer and MoE active share) for a list of
    candidate ids, and by name for the ``name`` lineage."""

    def __init__(self, cur: Curated, devmap: dict[str, str]):
        tok = cur.base_model_tokens
        self.tokens = {}
        for r in tok.itertuples(index=False):
            active = r.active_params_b / r.params_b if r.active_params_b > 0 else float("nan")
            self.tokens[r.base_model.lower()] = (r.base_model, r.tokens_t, r.source,
                                                 r.is_estimate, active)
        self.devmap = devmap
        self.patterns = compile_patterns(cur.family_patterns, "base_model")
        self._by_name: dict = {}

    def first(self, ids: list[str]):
        for mid in ids:
            hit = self.tokens.get(mid.lower())
            if hit:
                return hit
        return None

    def by_name(self, ids: list[str]):
        """The first id (in order) that a family pattern matches, by the first such pattern.
        Memoised per name: chains share most of their members."""
        for x in ids:
            name = short_name(x)
            if name not in self._by_name:
                self._by_name[name] = match_first(self.patterns, [name])
            m = self._by_name[name]
            if m:
                return self.tokens[m[1].lower()], f"name_pattern:{m[0]}"
        return None, None

    def row(self, hit, method: str | None) -> dict:
        """The token fields of one candidate (see common.TOKEN_FIELDS)."""
        if hit is None:
            return {"token_base": None, "tokens_t": float("nan"), "token_source": None,
                    "token_estimate": None, "token_method": None, "base_developer": None,
                    "active_ratio": float("nan")}
        base, t, src, est, active = hit
        return {"token_base": base, "tokens_t": t, "token_source": src, "token_estimate": est,
                "token_method": method,
                "base_developer": developer_of_namespace(base, self.devmap),
                "active_ratio": active}


def token_table(model_ids: list[str], lin: Lineage, res: TokenResolver) -> pd.DataFrame:
    """The token fields of every leaderboard model under every token assignment, as columns
    ``<field>_<key>`` (key in saucegrid.data.sample.options.TOKEN_KEYS)."""
    rows = []
    for mid in model_ids:
        chain = lin.chain(mid)
        r = {}
        one = res.first(lin.one_hop(mid, renames=True))
        lit = res.first(lin.one_hop(mid, renames=False))
        ch = res.first(chain)
        if ch is not None:
            nm, how = ch, "lineage"
        else:
            nm, how = res.by_name(chain)
        for key, hit, method in (("one_hop", one, "one_hop"),
                                 ("one_hop_norenames", lit, "one_hop"),
                                 ("chain", ch, "lineage"), ("name", nm, how)):
            r.update({f"{k}_{key}": v for k, v in res.row(hit, method).items()})
        rows.append(r)
    return pd.DataFrame(rows)
